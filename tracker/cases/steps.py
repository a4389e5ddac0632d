"""Use cases for the steps of a case's action card, recorded on the case timeline.

A step is done with who, when (entered, default now, never in the future, never before
the receipt) and a short note. A step done by mistake is corrected by a new entry with
a reason (tracker.cases.timeline.correct_entry), never deleted.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from tracker import audit
from tracker.audit import AuditAction
from tracker.cases.card_file import Card
from tracker.cases.errors import CaseError, require_open
from tracker.cases.timeline import add_entry, correct_entry, corrected_ids
from tracker.models import Notification, TimelineEntry, TimelineKind, User

TO_MAX_LENGTH = 200


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


def record_step(
    notification: Notification,
    card: Card,
    *,
    step_key: str,
    by: User,
    now: datetime,
    done_at: datetime | None = None,
    note: str | None = None,
    to: str | None = None,
) -> TimelineEntry:
    """Record a step of the case's card as done: who, when (default now) and a note.

    Refused: an unknown step (field "step"), a time in the future or before the
    receipt (field "occurred_at"), a closed case. `to` says to whom (the consultant,
    the police) for steps that ask it; the police hand-over ends the handlepligt.
    """
    require_open(notification)
    step = card.step(step_key)
    if step is None:
        raise CaseError(_l("This step is not on the case's action card."), "step")
    to = (to or "").strip() or None
    if to is not None and len(to) > TO_MAX_LENGTH:
        raise CaseError(_l("Too long: at most %(n)d characters.", n=TO_MAX_LENGTH), "to")
    details = {"card": card.key}
    if to is not None:
        details["to"] = to
    if step.ends_duty:
        details["ends_duty"] = True
    entry = add_entry(
        notification,
        TimelineKind.STEP_DONE,
        by=by,
        now=now,
        occurred_at=done_at,
        note=note,
        step_key=step.key,
        details=details,
    )
    audit.record(
        AuditAction.STEP_RECORD,
        actor=by,
        at=now,
        object_type=audit.CASE_OBJECT_TYPE,
        object_id=notification.id,
        team_id=notification.team_id,
        detail={"step": step.key, "card": card.key},
    )
    return entry


def steps_done(notification: Notification) -> dict[str, TimelineEntry]:
    """Return, per step key, the latest entry that did it and is not corrected."""
    corrected = corrected_ids(notification)
    done: dict[str, TimelineEntry] = {}
    for entry in sorted(notification.timeline, key=lambda e: (e.occurred_at, e.id or 0)):
        if entry.kind == TimelineKind.STEP_DONE and entry.id not in corrected:
            done[entry.step_key] = entry
    return done
