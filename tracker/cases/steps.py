"""Use cases for the steps of a case's action card, recorded on the case timeline.

A step is done with who, when (entered, default now, never in the future, never before
the receipt) and a short note. A step done by mistake is corrected by a new entry with
a reason (tracker.cases.timeline.correct_entry), never deleted.
"""

from __future__ import annotations

from datetime import datetime

from tracker import audit
from tracker.audit import AuditAction
from tracker.cases.errors import require_open
from tracker.cases.timeline import correct_entry
from tracker.models import TimelineEntry, User


def correct_timeline_entry(
    entry: TimelineEntry, *, by: User, now: datetime, reason: str
) -> TimelineEntry:
    """Correct an entry of a case's timeline (with the reason) and audit it."""
    require_open(entry.notification)
    correction = correct_entry(entry, by=by, now=now, reason=reason)
    audit.record(
        AuditAction.TIMELINE_CORRECT,
        actor=by,
        at=now,
        object_type=audit.CASE_OBJECT_TYPE,
        object_id=entry.notification_id,
        team_id=entry.notification.team_id,
        detail={"entry_id": entry.id, "kind": entry.kind},
    )
    return correction
