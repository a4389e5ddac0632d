"""How the domain's results read in Danish, for pages, e-mails and exports alike.

Phrasing only (how far a deadline is); the names of stored values are tracker.text.labels'.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext, ngettext

from tracker.domain.local_time import COPENHAGEN
from tracker.domain.rules import DeadlineKind
from tracker.domain.status import (
    DeadlineStatus,
    TimeLeft,
    TimeUnit,
    deadline_status,
    time_left,
)

# Deadlines counted in hverdage are told in hverdage; the others in hours or days.
WORKING_DAY_KINDS = frozenset({DeadlineKind.RECEIPT, DeadlineKind.ORIENTATION})


def status_of(deadline, now: datetime) -> DeadlineStatus:
    """Return the status of a Deadline row (or anything with the same fields) at `now`."""
    return deadline_status(
        overdue_from=deadline.overdue_from,
        completed_at=deadline.completed_at,
        not_applicable_reason=deadline.not_applicable_reason,
        now=now,
    )


def time_left_of(deadline, now: datetime) -> TimeLeft | None:
    """Return how far an open deadline is from `now`, or None when it has no due time."""
    if deadline.overdue_from is None or deadline.due_date is None:
        return None
    return time_left(
        overdue_from=deadline.overdue_from,
        due_date=deadline.due_date,
        now=now,
        counts_working_days=deadline.kind in WORKING_DAY_KINDS,
    )


def time_phrase(distance: TimeLeft | None) -> str:
    """Say a time distance in Danish: "om 3 timer", "2 hverdage over fristen"."""
    if distance is None:
        return ""
    n = distance.amount
    if distance.overdue:
        phrases = {
            TimeUnit.MINUTES: ngettext(
                "%(num)d minute past the deadline", "%(num)d minutes past the deadline", n
            ),
            TimeUnit.HOURS: ngettext(
                "%(num)d hour past the deadline", "%(num)d hours past the deadline", n
            ),
            TimeUnit.DAYS: ngettext(
                "%(num)d day past the deadline", "%(num)d days past the deadline", n
            ),
            TimeUnit.WORKING_DAYS: ngettext(
                "%(num)d working day past the deadline",
                "%(num)d working days past the deadline",
                n,
            ),
        }
    else:
        phrases = {
            TimeUnit.MINUTES: ngettext("in %(num)d minute", "in %(num)d minutes", n),
            TimeUnit.HOURS: ngettext("in %(num)d hour", "in %(num)d hours", n),
            TimeUnit.DAYS: ngettext("in %(num)d day", "in %(num)d days", n),
            TimeUnit.WORKING_DAYS: ngettext("in %(num)d working day", "in %(num)d working days", n),
        }
    return phrases[distance.unit]


def deadline_time_phrase(deadline, now: datetime) -> str:
    """Say in Danish how far an open deadline is from `now` ("" when closed or dateless)."""
    if not deadline.is_open:
        return ""
    return time_phrase(time_left_of(deadline, now))


def time_left_phrase(overdue_from: datetime, now: datetime) -> str:
    """Say how far a 24-hour deadline at `overdue_from` is from `now` (an intake item's)."""
    due_day = overdue_from.astimezone(COPENHAGEN).date()
    return time_phrase(
        time_left(overdue_from=overdue_from, due_date=due_day, now=now, counts_working_days=False)
    )


def duration_phrase(duration: timedelta) -> str:
    """Say a length of time in Danish, to the minute: "2 timer og 13 minutter", "3 dage"."""
    minutes = max(int(duration.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        first = ngettext("%(num)d day", "%(num)d days", days)
        second = ngettext("%(num)d hour", "%(num)d hours", hours) if hours else None
    elif hours:
        first = ngettext("%(num)d hour", "%(num)d hours", hours)
        second = ngettext("%(num)d minute", "%(num)d minutes", minutes) if minutes else None
    else:
        return ngettext("%(num)d minute", "%(num)d minutes", minutes)
    return gettext("%(first)s and %(second)s", first=first, second=second) if second else first
