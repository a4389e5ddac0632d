"""The admin's "Udgående post" page and each user's "Mine indstillinger"."""

from __future__ import annotations

from datetime import UTC, datetime

from alerting import RECEIVED, make_people, register
from factories import login, make_user
from sqlalchemy import select

from tracker.alerts import jobs
from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.mail.transport import ConsoleTransport
from tracker.models import Alert, AlertStatus, AuditEvent, Role, User


class _Refusing:
    def open(self):
        return self

    def send(self, message):
        from tracker.mail.transport import SendResult

        return SendResult("550 5.1.1 No such user", permanent=True)

    def close(self):
        pass


def _alerts_at_overdue(transport) -> None:
    people = make_people()
    register(people)
    db.session.commit()
    moment = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
    assert moment > RECEIVED
    jobs.sweep_and_dispatch(lambda: moment, transport)


def test_admins_see_the_outbox_with_status_and_last_error(app, client):
    _alerts_at_overdue(_Refusing())
    login(client, make_user(role=Role.ADMIN))
    page = client.get("/admin/outbox/").get_data(as_text=True)
    assert "Udgående post" in page
    assert "anna@nord.test" in page and "leder@nord.test" in page
    assert "Frist overskredet: 24-timers vurdering, U-2026-000001" in page
    assert "550 5.1.1 No such user" in page
    assert "Send igen nu" in page


def test_retry_now_puts_a_failed_email_back_in_line(app, client):
    _alerts_at_overdue(_Refusing())
    login(client, make_user(role=Role.ADMIN))
    failed = db.session.scalars(select(Alert).order_by(Alert.id)).first()
    response = client.post(f"/admin/outbox/{failed.id}/retry")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Alert, failed.id).status == AlertStatus.PENDING
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.ALERT_RETRY))
    jobs.dispatch(lambda: datetime.now(UTC), ConsoleTransport("x@y", stream=_Sink()))
    db.session.expire_all()
    assert db.session.get(Alert, failed.id).status == AlertStatus.SENT


class _Sink:
    def write(self, text):
        pass

    def flush(self):
        pass


def test_only_admins_see_the_outbox(app, client):
    login(client, make_user(role=Role.LEADER))
    assert client.get("/admin/outbox/").status_code == 403
    assert client.post("/admin/outbox/1/retry").status_code == 403


def test_a_user_turns_the_digest_off_and_on(app, client):
    user = make_user(role=Role.CASEWORKER)
    login(client, user)
    page = client.get("/settings/").get_data(as_text=True)
    assert "Mine indstillinger" in page
    assert "kan ikke slås fra" in page

    client.post("/settings/", data={"save": "1"})  # the box unticked
    assert db.session.scalar(select(User.digest_enabled).where(User.id == user.id)) is False
    client.post("/settings/", data={"save": "1", "digest_enabled": "y"})
    assert db.session.scalar(select(User.digest_enabled).where(User.id == user.id)) is True
