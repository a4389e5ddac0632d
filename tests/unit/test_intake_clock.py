"""The clock of an unregistered arrival: 24 elapsed hours, and the alarm in opening hours."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from tracker.domain.intake import OpeningHours, alarm_at, assessment_due_at
from tracker.domain.local_time import COPENHAGEN

HOURS = OpeningHours(time(8, 0), time(16, 0))
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


def test_opening_hours_are_read_from_the_setting_and_checked():
    assert OpeningHours.parse("07:30-15:00") == OpeningHours(time(7, 30), time(15, 0))
    with pytest.raises(ValueError, match="HH:MM-HH:MM"):
        OpeningHours.parse("otte til fire")
    with pytest.raises(ValueError, match="open before they close"):
        OpeningHours.parse("16:00-08:00")
