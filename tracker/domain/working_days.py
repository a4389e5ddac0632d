"""The Danish working-day (hverdag) calendar, precomputed for fast deadline arithmetic.

A hverdag is Monday to Friday except the helligdage and grundlovsdag, juleaftensdag
and nytårsaftensdag. workalendar's `Denmark` supplies the helligdage; the corrections
below are the only place where the project disagrees with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from workalendar.europe import Denmark

WEEKDAY_NAMES = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

# workalendar's English labels, in Danish; a label missing here is shown as it is.
_DANISH_NAMES = {
    "New year": "nytårsdag",
    "Holy Thursday": "skærtorsdag",
    "Good Friday": "langfredag",
    "Easter Sunday": "påskedag",
    "Easter Monday": "2. påskedag",
    "Store Bededag": "store bededag",
    "Ascension Thursday": "Kristi himmelfartsdag",
    "Pentecost Sunday": "pinsedag",
    "Pentecost Monday": "2. pinsedag",
    "Christmas Eve": "juleaftensdag",
    "Christmas Day": "juledag",
    "Second Day of Christmas": "2. juledag",
}

# --- Corrections to workalendar: the one place. Each carries its legal source. ---

# Helligdage workalendar lists after they were abolished: {workalendar label: first year gone}.
_ABOLISHED_FROM = {
    # Lov af 28. februar 2023 abolished store bededag from 2024 (workalendar issue #762).
    "Store Bededag": 2024,
}

# Days that are not helligdage but are not hverdage either: (month, day, Danish name).
_EXTRA_NON_WORKING_DAYS = (
    # Forældelsesloven § 27, stk. 2: grundlovsdag counts with weekends and helligdage.
    (6, 5, "grundlovsdag"),
    # Forældelsesloven § 27, stk. 2: 24 December (workalendar has it; we don't depend on that).
    (12, 24, "juleaftensdag"),
    # Forældelsesloven § 27, stk. 2: 31 December counts with weekends and helligdage.
    (12, 31, "nytårsaftensdag"),
)

# The precomputed span; dates outside it are computed day by day (correct, only slower).
TABLE_FIRST_YEAR = 1990
TABLE_LAST_YEAR = 2100

_WORKALENDAR = Denmark()


@cache
def _year_calendar(year: int) -> tuple[dict[date, str], dict[date, str]]:
    """Return one year's {day that is never a hverdag: Danish name} and {hverdag: note}."""
    reasons: dict[date, str] = {}
    notes: dict[date, str] = {}
    for day, label in _WORKALENDAR.holidays(year):
        abolished_from = _ABOLISHED_FROM.get(label)
        name = _DANISH_NAMES.get(label, label)
        if abolished_from is not None and year >= abolished_from:
            notes[day] = f"{name} er ikke helligdag fra {abolished_from}"
            continue
        reasons[day] = name
    for month, day_of_month, name in _EXTRA_NON_WORKING_DAYS:
        reasons[date(year, month, day_of_month)] = name
    for day in list(notes):
        if day in reasons or day.weekday() >= 5:
            del notes[day]
    return reasons, notes


def _computed_reason(d: date) -> str | None:
    reason = _year_calendar(d.year)[0].get(d)
    if reason is None and d.weekday() >= 5:
        return WEEKDAY_NAMES[d.weekday()]
    return reason


@dataclass(frozen=True, slots=True)
class _Table:
    first: int  # ordinal of the first day in the table
    reasons: list[str | None]  # by ordinal - first: why the day is not a hverdag, or None
    working: list[int]  # ordinals of every hverdag in the table, ascending
    count_through: list[int]  # by ordinal - first: hverdage in the table up to and incl. that day


@cache
def _table() -> _Table:
    """Build the hverdag table for TABLE_FIRST_YEAR..TABLE_LAST_YEAR once."""
    first = date(TABLE_FIRST_YEAR, 1, 1).toordinal()
    last = date(TABLE_LAST_YEAR, 12, 31).toordinal()
    reasons: list[str | None] = []
    working: list[int] = []
    count_through: list[int] = []
    for ordinal in range(first, last + 1):
        reason = _computed_reason(date.fromordinal(ordinal))
        reasons.append(reason)
        if reason is None:
            working.append(ordinal)
        count_through.append(len(working))
    return _Table(first, reasons, working, count_through)


def non_working_reason(d: date) -> str | None:
    """Return why d is not a hverdag in Danish ("lørdag", "langfredag", ...), or None."""
    table = _table()
    offset = d.toordinal() - table.first
    if 0 <= offset < len(table.reasons):
        return table.reasons[offset]
    return _computed_reason(d)


def is_working_day(d: date) -> bool:
    """Tell whether d is a hverdag."""
    return non_working_reason(d) is None


def working_day_note(d: date) -> str | None:
    """Return a note for a hverdag people may mistake for a helligdag (store bededag 2024-)."""
    return _year_calendar(d.year)[1].get(d)  # notes are kept for hverdage only


def add_working_days(d: date, n: int) -> date:
    """Return the n-th hverdag after d; d itself never counts, and n=0 returns d unchanged."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if n == 0:
        return d
    table = _table()
    offset = d.toordinal() - table.first
    if 0 <= offset < len(table.count_through):
        index = table.count_through[offset] + n - 1
        if index < len(table.working):
            return date.fromordinal(table.working[index])
    return _add_working_days_slowly(d, n)


def _add_working_days_slowly(d: date, n: int) -> date:
    day = d
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Count hverdage after start up to and including end; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    table = _table()
    low, high = start.toordinal() - table.first, end.toordinal() - table.first
    if low >= 0 and high < len(table.count_through):
        return table.count_through[high] - table.count_through[low]
    return sum(
        1 for k in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=k))
    )


def describe_day(d: date) -> str:
    """Return "torsdag 2026-04-30": the Danish weekday and the ISO date."""
    return f"{WEEKDAY_NAMES[d.weekday()]} {d.isoformat()}"
