"""Correcting or undoing what was recorded on a case: a met deadline, an outcome, a tick.

The correction is a new timeline entry (kind CORRECTION, with the reason) written by
tracker.cases.steps.correct_timeline_entry, which audits it; the corrected entry stays
and shows "rettet". What the entry set on the case is undone here: the deadline is
open again (and alerts again), the outcome goes back to the one before, the tick goes.
Only the case's caseworker, the person who recorded the entry, or a leader may do it.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from tracker.cases.errors import CaseError
from tracker.cases.steps import correct_timeline_entry
from tracker.cases.timeline import corrected_ids
from tracker.extensions import db
from tracker.models import AssessmentOutcome, Role, TimelineEntry, TimelineKind, User


def may_correct(user: User, entry: TimelineEntry) -> bool:
    """Tell whether the user may correct the entry: caseworker, its author, or a leader."""
    notification = entry.notification
    return (
        user.id == notification.caseworker_id
        or user.id == entry.actor_id
        or (user.role == Role.LEADER and user.team_id == notification.team_id)
    )


def correct(entry: TimelineEntry, *, by: User, now: datetime, reason: str) -> TimelineEntry:
    """Correct (and where it set something, undo) an entry; return the correction entry."""
    if not may_correct(by, entry):
        raise CaseError(_l("Only the case's caseworker or a leader can correct this entry."))
    if entry.kind == TimelineKind.DEADLINE_MET:
        _check_latest_completion(entry)
    correction = correct_timeline_entry(entry, by=by, now=now, reason=reason)
    if entry.kind == TimelineKind.DEADLINE_MET:
        _reopen_deadline(entry, now)
    elif entry.kind == TimelineKind.OUTCOME:
        _restore_earlier_outcome(entry)
    elif entry.kind == TimelineKind.STEP_DONE and (entry.details or {}).get("checklist"):
        _untick(entry)
    return correction


def _check_latest_completion(entry: TimelineEntry) -> None:
    deadline = entry.deadline
    if deadline is None or deadline.completed_at is None:
        raise CaseError(_l("The deadline is not met now: there is nothing to undo."))
    later = [
        other
        for other in entry.notification.timeline
        if other.kind == TimelineKind.DEADLINE_MET
        and other.deadline_id == entry.deadline_id
        and (other.id or 0) > (entry.id or 0)
        and other.id not in corrected_ids(entry.notification)
    ]
    if later:
        raise CaseError(_l("Only the latest completion of a deadline can be undone."))


def _reopen_deadline(entry: TimelineEntry, now: datetime) -> None:
    deadline = entry.deadline
    deadline.completed_at = None
    deadline.completed_by_id = None
    deadline.outcome_note = None
    # The sweep works out which alert is due next (at once, if the deadline has passed).
    deadline.next_alert_at = now if deadline.overdue_from is not None else None


def _restore_earlier_outcome(entry: TimelineEntry) -> None:
    notification = entry.notification
    db.session.flush()
    corrected = corrected_ids(notification)
    standing = [
        other
        for other in notification.timeline
        if other.kind == TimelineKind.OUTCOME and other.id not in corrected and other is not entry
    ]
    if not standing:
        notification.assessment_outcome = None
        notification.assessment_outcome_at = None
        notification.assessment_outcome_by_id = None
        return
    latest = max(standing, key=lambda e: (e.occurred_at, e.id))
    notification.assessment_outcome = AssessmentOutcome((latest.details or {})["outcome"])
    notification.assessment_outcome_at = latest.occurred_at
    notification.assessment_outcome_by_id = latest.actor_id


def _untick(entry: TimelineEntry) -> None:
    notification = entry.notification
    for tick in list(notification.checklist_ticks):
        if tick.item_key == entry.step_key:
            # The tick row only says "ticked now"; its history is the timeline's and the log's.
            notification.checklist_ticks.remove(tick)
