"""Udgående post: an e-mail whose dispatcher died mid-send can be retried once its lease is over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alerting import make_people, register
from factories import login, make_user
from flask import current_app
from sqlalchemy import select

from tracker.alerts import jobs, outbox
from tracker.extensions import db
from tracker.mail.transport import SendResult
from tracker.models import Alert, AlertStatus, Role

OVERDUE = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
NOW = OVERDUE  # where the app's clock starts (the `clock` fixture)


class _TryAgainLater:
    def open(self):
        return self

    def send(self, message):
        return SendResult("451 4.3.0 Try again later")

    def close(self):
        pass


def _claimed_by_a_dispatcher_that_died() -> tuple[Alert, datetime]:
    register(make_people())
    jobs.sweep_and_dispatch(lambda: OVERDUE, _TryAgainLater())
    alert = db.session.scalars(select(Alert).order_by(Alert.id)).first()
    claimed_at = alert.next_attempt_at
    settings = outbox.DispatchSettings.from_config(current_app.config)
    assert alert.id in outbox.claim(claimed_at, settings)  # ... and never records a result
    db.session.commit()
    return alert, claimed_at + settings.lease


def test_an_email_whose_lease_ran_out_can_be_retried_now(client, clock):
    alert, lease_over = _claimed_by_a_dispatcher_that_died()
    login(client, make_user(role=Role.ADMIN))

    clock.set(lease_over - timedelta(seconds=1))
    assert "Send igen nu" not in client.get("/admin/outbox/").get_data(as_text=True)
    client.post(f"/admin/outbox/{alert.id}/retry")
    db.session.expire_all()
    assert db.session.get(Alert, alert.id).next_attempt_at == lease_over  # still being sent

    retry_at = lease_over + timedelta(minutes=1)
    clock.set(retry_at)
    assert "Send igen nu" in client.get("/admin/outbox/").get_data(as_text=True)
    client.post(f"/admin/outbox/{alert.id}/retry")
    db.session.expire_all()
    retried = db.session.get(Alert, alert.id)
    assert (retried.status, retried.next_attempt_at) == (AlertStatus.PENDING, retry_at)
