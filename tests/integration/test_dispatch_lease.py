"""A slow SMTP server cannot make an e-mail outlast its lease; a lost lease stops the sending.

Time is a fake clock that the fake transport moves on, never slept on; both backends.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from alerting import make_people, register
from factories import settings
from flask import current_app
from smtp_harness import SmtpServer
from sqlalchemy import select

from tracker.alerts import jobs, outbox
from tracker.extensions import db
from tracker.mail.message import OutgoingMessage
from tracker.mail.transport import SENT
from tracker.models import Alert, AlertStatus

OVERDUE = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
TIMEOUT = timedelta(seconds=30)
SETTINGS = replace(
    outbox.DispatchSettings.from_config(settings()),
    lease=timedelta(seconds=150),
    send_timeout=TIMEOUT,
)


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


class SlowTransport:
    """Every message takes a whole SMTP timeout; notes when each started and ended, and the
    lease its outbox row had when it started."""

    def __init__(self, clock: FakeClock, on_send=None) -> None:
        self.clock = clock
        self.on_send = on_send
        self.sends: list[tuple[int, datetime, datetime, datetime]] = []

    def open(self):
        return self

    def send(self, message):
        alert_id = int(message.headers["X-Fristsporing-Alert"])
        lease_end = db.session.scalar(select(Alert.claimed_until).where(Alert.id == alert_id))
        start = self.clock.now
        self.clock.now += TIMEOUT
        if self.on_send is not None:
            self.on_send(len(self.sends))
        self.sends.append((alert_id, start, self.clock.now, lease_end))
        return SENT

    def close(self):
        pass


def test_a_slow_server_keeps_renewing_the_lease_and_every_email_ends_inside_it(app):
    crew = make_people()
    for _ in range(10):
        register(crew)
    jobs.sweep(OVERDUE)  # ten overdue assessments: caseworker and leader each, 20 e-mails
    clock = FakeClock(OVERDUE)
    transport = SlowTransport(clock)

    report = jobs.dispatch(clock, transport, SETTINGS)

    # Ten minutes of sending on a lease of two and a half: renewed as it went, one batch.
    assert (report.sent, report.batches) == (20, 1)
    assert clock.now - OVERDUE == 20 * TIMEOUT
    assert all(end <= lease_end for _id, _start, end, lease_end in transport.sends)
    db.session.expire_all()
    alerts = db.session.scalars(select(Alert)).all()
    # Each sent once, each recorded right after it went, and no lease left behind.
    assert {(a.status, a.attempts, a.claimed_until) for a in alerts} == {
        (AlertStatus.SENT, 1, None)
    }


def test_a_dispatcher_that_lost_its_lease_sends_nothing_more_of_its_batch(app):
    crew = make_people()
    for _ in range(3):
        register(crew)
    jobs.sweep(OVERDUE)  # six e-mails
    clock = FakeClock(OVERDUE)
    taken_over: list[int] = []

    def stall_and_be_overtaken(index: int) -> None:
        if index:
            return
        # The first e-mail hangs past the whole lease; another dispatcher claims the rest.
        clock.now += SETTINGS.lease
        with current_app.app_context():
            taken_over.extend(outbox.claim(clock.now, SETTINGS).ids)
            db.session.commit()

    transport = SlowTransport(clock, on_send=stall_and_be_overtaken)
    report = jobs.dispatch(clock, transport, SETTINGS)

    # The other took all six, the one in flight too (it had outlasted its lease).
    assert sorted(taken_over) == list(range(1, 7))
    assert report.sent == 1 and [alert_id for alert_id, *_ in transport.sends] == [1]
    db.session.expire_all()
    first, *others = db.session.scalars(select(Alert).order_by(Alert.id)).all()
    assert first.status == AlertStatus.SENT
    # The rest are still the other dispatcher's, under its lease: not given back by the first.
    assert {(a.status, a.claimed_until) for a in others} == {
        (AlertStatus.PENDING, OVERDUE + TIMEOUT + 2 * SETTINGS.lease)
    }


def test_the_smtp_transport_stops_starting_messages_when_told(smtp_server: SmtpServer):
    answers = iter([True, False, True])
    results = smtp_server.transport().send_batch(
        [_message(n) for n in range(1, 5)], keep_going=lambda: next(answers)
    )
    assert [r.ok for r in results] == [True, True]
    assert len(smtp_server.received) == 2


def _message(n: int) -> OutgoingMessage:
    return OutgoingMessage(
        to=["sagsbehandler@kommune.dk"],
        subject=f"Frist overskredet: 24-timers vurdering, U-2026-{n:06d}",
        text="Sag\n",
        html=None,
        message_id=f"<alert-{n}@fristsporing.test>",
    )
