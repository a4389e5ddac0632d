"""The opening hours on the hverdag calendar: open, closed, the next opening (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tracker.domain.local_time import COPENHAGEN
from tracker.domain.opening_hours import OpeningHours

HOURS = OpeningHours.parse("man-tor 08:00-15:00; fre 08:00-13:30")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=COPENHAGEN).astimezone(UTC)


def test_open_on_a_hverdag_within_its_hours_only():
    assert HOURS.is_open(local(2026, 12, 3, 8, 0))  # Thursday at opening
    assert not HOURS.is_open(local(2026, 12, 3, 15, 0))  # closing time
    assert HOURS.is_open(local(2026, 12, 4, 13, 29))  # Friday's shorter hours
    assert not HOURS.is_open(local(2026, 12, 4, 13, 30))
    assert not HOURS.is_open(local(2026, 12, 5, 10, 0))  # Saturday
    assert not HOURS.is_open(local(2026, 12, 24, 10, 0))  # juleaftensdag, a Thursday
    assert not HOURS.is_open(local(2027, 6, 5, 10, 0))  # grundlovsdag 2027 is a Saturday
    assert not HOURS.is_open(local(2026, 6, 5, 10, 0))  # grundlovsdag 2026, a Friday


def test_the_next_opening_skips_the_easter_weekend_and_easter_monday():
    # Saturday 27 March 2027 02:00, the night before the clocks go forward.
    assert HOURS.next_opening(local(2027, 3, 27, 2, 0)) == local(2027, 3, 30, 8, 0)
    # Friday evening: Monday morning; open now: now.
    assert HOURS.next_opening(local(2026, 12, 4, 19, 45)) == local(2026, 12, 7, 8, 0)
    assert HOURS.next_opening(local(2026, 12, 7, 9, 0)) == local(2026, 12, 7, 9, 0)
    # Before opening on a hverdag: that morning.
    assert HOURS.next_opening(local(2026, 12, 7, 6, 0)) == local(2026, 12, 7, 8, 0)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("man-tor 8-15", "is not like"),
        ("mandag 15:00-08:00", "closes before it opens"),
        ("man 08:00-15:00; mandag 09:00-10:00", "given twice"),
        ("xyz 08:00-15:00", "names no weekday"),
        ("lør 10:00-12:00", "open on no weekday"),
        ("fre-man 08:00-15:00", "run backwards"),
    ],
)
def test_opening_hours_that_cannot_be_read_are_refused_naming_the_problem(text, problem):
    with pytest.raises(ValueError, match=problem):
        OpeningHours.parse(text)


def test_the_week_is_described_day_by_day():
    assert HOURS.describe()[4] == ("fredag", "08:00-13:30")
    assert HOURS.describe()[6] == ("søndag", None)
