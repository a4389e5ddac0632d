"""The hot path: the deadlines a received underretning starts, computed per notification.

Everything that depends only on the local receipt day (hverdag counting, its trace, the
day's descriptions) is computed once per day and cached, since many notifications share
a day; per notification only the clock time and three small objects remain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from tracker.domain.calendar import (
    COPENHAGEN,
    WEEKDAY_NAMES,
    add_working_days,
    describe_day,
    end_of_local_day,
    non_working_reason,
    start_of_local_day,
    working_day_note,
)
from tracker.domain.kinds import (
    ASSESSMENT_PERIOD,
    LEGAL_BASES,
    RECEIPT_WORKING_DAYS,
    ComputedDeadline,
    DeadlineKind,
    LegalBasis,
    RulesPolicy,
)

# "00:00" .. "23:59": formatting a clock time is the hot path of every notification.
_CLOCK = tuple(f"{h:02d}:{m:02d}" for h in range(24) for m in range(60))


def received_instants(received_at: datetime) -> tuple[datetime, datetime]:
    """Return the receipt instant in UTC and in Copenhagen time, refusing naive input."""
    tz = received_at.tzinfo
    if tz is not UTC and (tz is None or received_at.utcoffset() is None):
        raise ValueError("received_at must be timezone-aware")
    received_utc = received_at.astimezone(UTC)
    return received_utc, received_utc.astimezone(COPENHAGEN)


def notification_deadlines(
    received_utc: datetime,
    local: datetime,
    identifiable: bool,
    professional: bool,
    policy: RulesPolicy,
) -> list[ComputedDeadline]:
    """Compute assessment, receipt and orientation from the receipt instant in UTC and locally."""
    day = _receipt_day(local.date(), policy.orientation_working_days)
    clock = _CLOCK[local.hour * 60 + local.minute]
    if local.second or local.microsecond:
        clock = f"{clock}:{local.second:02d}"
    received_line = f"{day.received_prefix}{clock} (dansk tid)"
    deadlines = [_assessment(received_utc, local, day, clock, received_line)]
    # Receipt and orientation depend on the local receipt day only: their traces are shared.
    if identifiable and (professional or policy.receipt_for_private_notifiers):
        due, overdue_from, trace = day.receipt
        deadlines.append(
            _new_deadline(_RECEIPT, received_utc, due, overdue_from, _RECEIPT_BASIS, trace)
        )
    if identifiable and professional:
        due, overdue_from, trace = day.orientation
        deadlines.append(
            _new_deadline(_ORIENTATION, received_utc, due, overdue_from, _ORIENTATION_BASIS, trace)
        )
    return deadlines


@dataclass(frozen=True, slots=True)
class _ReceiptDay:
    """What every notification received on one local day shares: computed once per day."""

    received_prefix: str  # "Modtaget torsdag 2026-04-30 kl. "
    next_day: date
    due_prefix: str  # "Fristen udløber fredag 2026-05-01 kl. "
    offset_stable: bool  # no daylight-saving change from this day's start to the next's end
    receipt: tuple[date, datetime, tuple[str, ...]]
    orientation: tuple[date, datetime, tuple[str, ...]]


@lru_cache(maxsize=16384)
def _receipt_day(received_on: date, orientation_working_days: int) -> _ReceiptDay:
    next_day = received_on + timedelta(days=1)
    offset_stable = (
        start_of_local_day(received_on).astimezone(COPENHAGEN).utcoffset()
        == end_of_local_day(next_day).astimezone(COPENHAGEN).utcoffset()
    )
    return _ReceiptDay(
        received_prefix=f"Modtaget {describe_day(received_on)} kl. ",
        next_day=next_day,
        due_prefix=f"Fristen udløber {describe_day(next_day)} kl. ",
        offset_stable=offset_stable,
        receipt=_counted_from_day(_RECEIPT, received_on, RECEIPT_WORKING_DAYS),
        orientation=_counted_from_day(_ORIENTATION, received_on, orientation_working_days),
    )


def _assessment(
    received_utc: datetime, local: datetime, day: _ReceiptDay, clock: str, received_line: str
) -> ComputedDeadline:
    due_utc = received_utc + ASSESSMENT_PERIOD
    if day.offset_stable:
        # No clock change in between: 24 elapsed hours end at the same time the next day.
        trace = (received_line, _ELAPSED_LINE, f"{day.due_prefix}{clock} (dansk tid)")
        return _new_deadline(
            _ASSESSMENT, received_utc, day.next_day, due_utc, _ASSESSMENT_BASIS, trace
        )
    due_local = due_utc.astimezone(COPENHAGEN)
    due_line = f"Fristen udløber {describe_day(due_local.date())} kl. "
    due_line += f"{_CLOCK[due_local.hour * 60 + due_local.minute]}{clock[5:]} (dansk tid)"
    if due_local.hour == local.hour:
        trace = (received_line, _ELAPSED_LINE, due_line)
    else:
        began = (due_local.hour - local.hour) % 24 == 1
        trace = (received_line, _ELAPSED_LINE, _DST_LINES[began], due_line)
    return _new_deadline(
        _ASSESSMENT, received_utc, due_local.date(), due_utc, _ASSESSMENT_BASIS, trace
    )


_ASSESSMENT, _RECEIPT, _ORIENTATION = (
    DeadlineKind.ASSESSMENT,
    DeadlineKind.RECEIPT,
    DeadlineKind.ORIENTATION,
)
_ASSESSMENT_BASIS = LEGAL_BASES[_ASSESSMENT]
_RECEIPT_BASIS = LEGAL_BASES[_RECEIPT]
_ORIENTATION_BASIS = LEGAL_BASES[_ORIENTATION]
_ELAPSED_LINE = "+ 24 timers forløbet tid (nætter, weekender og helligdage tæller med)"
_DST_LINES = {
    # Clocks jump forward: 24 elapsed hours read as 25 on the wall clock; backward: 23.
    True: "Sommertid begynder undervejs: uret viser 25 timer",
    False: "Sommertid slutter undervejs: uret viser 23 timer",
}

# A frozen dataclass's __init__ sets every field through object.__setattr__: about 0.7 µs a
# deadline, a third of the per-notification budget. Setting the slots through their
# descriptors builds the same immutable object in half the time (a unit test compares them).
_SET_SLOT = {name: getattr(ComputedDeadline, name).__set__ for name in ComputedDeadline.__slots__}
_set_kind, _set_starts, _set_due = _SET_SLOT["kind"], _SET_SLOT["starts_at"], _SET_SLOT["due_date"]
_set_overdue, _set_basis = _SET_SLOT["overdue_from"], _SET_SLOT["legal_basis"]
_set_trace, _set_precondition = _SET_SLOT["trace"], _SET_SLOT["precondition"]


def _new_deadline(
    kind: DeadlineKind,
    starts_at: datetime,
    due_date: date | None,
    overdue_from: datetime | None,
    legal_basis: LegalBasis,
    trace: tuple[str, ...],
) -> ComputedDeadline:
    deadline = object.__new__(ComputedDeadline)
    _set_kind(deadline, kind)
    _set_starts(deadline, starts_at)
    _set_due(deadline, due_date)
    _set_overdue(deadline, overdue_from)
    _set_basis(deadline, legal_basis)
    _set_trace(deadline, trace)
    _set_precondition(deadline, None)
    return deadline


def _counted_from_day(
    kind: DeadlineKind, received_on: date, n: int
) -> tuple[date, datetime, tuple[str, ...]]:
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
    return due, end_of_local_day(due), tuple(steps)


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
