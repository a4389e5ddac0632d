"""What all notifications received on one local day, or in one UTC hour, have in common.

The deadline hot path (notification.py) looks these up instead of recomputing them: the
hverdag counting and traces of receipt and orientation depend on the local receipt day
only, and the Copenhagen day and clock time of an instant follow from its UTC hour.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple

from tracker.domain.kinds import (
    LEGAL_BASES,
    RECEIPT_WORKING_DAYS,
    ComputedDeadline,
    DeadlineKind,
    LegalBasis,
)
from tracker.domain.local_time import COPENHAGEN, end_of_local_day, start_of_local_day
from tracker.domain.months import compute_investigation_deadline
from tracker.domain.working_days import (
    WEEKDAY_NAMES,
    add_working_days,
    describe_day,
    non_working_reason,
    working_day_note,
)

# A receipt or orientation deadline's fields after `starts_at`, in order: due_date,
# overdue_from, legal_basis, trace and precondition (None).
CountedFields = tuple[date, datetime, LegalBasis, tuple[str, ...], None]


@dataclass(frozen=True, slots=True)
class ReceiptDay:
    """What every notification received on one local day shares: computed once per day."""

    received_on: date
    received_prefix: str  # "Modtaget torsdag 2026-04-30 kl. "
    next_day: date
    due_prefix: str  # "Fristen udløber fredag 2026-05-01 kl. "
    offset_stable: bool  # no daylight-saving change from this day's start to the next's end
    receipt: CountedFields
    orientation: CountedFields
    investigation: ComputedDeadline  # counted from this day, the usual day of awareness


@lru_cache(maxsize=16384)
def receipt_day(received_on: date, orientation_working_days: int) -> ReceiptDay:
    """Return the shared facts of notifications received on local day received_on."""
    next_day = received_on + timedelta(days=1)
    offset_stable = (
        start_of_local_day(received_on).astimezone(COPENHAGEN).utcoffset()
        == end_of_local_day(next_day).astimezone(COPENHAGEN).utcoffset()
    )
    receipt = _counted_from_day(DeadlineKind.RECEIPT, received_on, RECEIPT_WORKING_DAYS)
    orientation = _counted_from_day(DeadlineKind.ORIENTATION, received_on, orientation_working_days)
    if orientation[0] == receipt[0]:
        # The usual case (6 hverdage each): one due date and instant in memory, not two.
        orientation = (*receipt[:2], *orientation[2:])
    return ReceiptDay(
        received_on=received_on,
        received_prefix=f"Modtaget {describe_day(received_on)} kl. ",
        next_day=next_day,
        due_prefix=f"Fristen udløber {describe_day(next_day)} kl. ",
        offset_stable=offset_stable,
        receipt=receipt,
        orientation=orientation,
        investigation=compute_investigation_deadline(received_on),
    )


class UtcHours(NamedTuple):
    """For each hour of one UTC day: its local receipt day and its first local minute."""

    # None for an hour in which the local day or the UTC offset changes (none in 1900-2200:
    # Copenhagen's offsets are whole hours and change on the hour); use zoneinfo there.
    days: tuple[ReceiptDay | None, ...]
    first_minutes: tuple[int, ...]  # minutes after local midnight at the start of each hour


# {orientation_working_days: {UTC ordinal: UtcHours}}: look up here, fill with utc_hours().
# Emptied when full, so a process keeps at most about 27 years of UTC days per policy
# (about 0.3 kB each).
UTC_DAYS: defaultdict[int, dict[int, UtcHours]] = defaultdict(dict)
_UTC_DAYS_KEPT = 10_000
_JUST_BEFORE_THE_NEXT_HOUR = timedelta(hours=1, microseconds=-1)


def utc_hours(utc_ordinal: int, orientation_working_days: int) -> UtcHours:
    """Compute and keep the UtcHours of one UTC day: 24 zoneinfo conversions, once."""
    kept = UTC_DAYS[orientation_working_days]
    if len(kept) >= _UTC_DAYS_KEPT:
        kept.clear()
    midnight = datetime.combine(date.fromordinal(utc_ordinal), time(0), tzinfo=UTC)
    days: list[ReceiptDay | None] = []
    first_minutes: list[int] = []
    for hour in range(24):
        start = (midnight + timedelta(hours=hour)).astimezone(COPENHAGEN)
        end = (midnight + timedelta(hours=hour) + _JUST_BEFORE_THE_NEXT_HOUR).astimezone(COPENHAGEN)
        offset = start.utcoffset()
        steady = (
            offset == end.utcoffset()
            and offset is not None
            and offset % timedelta(minutes=1) == timedelta(0)
            and start.date() == end.date()
        )
        days.append(receipt_day(start.date(), orientation_working_days) if steady else None)
        first_minutes.append(start.hour * 60 + start.minute)
    hours = kept[utc_ordinal] = UtcHours(tuple(days), _shared(tuple(first_minutes)))
    return hours


@lru_cache(maxsize=64)
def _shared(first_minutes: tuple[int, ...]) -> tuple[int, ...]:
    # All winter days have the same 24 numbers, all summer days too: keep one copy of each.
    return first_minutes


def _counted_from_day(kind: DeadlineKind, received_on: date, n: int) -> CountedFields:
    """Count n hverdage after the local receipt day and explain each day."""
    due = add_working_days(received_on, n)
    if kind is DeadlineKind.ORIENTATION:
        intro = f"Lokal målsætning: {n} hverdage efter modtagelsen (ikke en lovbestemt frist)"
    else:
        intro = f"{n} hverdage efter modtagelsen"
    received = f"Modtaget {describe_day(received_on)} (dansk tid); modtagelsesdagen tæller ikke med"
    steps = [received, intro]
    steps += _day_by_day(received_on, due)
    steps.append(f"Fristen udløber ved udgangen af {describe_day(due)} (dansk tid)")
    return due, end_of_local_day(due), LEGAL_BASES[kind], tuple(steps), None


def _day_by_day(after: date, through: date) -> list[str]:
    lines = []
    count = 0
    day = after
    while day < through:
        day += timedelta(days=1)
        reason = non_working_reason(day)
        if reason is not None:
            lines.append(f"{day.isoformat()} {reason}: springes over")
            continue
        count += 1
        note = working_day_note(day)
        suffix = f" ({note})" if note else ""
        weekday = WEEKDAY_NAMES[day.weekday()]
        lines.append(f"{day.isoformat()} {weekday}: hverdag {count}{suffix}")
    return lines
