"""The clock of an arrival that nobody has registered yet: pure, no clock read, no database.

The 24-hour assessment runs from the moment the underretning reached the municipality
(barnets lov § 136), so an intake item's deadline is its arrival plus 24 elapsed hours,
the same rule as a registered case's (tracker.domain.rules). The alarm to the intake
team's leader comes after a number of minutes *of opening hours*: a mail that lands on
Friday evening is due for registration early on Monday, not in the middle of the night.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from tracker.domain.local_time import COPENHAGEN
from tracker.domain.working_days import is_working_day

ASSESSMENT_HOURS = 24
# How far the opening-hours walk looks ahead (past Christmas and Easter with room to spare).
MAX_DAYS_AHEAD = 30


@dataclass(frozen=True)
class OpeningHours:
    """The hours of a hverdag in which the intake is staffed, local time."""

    opens: time
    closes: time

    def __post_init__(self) -> None:
        if not self.opens < self.closes:
            raise ValueError("opening hours must open before they close, e.g. 08:00-16:00")

    @classmethod
    def parse(cls, text: str) -> OpeningHours:
        """Read "HH:MM-HH:MM"; raise ValueError naming the problem."""
        try:
            start, end = (part.strip() for part in text.split("-"))
            return cls(time.fromisoformat(start), time.fromisoformat(end))
        except ValueError as exc:
            raise ValueError(f"opening hours {text!r}: write them as HH:MM-HH:MM ({exc})") from None


def assessment_due_at(arrived_at: datetime) -> datetime:
    """Return when the 24-hour assessment of an arrival falls due: 24 elapsed hours later."""
    return arrived_at + timedelta(hours=ASSESSMENT_HOURS)


def alarm_at(arrived_at: datetime, within: timedelta, hours: OpeningHours) -> datetime:
    """Return when an unregistered arrival raises the alarm: `within` of opening hours later."""
    left = within
    cursor = arrived_at.astimezone(COPENHAGEN)
    for _ in range(MAX_DAYS_AHEAD):
        day = cursor.date()
        if is_working_day(day):
            opens, closes = _on(day, hours.opens), _on(day, hours.closes)
            start = max(cursor, opens)
            if start < closes:
                if start + left <= closes:
                    return (start + left).astimezone(UTC)
                left -= closes - start
        cursor = _on(day + timedelta(days=1), time(0, 0))
    raise ValueError("no opening hours within the next 30 days")


def _on(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=COPENHAGEN)
