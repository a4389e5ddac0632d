"""Use cases of intake items: store an arrival, look at one, register it, or dismiss it.

Every read and write is audited (object_type "intake_item") with the acting user passed in;
nothing here commits (the edge does). The item's content (sender, subject, text) never goes
into the audit log, a log line or an e-mail: ids, times and the mailbox's name only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from tracker import audit
from tracker.audit import AuditAction
from tracker.cases.actions import FUTURE_TOLERANCE, CaseError
from tracker.cases.input import MIN_RECEIVED_YEAR
from tracker.domain.characters import has_refused_characters
from tracker.domain.local_time import COPENHAGEN
from tracker.extensions import db
from tracker.models import IntakeItem, IntakeStatus, Notification, Role, User
from tracker.models.cases import REASON_LENGTH

OBJECT_TYPE = "intake_item"


@dataclass(frozen=True)
class Arrival:
    """Something that arrived: where, when (the server's or the form's time) and what."""

    source: str
    mailbox: str
    message_id: str
    arrived_at: datetime
    team_id: int
    raw: bytes | None
    raw_type: str
    sender: str | None = None
    subject: str | None = None
    body_text: str = ""
    attachments: list[dict[str, Any]] = field(default_factory=list)


def store_arrival(arrival: Arrival, *, now: datetime, actor: User | None = None) -> int | None:
    """Add an item for an arrival; return its id, or None if (mailbox, Message-ID) is known.

    Its alerts are looked at by the next sweep at once (next_alert_at = now).
    """
    values = {
        "source": arrival.source,
        "mailbox": arrival.mailbox,
        "message_id": arrival.message_id,
        "arrived_at": arrival.arrived_at,
        "created_at": now,
        "team_id": arrival.team_id,
        "sender": arrival.sender,
        "subject": arrival.subject,
        "body_text": arrival.body_text,
        "attachments": arrival.attachments,
        "raw": arrival.raw,
        "raw_type": arrival.raw_type,
        "status": IntakeStatus.UNREGISTERED.value,
        "next_alert_at": now,
    }
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    item_id = db.session.execute(
        insert(IntakeItem)
        .values(values)
        .on_conflict_do_nothing(index_elements=["mailbox", "message_id"])
        .returning(IntakeItem.id)
    ).scalar()
    if item_id is None:
        return None
    audit.record(
        AuditAction.INTAKE_ITEM_CREATE,
        actor=actor,
        at=now,
        object_type=OBJECT_TYPE,
        object_id=item_id,
        team_id=arrival.team_id,
        detail={"source": arrival.source, "mailbox": arrival.mailbox},
    )
    return item_id


def unregistered(team_ids: list[int] | tuple[int, ...]) -> list[IntakeItem]:
    """Return the teams' items nobody has registered or dismissed yet, oldest first."""
    if not team_ids:
        return []
    return list(
        db.session.scalars(
            select(IntakeItem)
            .where(
                IntakeItem.team_id.in_(team_ids),
                IntakeItem.status == IntakeStatus.UNREGISTERED,
            )
            .order_by(IntakeItem.arrived_at, IntakeItem.id)
        )
    )


def record_view(item: IntakeItem, *, by: User, now: datetime, download: bool = False) -> None:
    """Write the audit row of someone looking at an item (or downloading its raw message)."""
    _audit(
        AuditAction.INTAKE_ITEM_DOWNLOAD if download else AuditAction.INTAKE_ITEM_VIEW,
        item,
        by,
        now,
    )


def receipt_time(
    item: IntakeItem, received_at: datetime, reason: str | None
) -> tuple[datetime, str | None]:
    """Return a registration's receipt time and the reason kept for an earlier one.

    The arrival is the receipt time: the form's minute of it means the arrival to the
    second. An earlier time (a phone call came first) needs a reason; a later one is
    refused, since the clock ran from the arrival.
    """
    reason = (reason or "").strip() or None
    if received_at == item.arrived_at.replace(second=0, microsecond=0):
        return item.arrived_at, None
    if received_at > item.arrived_at:
        raise CaseError(
            _l("The time of receipt cannot be later than when the item arrived."), "received_at"
        )
    if reason is None:
        raise CaseError(
            _l("Say why the notification was received before the item arrived."),
            "earlier_reason",
        )
    _check_reason(reason, "earlier_reason")
    return received_at, reason


def link_registration(
    item: IntakeItem,
    notification: Notification,
    *,
    earlier_reason: str | None,
    by: User,
    now: datetime,
) -> None:
    """Mark the item registered as `notification`; its alerts stop."""
    _require_unregistered(item)
    item.status = IntakeStatus.REGISTERED
    item.notification_id = notification.id
    item.decided_at = now
    item.decided_by_id = by.id
    item.earlier_receipt_reason = earlier_reason
    item.next_alert_at = None
    _audit(AuditAction.INTAKE_ITEM_REGISTER, item, by, now, case_id=notification.id)


def dismiss(item: IntakeItem, reason: str, *, by: User, now: datetime) -> None:
    """Mark an item "ikke en underretning" (a leader only), with the reason."""
    if by.role != Role.LEADER or by.team_id != item.team_id:
        raise CaseError(_l("Only a leader of the team can say that this is not a notification."))
    _require_unregistered(item)
    reason = (reason or "").strip()
    if not reason:
        raise CaseError(_l("Say why this is not a notification."), "reason")
    _check_reason(reason, "reason")
    item.status = IntakeStatus.NOT_A_NOTIFICATION
    item.dismiss_reason = reason
    item.decided_at = now
    item.decided_by_id = by.id
    item.next_alert_at = None
    _audit(AuditAction.INTAKE_ITEM_DISMISS, item, by, now)


def check_arrival_time(arrived_at: datetime, now: datetime) -> None:
    """Refuse an arrival in the future (a form's clock may be a little ahead) or before 2000.

    The same bounds as a registration's receipt time (tracker.cases.input).
    """
    if arrived_at > now + FUTURE_TOLERANCE:
        raise CaseError(_l("The time of arrival lies in the future."), "arrived_at")
    # Compared as instants: converting a time near year 1 to Copenhagen time would overflow.
    if arrived_at < datetime(MIN_RECEIVED_YEAR, 1, 1, tzinfo=COPENHAGEN):
        raise CaseError(
            _l("The time of arrival lies before %(year)d.", year=MIN_RECEIVED_YEAR), "arrived_at"
        )


def _require_unregistered(item: IntakeItem) -> None:
    if item.status != IntakeStatus.UNREGISTERED:
        raise CaseError(_l("The item has already been registered or dismissed."))


def _check_reason(reason: str, name: str) -> None:
    if len(reason) > REASON_LENGTH:
        raise CaseError(_l("At most %(count)d characters.", count=REASON_LENGTH), name)
    if has_refused_characters(reason):
        raise CaseError(_l("The text contains characters that are not allowed."), name)


def _audit(
    action: AuditAction, item: IntakeItem, by: User | None, now: datetime, case_id=None
) -> None:
    audit.record(
        action,
        actor=by,
        at=now,
        object_type=OBJECT_TYPE,
        object_id=item.id,
        team_id=item.team_id,
        case_id=case_id if case_id is not None else item.notification_id,
    )
