"""The state of one deadline at a given moment, and how much time is left, in data.

Pure: `now` is always passed in. Wording (Danish) is the delivery layer's job;
this module returns amounts and units only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from tracker.domain.local_time import COPENHAGEN
from tracker.domain.working_days import working_days_between

DUE_SOON = timedelta(hours=24)


class DeadlineStatus(StrEnum):
    """Where a deadline stands."""

    OPEN = "open"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET_ON_TIME = "met_on_time"
    MET_LATE = "met_late"
    NOT_APPLICABLE = "not_applicable"
    PRECONDITION = "precondition"


class TimeUnit(StrEnum):
    """The unit a time distance is told in."""

    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"
    WORKING_DAYS = "working_days"


@dataclass(frozen=True)
class TimeLeft:
    """How far a deadline is from now: `amount` `unit`, before it (overdue=False) or past it."""

    amount: int
    unit: TimeUnit
    overdue: bool


OPEN_STATUSES = frozenset({DeadlineStatus.OPEN, DeadlineStatus.DUE_SOON, DeadlineStatus.OVERDUE})


def deadline_status(
    *,
    overdue_from: datetime | None,
    completed_at: datetime | None,
    not_applicable_reason: str | None,
    now: datetime,
) -> DeadlineStatus:
    """Return the status of a deadline at `now`."""
    if not_applicable_reason:
        return DeadlineStatus.NOT_APPLICABLE
    if overdue_from is None:
        return DeadlineStatus.MET_ON_TIME if completed_at else DeadlineStatus.PRECONDITION
    if completed_at is not None:
        return (
            DeadlineStatus.MET_ON_TIME if completed_at < overdue_from else DeadlineStatus.MET_LATE
        )
    if now >= overdue_from:
        return DeadlineStatus.OVERDUE
    if overdue_from - now <= DUE_SOON:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.OPEN


def time_left(
    *, overdue_from: datetime, due_date: date, now: datetime, counts_working_days: bool
) -> TimeLeft:
    """Return the distance from `now` to the deadline, in the unit a caseworker would use.

    Within two days of the deadline the distance is told in hours (minutes in the
    last hour); further out in days, or hverdage for deadlines counted in hverdage.
    """
    delta = overdue_from - now
    overdue = delta <= timedelta(0)
    distance = abs(delta)
    if distance < timedelta(hours=1):
        return TimeLeft(max(1, int(distance.total_seconds() // 60)), TimeUnit.MINUTES, overdue)
    if distance < timedelta(hours=48):
        return TimeLeft(int(distance.total_seconds() // 3600), TimeUnit.HOURS, overdue)
    today = now.astimezone(COPENHAGEN).date()
    if counts_working_days:
        days = (
            working_days_between(due_date, today)
            if overdue
            else working_days_between(today, due_date)
        )
        if days > 0:
            return TimeLeft(days, TimeUnit.WORKING_DAYS, overdue)
    return TimeLeft(max(1, abs((due_date - today).days)), TimeUnit.DAYS, overdue)
