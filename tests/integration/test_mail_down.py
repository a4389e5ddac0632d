"""Mail down for hours: nothing is lost, the administrators are told once, "Send igen" for all.

A real SMTP server on loopback refuses connections for four hours of simulated time while
the scheduler's job runs every five minutes with the clock passed in.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from alerting import RECEIVED, make_people, register, run_scheduler
from factories import login, make_user
from sqlalchemy import select

from tracker.alerts import mail_trouble, outbox
from tracker.extensions import db
from tracker.models import MAIL_TROUBLE_STAGE, Alert, AlertStatus, AuditEvent, MailTrouble, Role
from tracker.operations import readiness

WARNING = RECEIVED + timedelta(hours=20)
STEP = timedelta(minutes=5)
NOW = WARNING


def test_four_hours_without_mail_lose_nothing_and_tell_the_administrators_once(app, smtp_server):
    people = make_people(digest=False)
    admin = make_user(role=Role.ADMIN, email="admin@kommune.test")
    for n in range(3):
        register(people, received_at=RECEIVED + timedelta(minutes=n))
    transport = smtp_server.transport()
    moment = WARNING
    with smtp_server.refusing():
        while moment < WARNING + timedelta(hours=4, minutes=30):  # the overdue stage too
            run_scheduler(moment, transport)
            moment += STEP
        during = readiness.check(moment).checks["outbox"]
        assert mail_trouble.open_trouble() is not None
    back_at = moment
    while moment < back_at + timedelta(hours=1):
        run_scheduler(moment, transport)
        moment += STEP

    rows = db.session.scalars(select(Alert).order_by(Alert.id)).all()
    received = Counter(int(m.message["X-Fristsporing-Alert"]) for m in smtp_server.received)
    assert {row.status for row in rows} == {AlertStatus.SENT}
    assert received == Counter({row.id: 1 for row in rows})  # every alert, each once
    told = [row for row in rows if row.stage == MAIL_TROUBLE_STAGE]
    assert [row.recipient_email for row in told] == [admin.email]  # once, while it lasted
    assert sum(row.stage == "warn_4h" for row in rows) == 3
    assert sum(row.stage == "overdue" for row in rows) == 6  # caseworker and leader
    assert during["ok"] is False and during["failing_since"] is not None
    assert mail_trouble.open_trouble() is None  # over: the next trouble is told again
    assert db.session.scalar(select(MailTrouble.ended_at)) is not None


def test_a_refused_email_raises_the_alarm_and_send_again_retries_all_failed(
    app, smtp_server, client, clock
):
    people = make_people(digest=False)
    admin = make_user(role=Role.ADMIN, email="admin@kommune.test")
    register(people)
    register(people)
    smtp_server.fail_next(2, "550 5.1.1 No such user")
    run_scheduler(WARNING, smtp_server.transport())
    failed = db.session.scalars(select(Alert).where(Alert.status == AlertStatus.FAILED)).all()
    assert len(failed) == 2
    assert mail_trouble.open_trouble() is not None

    clock.set(WARNING + timedelta(seconds=30))
    login(client, admin)
    page = client.get("/admin/outbox/").get_data(as_text=True)
    assert "retry-failed" in page and "fejle" in page.lower()
    answer = client.post("/admin/outbox/retry-failed")
    assert answer.status_code == 302
    db.session.expire_all()
    assert not db.session.scalars(select(Alert).where(Alert.status == AlertStatus.FAILED)).all()
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "alert.retry_all"))
    assert [event.detail["count"] for event in audit] == [2]

    run_scheduler(WARNING + timedelta(minutes=1), smtp_server.transport())
    statuses = Counter(row.status for row in db.session.scalars(select(Alert)))
    assert statuses == Counter({AlertStatus.SENT: 3})  # the two, and the admin's notice
    assert mail_trouble.open_trouble() is None


def test_the_backoff_stops_at_the_ceiling(app):
    settings = outbox.DispatchSettings.from_config(app.config)
    assert settings.backoff(1) == timedelta(minutes=1)
    assert settings.backoff(5) == timedelta(minutes=16)
    assert settings.backoff(6) == timedelta(minutes=30)
    assert settings.backoff(10_000) == timedelta(minutes=30)
