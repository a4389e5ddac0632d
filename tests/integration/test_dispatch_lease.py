"""A slow SMTP server cannot make a batch outlast its lease: the rest goes to the next claim.

Time is a fake clock that the fake transport moves on, never slept on; both backends.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from alerting import make_people, register
from factories import settings
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
    lease=timedelta(seconds=300),
    send_timeout=TIMEOUT,
)


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


class SlowTransport:
    """Every message takes a whole SMTP timeout; records each batch's start and end."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.batches: list[tuple[datetime, datetime, int]] = []

    def send_batch(self, messages, keep_going=None):
        start, results = self.clock.now, []
        for index, _message in enumerate(messages):
            if index and keep_going is not None and not keep_going():
                break
            self.clock.now += TIMEOUT
            results.append(SENT)
        self.batches.append((start, self.clock.now, len(results)))
        return results


def test_a_slow_server_splits_the_batch_so_each_part_ends_within_its_lease(app):
    crew = make_people()
    for _ in range(10):
        register(crew)
    jobs.sweep(OVERDUE)  # ten overdue assessments: caseworker and leader each, 20 e-mails
    clock = FakeClock(OVERDUE)
    transport = SlowTransport(clock)

    report = jobs.dispatch(clock, transport, SETTINGS)

    assert report.sent == 20
    assert all(end - start <= SETTINGS.lease for start, end, _count in transport.batches)
    assert [count for *_times, count in transport.batches] == [6, 6, 6, 2]
    db.session.expire_all()
    alerts = db.session.scalars(select(Alert)).all()
    # Each sent once, and a message given back was not counted as an attempt.
    assert {(a.status, a.attempts) for a in alerts} == {(AlertStatus.SENT, 1)}


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
