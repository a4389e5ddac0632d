"""The clock of an arrival that nobody has registered yet: pure, no clock read, no database.

The 24-hour assessment runs from the moment the underretning reached the municipality
(barnets lov § 136), so an intake item's deadline is its arrival plus 24 elapsed hours,
the same rule as a registered case's (tracker.domain.rules). The alarm to the intake
team's leader comes after a number of minutes of the municipality's *opening hours*
(tracker.domain.opening_hours, the OPENING_HOURS setting): a mail that lands on
Friday evening is due for registration early on Monday, not in the middle of the night.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from tracker.domain.kinds import ASSESSMENT_PERIOD
from tracker.domain.local_time import COPENHAGEN
from tracker.domain.opening_hours import OpeningHours

# How far the opening-hours walk looks ahead (past Christmas and Easter with room to spare).
MAX_DAYS_AHEAD = 30


def assessment_due_at(arrived_at: datetime) -> datetime:
    """Return when the 24-hour assessment of an arrival falls due: 24 elapsed hours later."""
    return arrived_at + ASSESSMENT_PERIOD


def alarm_at(arrived_at: datetime, within: timedelta, hours: OpeningHours) -> datetime:
    """Return when an unregistered arrival raises the alarm: `within` of opening hours later."""
    left = within
    cursor = arrived_at.astimezone(COPENHAGEN)
    for _ in range(MAX_DAYS_AHEAD):
        day = cursor.date()
        day_hours = hours.hours_on(day)  # None on weekends, helligdage, 24 and 31 December
        if day_hours is not None:
            opens, closes = _on(day, day_hours[0]), _on(day, day_hours[1])
            start = max(cursor, opens)
            if start < closes:
                if start + left <= closes:
                    return (start + left).astimezone(UTC)
                left -= closes - start
        cursor = _on(day + timedelta(days=1), time(0, 0))
    raise ValueError("no opening hours within the next 30 days")


def _on(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=COPENHAGEN)
