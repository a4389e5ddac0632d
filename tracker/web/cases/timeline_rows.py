"""What the case page shows of one timeline entry: what happened, when, by whom, and notes.

The use case (tracker.cases.timeline) keeps the entries; this turns them into the rows
of templates/cases/_timeline.html, with the screen names of tracker.text.labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from tracker.cases.timeline import corrected_ids, entries_for
from tracker.extensions import db
from tracker.models import Notification, TimelineEntry, TimelineKind, User
from tracker.text.labels import (
    DECISION_LABELS,
    KIND_LABELS,
    OUTCOME_LABELS,
    TIMELINE_KIND_LABELS,
    label,
    stage_label,
)


@dataclass(frozen=True)
class TimelineRow:
    """One line of the timeline as shown."""

    entry: TimelineEntry
    title: str
    what: str
    who: str
    occurred_at: datetime
    recorded_at: datetime
    note: str | None
    corrected: bool
    is_correction: bool
    ends_duty: bool


def timeline_rows(
    notification: Notification, step_texts: Mapping[str, str] | None = None
) -> list[TimelineRow]:
    """Return the case's timeline, newest first, ready for the page."""
    step_texts = step_texts or {}
    corrected = corrected_ids(notification)
    return [_row(entry, step_texts, corrected) for entry in entries_for(notification)]


def _row(entry: TimelineEntry, step_texts: Mapping[str, str], corrected: set[int]) -> TimelineRow:
    details = entry.details or {}
    return TimelineRow(
        entry=entry,
        title=label(TIMELINE_KIND_LABELS, entry.kind),
        what=describe(entry, step_texts),
        who=entry.actor.name if entry.actor is not None else _("the system"),
        occurred_at=entry.occurred_at,
        recorded_at=entry.recorded_at,
        note=entry.note,
        corrected=entry.id in corrected,
        is_correction=entry.kind == TimelineKind.CORRECTION,
        ends_duty=bool(details.get("ends_duty")) and entry.id not in corrected,
    )


def describe(entry: TimelineEntry, step_texts: Mapping[str, str]) -> str:
    """Say in a line what the entry records, beyond its kind."""
    details = entry.details or {}
    kind = entry.kind
    if kind == TimelineKind.STEP_DONE or (kind == TimelineKind.CORRECTION and entry.step_key):
        text = step_texts.get(entry.step_key or "", entry.step_key or "")
        extra = ", ".join(str(v) for k, v in details.items() if k in ("to", "contacted"))
        return f"{text} ({extra})" if extra else text
    if kind in (TimelineKind.DEADLINE_MOVED, TimelineKind.RULES_APPLIED):
        return _(
            "%(kind)s: %(old)s → %(new)s (rules version «%(version)s»)",
            kind=label(KIND_LABELS, details.get("kind")),
            old=details.get("old_due", ""),
            new=details.get("new_due", ""),
            version=details.get("rules_version", ""),
        )
    if kind in (TimelineKind.DEADLINE_MET, TimelineKind.DEADLINE_NOT_APPLICABLE):
        return label(KIND_LABELS, details.get("kind"))
    if kind == TimelineKind.DECISION:
        return label(DECISION_LABELS, details.get("kind"))
    if kind == TimelineKind.OUTCOME:
        text = label(OUTCOME_LABELS, details.get("outcome"))
        if details.get("previous"):
            before = label(OUTCOME_LABELS, details["previous"])
            return _("%(now)s (before: %(before)s)", now=text, before=before)
        return text
    if kind == TimelineKind.REASSIGNED:
        user = db.session.get(User, details["to_id"]) if details.get("to_id") else None
        return _("To %(name)s", name=user.name) if user is not None else ""
    if kind == TimelineKind.ALERT_ACKNOWLEDGED:
        return f"{label(KIND_LABELS, details.get('kind'))}: {stage_label(details.get('stage', ''))}"
    if kind == TimelineKind.CORRECTION and entry.corrects is not None:
        return _("Corrects: %(what)s", what=label(TIMELINE_KIND_LABELS, entry.corrects.kind))
    return ""
