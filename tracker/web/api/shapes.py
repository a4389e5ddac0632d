"""How the JSON API writes notifications and deadlines, and reads its times.

The shapes are those of tracker.web.openapi. Times go out in Copenhagen local
time with their offset; CPR numbers never go out, nor a birth date taken from one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from tracker.domain.local_time import COPENHAGEN
from tracker.models import Deadline, Notification
from tracker.text.labels import KIND_LABELS
from tracker.text.wording import deadline_time_phrase, status_of


def iso_time(value: datetime | None) -> str | None:
    """Write an aware instant as ISO 8601 in Copenhagen local time with its offset."""
    return None if value is None else value.astimezone(COPENHAGEN).isoformat()


def iso_date(value: date | None) -> str | None:
    """Write a date as ISO 8601."""
    return None if value is None else value.isoformat()


def parse_aware_time(value: object) -> datetime | None:
    """Read an ISO 8601 date-time that carries a UTC offset; None if it is not one.

    The result is in UTC; an instant outside what a datetime can hold in UTC is None too.
    """
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        return None
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+01:00
        return None


def deadline_json(deadline: Deadline, now: datetime, *, in_list: bool = False) -> dict:
    """Return a deadline as the API shows it; lists leave out the caseworkers' free text."""
    shape = {
        "id": deadline.id,
        "notification_id": deadline.notification_id,
        "reference": deadline.notification.reference,
        "kind": deadline.kind,
        "kind_label": str(KIND_LABELS[deadline.kind]),
        "status": status_of(deadline, now).value,
        "time_phrase": deadline_time_phrase(deadline, now),
        "starts_at": iso_time(deadline.starts_at),
        "due_date": iso_date(deadline.due_date),
        "overdue_from": iso_time(deadline.overdue_from),
        "legal_basis": {"paragraph": deadline.legal_paragraph, "text": deadline.legal_text},
        "trace": list(deadline.trace or []),
        "precondition": deadline.precondition,
        "completed_at": iso_time(deadline.completed_at),
        "completed_by_id": deadline.completed_by_id,
        "team_id": deadline.team_id,
        "caseworker_id": deadline.caseworker_id,
    }
    if not in_list:
        shape["outcome_note"] = deadline.outcome_note
        shape["not_applicable_reason"] = deadline.not_applicable_reason
    return shape


def notification_json(notification: Notification, now: datetime) -> dict:
    """Return a notification with its deadlines; the CPR number only as has_cpr_number.

    The birth date is left out (null) when the case has a CPR number: it would give out
    the number's first six digits.
    """
    return {
        "id": notification.id,
        "reference": notification.reference,
        "received_at": iso_time(notification.received_at),
        "registered_at": iso_time(notification.registered_at),
        "channel": notification.channel,
        "notifier_kind": notification.notifier_kind,
        "notifier_contact": notification.notifier_contact,
        "child_reference": notification.child_reference,
        "has_cpr_number": notification.cpr_number is not None,
        "child_birth_date": None
        if notification.cpr_number is not None
        else iso_date(notification.child_birth_date),
        "age_group": notification.age_group,
        "expected_birth_date": iso_date(notification.expected_birth_date),
        "child_gender": notification.child_gender,
        "notifier_sector": notification.notifier_sector,
        "concerns": notification.concern_categories,
        "concern_category": notification.concern_categories[0],
        "summary": notification.summary,
        "team_id": notification.team_id,
        "caseworker_id": notification.caseworker_id,
        "status": notification.status,
        "assessment_outcome": notification.assessment_outcome,
        "deadlines": [deadline_json(d, now) for d in notification.deadlines],
    }
