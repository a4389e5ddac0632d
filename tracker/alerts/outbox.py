"""Dispatch from the outbox: claim pending e-mails, compose them, record what became of them.

Delivery is at least once, and duplicates are recognisable:

1. `claim` takes a batch in a short transaction of its own (SKIP LOCKED on PostgreSQL, so
   several dispatchers take disjoint batches) and sets a lease: `claimed_until` and
   `next_attempt_at` move to now + lease. The caller commits.
2. The caller sends the batch one e-mail at a time over one SMTP connection, outside any
   transaction. Before each e-mail it asks `renew` to extend the lease of the e-mails not
   sent yet when half of its slack is gone (the value of `claimed_until` is the claim's
   token: rows another dispatcher has taken since are dropped from the claim), and
   `may_start` whether the e-mail can still finish inside the lease.
3. Right after each e-mail, `record_result` counts the attempt and marks it sent, or
   schedules a retry with exponential backoff up to a ceiling (MAIL_RETRY_MAX_SECONDS),
   retrying at that ceiling for as long as the failure is temporary (no alert is lost to
   a long outage), or gives up on a permanent refusal, with the last error kept for the
   admins; in the same short transaction as the next e-mail's step 2. At the end
   `release` gives back what was not started.

A dispatcher that dies loses nothing: its lease runs out (within MAIL_LEASE_SECONDS of
its last renewal) and its e-mails are claimed again. Only the e-mail in flight when it
died (accepted by the SMTP server, not yet recorded) can be sent twice, with the same
Message-ID (derived from the alert), so mail clients show it once.

Like every use case this never commits; tracker.jobs does, between the steps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, case, select, update

from tracker import audit
from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.mail.message import OutgoingMessage, message_id_for
from tracker.mail.transport import SendResult
from tracker.models import Alert, AlertStatus, User
from tracker.models.alerts import ERROR_LENGTH

INTERRUPTED = "interrupted while sending (the dispatcher stopped); not retried again"


@dataclass(frozen=True)
class DispatchSettings:
    """How dispatch behaves: batch size, claim lease, retries and backoff."""

    batch_size: int
    lease: timedelta
    # Only for an e-mail in flight when its dispatcher died, again and again (it may be what
    # kills them): given up after this many. A temporary failure is retried forever.
    max_attempts: int
    retry_base: timedelta
    connections: int  # dispatchers side by side (PostgreSQL only)
    send_timeout: timedelta  # the SMTP timeout, per operation
    retry_ceiling: timedelta = timedelta(minutes=30)  # the longest wait between two attempts

    @property
    def longest_send(self) -> timedelta:
        """Return the longest one e-mail can take.

        A timeout to connect, one to send and, after a drop, one more to reconnect and one
        to resend: an e-mail started with less of its lease left could outlast the lease,
        and another dispatcher could claim and send it too.
        """
        return 4 * self.send_timeout

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
            retry_ceiling=timedelta(seconds=max(1, config["MAIL_RETRY_MAX_SECONDS"])),
        )

    def backoff(self, attempts: int) -> timedelta:
        """Return the wait after the `attempts`-th failed attempt: base, 2 x base, ... ceiling."""
        # Capped before multiplying: after hundreds of attempts 2 ** n would overflow.
        doublings = min(max(attempts - 1, 0), 30)
        return min(self.retry_base * 2**doublings, self.retry_ceiling)


@dataclass(frozen=True)
class Claim:
    """The e-mails one dispatcher holds: each with its attempt count, and the lease's end."""

    attempts: Mapping[int, int]  # alert id -> attempts before this one
    until: datetime | None = None  # claimed_until of every row: the claim's token

    @property
    def ids(self) -> list[int]:
        return list(self.attempts)

    def __contains__(self, alert_id: object) -> bool:
        return alert_id in self.attempts

    def __bool__(self) -> bool:
        return bool(self.attempts)

    def without(self, alert_id: int) -> Claim:
        """Return the claim less one e-mail (recorded, or no longer ours)."""
        return Claim({k: v for k, v in self.attempts.items() if k != alert_id}, self.until)


def claim(now: datetime, settings: DispatchSettings) -> Claim:
    """Claim up to a batch of pending e-mails whose time has come."""
    rows = db.session.execute(
        select(Alert.id, Alert.attempts, Alert.claimed_until)
        .where(Alert.status == AlertStatus.PENDING, Alert.next_attempt_at <= now)
        .order_by(Alert.next_attempt_at, Alert.id)
        .limit(settings.batch_size)
        .with_for_update(skip_locked=True)
    ).all()
    # A lease that ran out: its dispatcher died. It sent its e-mails in id order and recorded
    # each one right after, so of the rows it still held only the first (the lowest id) can
    # have been in flight: that one is charged the attempt, the others were never started.
    # Charged on its last allowed attempt, it is given up (it may be what kills dispatchers).
    in_flight: dict[datetime, int] = {}
    for id_, _attempts, lease in rows:
        if lease is not None:
            in_flight.setdefault(lease, id_)
    charged = set(in_flight.values())
    tried = {id_: attempts + (id_ in charged) for id_, attempts, _lease in rows}
    exhausted = {id_ for id_ in charged if tried[id_] >= settings.max_attempts}
    claimed = {id_: attempts for id_, attempts in tried.items() if id_ not in exhausted}
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
    if not claimed:
        return Claim({})
    until = now + settings.lease
    db.session.execute(
        update(Alert)
        .where(Alert.id.in_(claimed))
        .values(
            attempts=case((Alert.id.in_(charged), Alert.attempts + 1), else_=Alert.attempts),
            claimed_until=until,
            next_attempt_at=until,
        )
        .execution_options(synchronize_session=False)
    )
    return Claim(claimed, until)


def may_start(held: Claim, now: datetime, settings: DispatchSettings) -> bool:
    """Tell whether an e-mail started now surely ends inside the claim's lease."""
    return held.until is not None and now + settings.longest_send <= held.until


def renew(held: Claim, now: datetime, settings: DispatchSettings, *, session=None) -> Claim:
    """Extend the lease of the e-mails still held, once half of the lease's slack is gone.

    Returns the claim as it now stands: rows that are no longer ours (our lease ran out and
    another dispatcher claimed them, or an admin's action changed them) are left out.
    """
    slack = settings.lease - settings.longest_send
    if not held or held.until is None or held.until - now > settings.longest_send + slack / 2:
        return held
    until = now + settings.lease
    kept = (
        (session or db.session)
        .scalars(
            update(Alert)
            .where(
                Alert.id.in_(held.ids),
                Alert.status == AlertStatus.PENDING,
                Alert.claimed_until == held.until,
            )
            .values(claimed_until=until, next_attempt_at=until)
            .returning(Alert.id)
            .execution_options(synchronize_session=False)
        )
        .all()
    )
    return Claim({id_: held.attempts[id_] for id_ in kept}, until)


def alert_message_id(alert: Alert, domain: str) -> str:
    """Return the alert's Message-ID: the same on every resend, unique across databases."""
    stamp = alert.created_at.strftime("%Y%m%d%H%M%S%f")
    return message_id_for(f"alert-{alert.id}-{stamp}", domain)


def record_result(
    held: Claim,
    alert_id: int,
    message_id: str,
    result: SendResult,
    now: datetime,
    settings: DispatchSettings,
    *,
    session=None,
) -> None:
    """Record what became of one e-mail of a claim, right after it was sent: one attempt.

    Only a row still pending is touched: if our lease ran out and another dispatcher has
    meanwhile sent the e-mail, its "sent" stands.
    """
    row = {"b_id": alert_id, "b_message_id": message_id}
    if result.ok:
        _update_pending(
            session, [row], status=AlertStatus.SENT, sent_at=now, next_attempt_at=None,
            last_error=None,
        )  # fmt: skip
        return
    row["b_error"] = (result.error or "unknown error")[:ERROR_LENGTH]
    tried = held.attempts.get(alert_id, 0) + 1
    if result.permanent:
        _update_pending(
            session, [row], status=AlertStatus.FAILED, next_attempt_at=None,
            last_error=bindparam("b_error"),
        )  # fmt: skip
    else:
        row["b_next"] = now + settings.backoff(tried)
        _update_pending(
            session, [row], next_attempt_at=bindparam("b_next"), last_error=bindparam("b_error")
        )


def _update_pending(session, rows: list[dict[str, Any]], **values: Any) -> None:
    if not rows:
        return
    table = Alert.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.status == AlertStatus.PENDING.value)
        .values(
            attempts=table.c.attempts + 1,
            claimed_until=None,
            message_id=bindparam("b_message_id"),
            **values,
        )
    )
    (session or db.session).execute(statement, rows)


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


def release(held: Claim, now: datetime, *, session=None) -> None:
    """Give back the claimed e-mails that were not tried (the lease ran short): next claim's."""
    if not held:
        return
    (session or db.session).execute(
        update(Alert)
        .where(
            Alert.id.in_(held.ids),
            Alert.status == AlertStatus.PENDING,
            Alert.claimed_until == held.until,
        )
        .values(claimed_until=None, next_attempt_at=now)
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


def retry_all_failed(now: datetime, *, by: User | None) -> int:
    """Put every failed e-mail back in line for the next dispatch ("Send igen"); how many.

    One audit row for the lot, with the count: `by` is the administrator who asked.
    """
    retried = (
        db.session.execute(
            update(Alert)
            .where(Alert.status == AlertStatus.FAILED)
            .values(status=AlertStatus.PENDING, next_attempt_at=now, claimed_until=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )
    if retried:
        audit.record(
            AuditAction.ALERT_RETRY_ALL, actor=by, at=now, object_type="alert",
            detail={"count": retried},
        )  # fmt: skip
    return retried


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
