"""Dispatch from the outbox: claim pending e-mails, compose them, record what became of them.

Delivery is at least once, and duplicates are recognisable:

1. `claim` takes a batch in a short transaction of its own (SKIP LOCKED on PostgreSQL, so
   several dispatchers take disjoint batches), counts the attempt and sets a lease:
   `claimed_until` and `next_attempt_at` move to now + lease. The caller commits.
2. The caller sends the batch over one SMTP connection, outside any transaction.
3. `record_results` marks each e-mail sent, or schedules a retry with exponential backoff,
   or gives up (a permanent refusal, or the attempts are used up) with the last error kept
   for the admins. The caller commits.

A dispatcher that dies between 1 and 3 loses nothing: its lease runs out and the e-mail is
claimed again. If it died after the SMTP server accepted a message, that message is sent
twice, with the same Message-ID (derived from the alert), so mail clients show it once.

Like every use case this never commits; tracker.jobs does, between the steps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update

from tracker import audit
from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.mail.message import OutgoingMessage, message_id_for
from tracker.mail.transport import SendResult
from tracker.models import Alert, AlertStatus, User
from tracker.models.alerts import ERROR_LENGTH

MAX_BACKOFF = timedelta(hours=6)
INTERRUPTED = "interrupted while sending (the dispatcher stopped); not retried again"


@dataclass(frozen=True)
class DispatchSettings:
    """How dispatch behaves: batch size, claim lease, retries and backoff."""

    batch_size: int
    lease: timedelta
    max_attempts: int
    retry_base: timedelta
    connections: int  # dispatchers side by side (PostgreSQL only)
    send_timeout: timedelta  # the SMTP timeout, per operation

    def stop_sending_at(self, claimed_at: datetime) -> datetime:
        """Return when a batch claimed at `claimed_at` must stop starting new messages.

        A message may take a timeout to connect, one to send and, after a drop, one more
        to reconnect and one to resend: the last message started must end inside the lease,
        or another dispatcher could claim and send it too.
        """
        return claimed_at + self.lease - 4 * self.send_timeout

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DispatchSettings:
        """Read the MAIL_ settings (MAX_ATTEMPTS, RETRY_BASE_SECONDS, BATCH_SIZE, ...).

        Their defaults are config.py's; here at least one attempt and one connection.
        """
        return cls(
            batch_size=config["MAIL_BATCH_SIZE"],
            lease=timedelta(seconds=config["MAIL_LEASE_SECONDS"]),
            max_attempts=max(1, config["MAIL_MAX_ATTEMPTS"]),
            retry_base=timedelta(seconds=config["MAIL_RETRY_BASE_SECONDS"]),
            connections=max(1, config["MAIL_CONNECTIONS"]),
            send_timeout=timedelta(seconds=config["MAIL_SMTP_TIMEOUT"]),
        )

    def backoff(self, attempts: int) -> timedelta:
        """Return the wait after the `attempts`-th failed attempt: base, 2 x base, 4 x base ..."""
        return min(self.retry_base * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def claim(now: datetime, settings: DispatchSettings) -> list[int]:
    """Claim up to a batch of pending e-mails whose time has come; return their ids."""
    rows = db.session.execute(
        select(Alert.id, Alert.attempts, Alert.claimed_until)
        .where(Alert.status == AlertStatus.PENDING, Alert.next_attempt_at <= now)
        .order_by(Alert.next_attempt_at, Alert.id)
        .limit(settings.batch_size)
        .with_for_update(skip_locked=True)
    ).all()
    # A lease that ran out on the last allowed attempt: the dispatcher died sending it.
    exhausted = [
        id_
        for id_, attempts, claimed in rows
        if claimed is not None and attempts >= settings.max_attempts
    ]
    claimed = [id_ for id_, _attempts, _claimed in rows if id_ not in set(exhausted)]
    if exhausted:
        db.session.execute(
            update(Alert)
            .where(Alert.id.in_(exhausted))
            .values(
                status=AlertStatus.FAILED,
                next_attempt_at=None,
                claimed_until=None,
                last_error=INTERRUPTED,
            )
            .execution_options(synchronize_session=False)
        )
    if claimed:
        db.session.execute(
            update(Alert)
            .where(Alert.id.in_(claimed))
            .values(
                attempts=Alert.attempts + 1,
                claimed_until=now + settings.lease,
                next_attempt_at=now + settings.lease,
            )
            .execution_options(synchronize_session=False)
        )
    return claimed


def alert_message_id(alert: Alert, domain: str) -> str:
    """Return the alert's Message-ID: the same on every resend, unique across databases."""
    stamp = alert.created_at.strftime("%Y%m%d%H%M%S%f")
    return message_id_for(f"alert-{alert.id}-{stamp}", domain)


def record_results(
    sent: Sequence[tuple[int, str, SendResult]],
    now: datetime,
    settings: DispatchSettings,
) -> None:
    """Record the outcome of each (alert id, Message-ID, result) sent in one batch.

    Only rows still pending are touched: if our lease ran out and another dispatcher has
    meanwhile sent the e-mail, its "sent" stands.
    """
    attempts = dict(
        db.session.execute(
            select(Alert.id, Alert.attempts).where(Alert.id.in_([id_ for id_, _, _ in sent]))
        ).all()
    )
    done, retry, failed = [], [], []
    for alert_id, message_id, result in sent:
        row = {"b_id": alert_id, "b_message_id": message_id}
        if result.ok:
            done.append(row)
            continue
        row["b_error"] = (result.error or "unknown error")[:ERROR_LENGTH]
        tried = attempts.get(alert_id, 0)
        if result.permanent or tried >= settings.max_attempts:
            failed.append(row)
        else:
            retry.append(row | {"b_next": now + settings.backoff(tried)})
    _update_pending(
        done,
        status=AlertStatus.SENT,
        sent_at=now,
        next_attempt_at=None,
        last_error=None,
    )
    _update_pending(retry, next_attempt_at=bindparam("b_next"), last_error=bindparam("b_error"))
    _update_pending(
        failed, status=AlertStatus.FAILED, next_attempt_at=None, last_error=bindparam("b_error")
    )


def _update_pending(rows: list[dict[str, Any]], **values: Any) -> None:
    if not rows:
        return
    table = Alert.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.status == AlertStatus.PENDING.value)
        .values(claimed_until=None, message_id=bindparam("b_message_id"), **values)
    )
    db.session.execute(statement, rows)


def cancel(alert_ids: Sequence[int], reason: str) -> None:
    """Withdraw pending e-mails that are no longer needed (their deadline was closed)."""
    if not alert_ids:
        return
    db.session.execute(
        update(Alert)
        .where(Alert.id.in_(alert_ids), Alert.status == AlertStatus.PENDING)
        .values(
            status=AlertStatus.CANCELLED,
            next_attempt_at=None,
            claimed_until=None,
            last_error=reason[:ERROR_LENGTH],
        )
        .execution_options(synchronize_session=False)
    )


def can_retry_now(alert: Alert, now: datetime) -> bool:
    """Say whether an e-mail may be put back in line: failed, or pending and not being sent."""
    if alert.status == AlertStatus.FAILED:
        return True
    # A lease that ran out (its dispatcher died) keeps claimed_until: only a live one counts.
    being_sent = alert.claimed_until is not None and alert.claimed_until > now
    return alert.status == AlertStatus.PENDING and not being_sent


def release(alert_ids: Sequence[int], now: datetime) -> None:
    """Give back claimed e-mails that were not tried (the lease ran short): next claim's."""
    if not alert_ids:
        return
    db.session.execute(
        update(Alert)
        .where(Alert.id.in_(alert_ids), Alert.status == AlertStatus.PENDING)
        .values(attempts=Alert.attempts - 1, claimed_until=None, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )


def retry_now(alert: Alert, now: datetime, *, by: User | None) -> bool:
    """Put a failed or retrying e-mail back in line for the next dispatch; False if sent.

    `by` is the administrator who asked (audited), None for the system.
    """
    if not can_retry_now(alert, now):
        return False
    alert.status = AlertStatus.PENDING
    alert.next_attempt_at = now
    audit.record(AuditAction.ALERT_RETRY, actor=by, at=now, object_type="alert", object_id=alert.id)
    return True


def make_message(alert: Alert, text: str, html: str | None, domain: str) -> OutgoingMessage:
    """Return the e-mail of one outbox row, with its stable Message-ID."""
    return OutgoingMessage(
        to=[alert.recipient_email],
        subject=alert.subject,
        text=text,
        html=html,
        message_id=alert_message_id(alert, domain),
        headers={"X-Fristsporing-Alert": str(alert.id)},
    )
