"""A personal iCalendar feed of open deadlines, reached by a secret token instead of a session.

Only a SHA-256 hash of the token is stored (User.calendar_token_hash): a new token
replaces the hash, so the old feed address stops working at once. Events carry
the deadline kind, the case reference and a link: no personal data.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from icalendar import Alarm, Calendar, Event, Timezone
from sqlalchemy import select

from tracker import audit
from tracker.audit import AuditAction
from tracker.domain.kinds import is_due_at_an_instant
from tracker.domain.local_time import COPENHAGEN
from tracker.extensions import db
from tracker.models import User
from tracker.reporting.dashboard import DashboardRow

TOKEN_BYTES = 32
PRODUCT_ID = "-//Fristsporing//Frister//DA"
INSTANT_EVENT_LENGTH = timedelta(minutes=30)
# The reminders: two hours before a deadline due at an instant; at 09:00 the day before a
# deadline that runs to the end of its day (the all-day event starts at midnight).
INSTANT_REMINDER = timedelta(hours=-2)
DAY_REMINDER = timedelta(hours=-15)


def hash_token(token: str) -> str:
    """Return the stored form of a calendar token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, *, by: User, now: datetime) -> str:
    """Give the user a new feed token (the old one stops working) and return it once."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    user.calendar_token_hash = hash_token(token)
    _audit(AuditAction.CALENDAR_TOKEN_ISSUE, user, by=by, now=now)
    return token


def revoke_token(user: User, *, by: User | None, now: datetime) -> None:
    """Turn the user's feed off."""
    user.calendar_token_hash = None
    _audit(AuditAction.CALENDAR_TOKEN_REVOKE, user, by=by, now=now)


def _audit(action: AuditAction, user: User, *, by: User | None, now: datetime) -> None:
    audit.record(action, actor=by, at=now, object_type="user", object_id=user.id)


def user_for_token(token: str) -> User | None:
    """Return the active user a feed token belongs to, or None."""
    if not token or len(token) > 200:
        return None
    user = db.session.scalar(select(User).where(User.calendar_token_hash == hash_token(token)))
    return user if user is not None and user.active else None


def build_calendar(
    rows: Iterable[DashboardRow],
    *,
    title: str,
    now: datetime,
    kind_label: Callable[[str], str],
    link: Callable[[int], str],
    host: str,
    reminder_text: Callable[[str, str], str],
) -> bytes:
    """Return an iCalendar file with one event per deadline, in Europe/Copenhagen time."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-timezone", "Europe/Copenhagen")
    calendar.add_component(_copenhagen())
    for row in rows:
        event = _event(row, now, kind_label(row.kind), link(row.notification_id), host)
        event.add_component(_reminder(row, reminder_text(kind_label(row.kind), row.reference)))
        calendar.add_component(event)
    return calendar.to_ical()


def _copenhagen() -> Timezone:
    zone = Timezone.from_tzid("Europe/Copenhagen")
    zone.pop("COMMENT", None)  # icalendar's English note on the years it covers
    return zone


def _reminder(row: DashboardRow, text: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    if is_due_at_an_instant(row.kind):
        alarm.add("trigger", INSTANT_REMINDER, parameters={"RELATED": "END"})
    else:
        alarm.add("trigger", DAY_REMINDER)
    return alarm


def _event(row: DashboardRow, now: datetime, label: str, url: str, host: str) -> Event:
    event = Event()
    event.add("uid", f"deadline-{row.id}@{host}")
    event.add("dtstamp", now)
    event.add("summary", f"{label} · {row.reference}")
    event.add("description", f"{label}\n{row.reference}\n{url}")
    event.add("url", url)
    if is_due_at_an_instant(row.kind):
        # The 24-hour assessment is due at an instant: show it ending there, in local time.
        due = row.overdue_from.astimezone(COPENHAGEN)
        event.add("dtstart", due - INSTANT_EVENT_LENGTH)
        event.add("dtend", due)
    else:
        # A day-based deadline is met until the end of its due day: an all-day event.
        event.add("dtstart", row.due_date)
        event.add("dtend", row.due_date + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    return event
