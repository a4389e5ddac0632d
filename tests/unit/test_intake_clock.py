"""The clock of an unregistered arrival: 24 elapsed hours, and the alarm in opening hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tracker.domain.intake import alarm_at, assessment_due_at
from tracker.domain.local_time import COPENHAGEN
from tracker.domain.opening_hours import OpeningHours

HOURS = OpeningHours.parse("man-fre 08:00-16:00")
HOUR = timedelta(hours=1)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=COPENHAGEN).astimezone(UTC)


def test_the_assessment_is_due_24_elapsed_hours_after_arrival_across_a_clock_change():
    # Saturday 28 March 2026, 10:00; clocks go forward in the night: 25 wall-clock hours later.
    arrived = local(2026, 3, 28, 10, 0)
    assert assessment_due_at(arrived) == local(2026, 3, 29, 11, 0)


@pytest.mark.parametrize(
    ("arrived", "alarm"),
    [
        (local(2026, 3, 11, 10, 0), local(2026, 3, 11, 11, 0)),  # Wednesday morning
        (local(2026, 3, 11, 15, 30), local(2026, 3, 12, 8, 30)),  # half an hour left that day
        (local(2026, 3, 11, 6, 0), local(2026, 3, 11, 9, 0)),  # before opening
        (local(2026, 3, 13, 19, 0), local(2026, 3, 16, 9, 0)),  # Friday evening: Monday
        (local(2026, 4, 1, 17, 0), local(2026, 4, 7, 9, 0)),  # before Easter: after 2. påskedag
        (local(2026, 12, 23, 15, 45), local(2026, 12, 28, 8, 45)),  # juleaftensdag is closed
    ],
)
def test_the_alarm_counts_opening_hours_only(arrived, alarm):
    assert alarm_at(arrived, HOUR, HOURS) == alarm


def test_the_alarm_follows_the_municipalitys_hours_of_each_weekday():
    # The default opening hours: Friday closes at 13:30.
    hours = OpeningHours.parse("man-tor 08:00-15:00; fre 08:00-13:30")
    friday_1300 = local(2026, 3, 13, 13, 0)
    assert alarm_at(friday_1300, HOUR, hours) == local(2026, 3, 16, 8, 30)
