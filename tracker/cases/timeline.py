"""The case timeline: write an entry, read a case's entries, correct one by a new entry.

Every use case that changes a case adds an entry here (registration, a deadline met,
a decision, a step of the action card, a reassignment, closing ...). The caller writes
its own audit row; the edge commits once. Entries are never changed or deleted: a
mistake is corrected by an entry of kind CORRECTION that names the entry and the reason.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from tracker.cases.errors import FUTURE_TOLERANCE, CaseError
from tracker.extensions import db
from tracker.models import Notification, TimelineEntry, TimelineKind, User
from tracker.models.cases import NOTE_LENGTH, REASON_LENGTH

NOTE_MAX_LENGTH = NOTE_LENGTH
REASON_MAX_LENGTH = REASON_LENGTH


def add_entry(
    notification: Notification,
    kind: TimelineKind | str,
    *,
    by: User | None,
    now: datetime,
    occurred_at: datetime | None = None,
    note: str | None = None,
    step_key: str | None = None,
    deadline=None,
    corrects: TimelineEntry | None = None,
    details: dict | None = None,
) -> TimelineEntry:
    """Add one entry to the case's timeline (to the session) and return it.

    `occurred_at` (when it happened, as the person says) defaults to `now`; it may be
    earlier, never in the future and never before the notification was received.
    A note over NOTE_MAX_LENGTH is refused, never cut.
    """
    if occurred_at is None:
        occurred_at = max(now, notification.received_at)  # received a moment "ahead" of now
    check_occurred_at(notification, occurred_at, now)
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_MAX_LENGTH:
        raise CaseError(
            _l("The note is too long: at most %(n)d characters.", n=NOTE_MAX_LENGTH), "note"
        )
    entry = TimelineEntry(
        kind=TimelineKind(kind),
        occurred_at=occurred_at,
        recorded_at=now,
        actor_id=by.id if by is not None else None,
        step_key=step_key,
        deadline_id=deadline.id if deadline is not None else None,
        corrects_id=corrects.id if corrects is not None else None,
        note=note,
        details=details or None,
    )
    notification.timeline.append(entry)
    return entry


def check_occurred_at(notification: Notification, occurred_at: datetime, now: datetime) -> None:
    """Refuse a time in the future or before the notification was received."""
    if occurred_at > now + FUTURE_TOLERANCE:
        raise CaseError(
            _l("The time cannot lie in the future. Enter when it actually happened."),
            "occurred_at",
        )
    if occurred_at < notification.received_at:
        raise CaseError(
            _l("The time cannot be before the notification was received."), "occurred_at"
        )


def entries_for(notification: Notification) -> list[TimelineEntry]:
    """Return the case's entries, newest first (by when they happened, then as written)."""
    return sorted(notification.timeline, key=lambda e: (e.occurred_at, e.id or 0), reverse=True)


def corrected_ids(notification: Notification) -> set[int]:
    """Return the ids of the entries a later entry corrects (shown as "rettet")."""
    return {e.corrects_id for e in notification.timeline if e.corrects_id is not None}


def correct_entry(entry: TimelineEntry, *, by: User, now: datetime, reason: str) -> TimelineEntry:
    """Correct an entry by a new CORRECTION entry with the reason; the old one stays."""
    reason = (reason or "").strip()
    if not reason:
        raise CaseError(_l("Give the reason for the correction."), "reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise CaseError(
            _l("The reason is too long: at most %(n)d characters.", n=REASON_MAX_LENGTH), "reason"
        )
    if entry.kind == TimelineKind.CORRECTION:
        raise CaseError(_l("A correction cannot itself be corrected; add a new entry."))
    if entry.id in corrected_ids(entry.notification):
        raise CaseError(_l("This entry has already been corrected."))
    db.session.flush()  # the entry needs its id before another entry can point at it
    return add_entry(
        entry.notification,
        TimelineKind.CORRECTION,
        by=by,
        now=now,
        note=reason,
        step_key=entry.step_key,
        corrects=entry,
    )
