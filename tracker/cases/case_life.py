"""A case's life beyond its deadlines: journal notes, reopening a closed case, and telling
a new caseworker that the case is theirs.

Each writes a timeline entry and an audit row; the edge commits once. The e-mail to a
new caseworker goes through the outbox (sent by the scheduler after the commit) and
names only the case reference and a link: never the child, the notifier or the summary.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from tracker import audit
from tracker.alerts.sweep import insert_new_alerts
from tracker.audit import AuditAction
from tracker.cases.errors import CaseError, require_open
from tracker.cases.timeline import add_entry
from tracker.models import (
    REASSIGNED_STAGE,
    AlertStatus,
    CaseStatus,
    Notification,
    Role,
    TimelineEntry,
    TimelineKind,
    User,
)
from tracker.models.alerts import SUBJECT_LENGTH


def add_note(
    notification: Notification,
    *,
    text: str,
    by: User,
    now: datetime,
    occurred_at: datetime | None = None,
) -> TimelineEntry:
    """Add a short journal note (who, when, text) to the case's timeline."""
    require_open(notification)
    if not (text or "").strip():
        raise CaseError(_l("Write the note."), "note")
    entry = add_entry(
        notification, TimelineKind.NOTE, by=by, now=now, occurred_at=occurred_at, note=text
    )
    _audit(AuditAction.NOTE_ADD, notification, by, now)
    return entry


def reopen_case(notification: Notification, *, by: User, now: datetime, reason: str) -> None:
    """Open a closed case again (a leader of its team), with the reason on the timeline."""
    if notification.status != CaseStatus.CLOSED:
        raise CaseError(_l("The case is open."))
    if notification.anonymised_at is not None:
        raise CaseError(_l("The case's personal data were removed: it cannot be reopened."))
    if by.role != Role.LEADER or by.team_id != notification.team_id:
        raise CaseError(_l("Only a leader of the case's team can reopen it."))
    if not (reason or "").strip():
        raise CaseError(_l("Give the reason for reopening the case."), "reason")
    notification.status = CaseStatus.OPEN
    notification.closed_at = None
    notification.closed_by_id = None
    add_entry(notification, TimelineKind.REOPENED, by=by, now=now, note=reason)
    _audit(AuditAction.NOTIFICATION_REOPEN, notification, by, now)


def tell_new_caseworker(notification: Notification, caseworker: User, *, now: datetime) -> int:
    """Put an e-mail to the new caseworker in the outbox: the reference and a link only."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = gettext("A case is now yours: %(reference)s", reference=notification.reference)
    row = {
        "stage": REASSIGNED_STAGE,
        "notification_id": notification.id,
        "recipient_id": caseworker.id,
        "recipient_email": caseworker.email,
        "subject": subject[:SUBJECT_LENGTH],
        "due_at": now,
        "created_at": now,
        "status": AlertStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
    }
    return insert_new_alerts([row])


def _audit(action: AuditAction, notification: Notification, by: User, now: datetime) -> None:
    audit.record(
        action,
        actor=by,
        at=now,
        object_type=audit.CASE_OBJECT_TYPE,
        object_id=notification.id,
        team_id=notification.team_id,
    )
