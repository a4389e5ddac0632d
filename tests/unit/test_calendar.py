"""The Danish hverdag calendar, checked by hand against a printed calendar.

Every expected date below was worked out by hand, day by day, not by running the code.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from workalendar.europe import Denmark

from tracker.domain.errors import NonexistentLocalTime
from tracker.domain.local_time import (
    COPENHAGEN,
    end_of_local_day,
    local_date,
    localize,
    start_of_local_day,
    to_local,
)
from tracker.domain.working_days import (
    add_working_days,
    is_working_day,
    non_working_reason,
    working_day_note,
    working_days_between,
)

# (local receipt day, the 6th hverdag after it, why)
SIXTH_HVERDAG = [
    # The three examples of LEGAL.md.
    (date(2026, 4, 1), date(2026, 4, 14), "Easter: 2, 3 and 6 April are not hverdage"),
    (date(2026, 11, 28), date(2026, 12, 7), "a Saturday: counting starts on Monday"),
    (date(2023, 5, 3), date(2023, 5, 12), "store bededag 2023-05-05 was still a helligdag"),
    # Store bededag abolished from 2024: Friday 2024-04-26 counts.
    (date(2024, 4, 24), date(2024, 5, 2), "2024-04-26 is an ordinary Friday"),
    # Kristi himmelfartsdag Thursday 2026-05-14.
    (date(2026, 5, 11), date(2026, 5, 20), "Kristi himmelfartsdag skipped"),
    # Pinse: pinsedag Sunday 2026-05-24, 2. pinsedag Monday 2026-05-25.
    (date(2026, 5, 22), date(2026, 6, 2), "2. pinsedag skipped"),
    # Grundlovsdag on a Friday (2026) and on a Wednesday (2024).
    (date(2026, 6, 1), date(2026, 6, 10), "grundlovsdag Friday 2026-06-05 skipped"),
    (date(2024, 6, 3), date(2024, 6, 12), "grundlovsdag Wednesday 2024-06-05 skipped"),
    # Christmas and New Year 2026/27: 24, 25, 31 December and 1 January skipped.
    (date(2026, 12, 21), date(2027, 1, 4), "24, 25, 31 Dec and 1 Jan skipped"),
    # Christmas and New Year 2025/26: 24, 25, 26, 31 December and 1 January skipped.
    (date(2025, 12, 23), date(2026, 1, 7), "24-26, 31 Dec and 1 Jan skipped"),
    # Summer time begins Sunday 2026-03-29; then Easter.
    (date(2026, 3, 27), date(2026, 4, 9), "weekend with DST change, then 2, 3, 6 April"),
    # Summer time ends Sunday 2026-10-25.
    (date(2026, 10, 23), date(2026, 11, 2), "weekend with DST change"),
    # Leap year: 29 February 2024 is a Thursday and counts.
    (date(2024, 2, 22), date(2024, 3, 1), "2024-02-29 counts"),
    # Month end: Friday 30 January 2026.
    (date(2026, 1, 30), date(2026, 2, 9), "over the month end"),
    # Received on påskedag itself: 2. påskedag is skipped too.
    (date(2026, 4, 5), date(2026, 4, 14), "received on a helligdag"),
    # Received on juleaftensdag 2026 (Thursday).
    (date(2026, 12, 24), date(2027, 1, 6), "25, 26, 31 Dec and 1 Jan skipped"),
]


@pytest.mark.parametrize(("received", "expected", "why"), SIXTH_HVERDAG)
def test_sixth_hverdag_after_receipt(received, expected, why):
    assert add_working_days(received, 6) == expected, why
    assert working_days_between(received, expected) == 6


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 1, 1), "nytårsdag"),
        (date(2026, 4, 2), "skærtorsdag"),
        (date(2026, 4, 3), "langfredag"),
        (date(2026, 4, 4), "lørdag"),
        (date(2026, 4, 5), "påskedag"),
        (date(2026, 4, 6), "2. påskedag"),
        (date(2026, 5, 14), "Kristi himmelfartsdag"),
        (date(2026, 5, 24), "pinsedag"),
        (date(2026, 5, 25), "2. pinsedag"),
        (date(2026, 6, 5), "grundlovsdag"),
        (date(2027, 6, 5), "grundlovsdag"),  # a Saturday: the day's name wins
        (date(2026, 12, 24), "juleaftensdag"),
        (date(2026, 12, 25), "juledag"),
        (date(2026, 12, 26), "2. juledag"),
        (date(2026, 12, 27), "søndag"),
        (date(2026, 12, 31), "nytårsaftensdag"),
        (date(2023, 5, 5), "store bededag"),
        (date(1995, 5, 12), "store bededag"),
    ],
)
def test_non_working_days_are_named_in_danish(day, reason):
    assert non_working_reason(day) == reason
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2024, 4, 26),  # would have been store bededag
        date(2026, 5, 1),  # would have been store bededag; 1 May is no helligdag either
        date(2026, 12, 23),
        date(2026, 12, 30),
        date(2024, 2, 29),
        date(2026, 3, 30),  # the Monday after summer time begins
    ],
)
def test_ordinary_weekdays_are_hverdage(day):
    assert non_working_reason(day) is None
    assert is_working_day(day)


def test_abolished_store_bededag_is_a_hverdag_with_a_note():
    """Law of 28 February 2023: store bededag is a helligdag up to and including 2023 only."""
    assert working_day_note(date(2026, 5, 1)) == "store bededag er ikke helligdag fra 2024"
    assert working_day_note(date(2026, 5, 4)) is None
    assert working_day_note(date(2023, 5, 5)) is None  # still a helligdag, so no hverdag note


DANISH_HELLIGDAGE = {
    "nytårsdag",
    "skærtorsdag",
    "langfredag",
    "påskedag",
    "2. påskedag",
    "store bededag",
    "Kristi himmelfartsdag",
    "pinsedag",
    "2. pinsedag",
    "juleaftensdag",
    "juledag",
    "2. juledag",
}


def test_every_workalendar_holiday_is_named_in_danish():
    for year in range(1990, 2101):
        for day, label in Denmark().holidays(year):
            if label == "Store Bededag" and year >= 2024:
                assert non_working_reason(day) is None, day  # abolished: a hverdag
            else:
                # Grundlovsdag on 2. pinsedag (1995) is shown as grundlovsdag.
                assert non_working_reason(day) in DANISH_HELLIGDAGE | {"grundlovsdag"}, day


def test_adding_zero_working_days_returns_the_day_itself():
    assert add_working_days(date(2026, 4, 4), 0) == date(2026, 4, 4)
    with pytest.raises(ValueError, match="n must be >= 0"):
        add_working_days(date(2026, 4, 4), -1)


def test_adding_one_working_day_from_a_friday_before_easter():
    assert add_working_days(date(2026, 4, 1), 1) == date(2026, 4, 7)


def test_working_days_between_counts_after_start_through_end():
    assert working_days_between(date(2026, 4, 1), date(2026, 4, 1)) == 0
    assert working_days_between(date(2026, 4, 1), date(2026, 4, 7)) == 1
    assert working_days_between(date(2026, 4, 7), date(2026, 4, 1)) == -1
    # Two hverdage over a deadline of Friday 2026-05-08: Monday and Tuesday.
    assert working_days_between(date(2026, 5, 8), date(2026, 5, 12)) == 2
    assert working_days_between(date(2026, 5, 12), date(2026, 5, 8)) == -2


def test_outside_the_precomputed_years_the_answers_are_the_same():
    # The table spans 1990-2100; python-holidays checks the years before it
    # (test_calendar_properties.py) but ends in 2100 itself.
    assert add_working_days(date(1989, 12, 29), 1) == date(1990, 1, 2)  # 1 Jan is nytårsdag
    assert non_working_reason(date(1985, 12, 24)) == "juleaftensdag"
    assert non_working_reason(date(2101, 6, 5)) == "grundlovsdag"
    assert non_working_reason(date(2101, 4, 15)) == "langfredag"
    # From Monday 2100-12-20: 21-23 Dec are hverdage 1-3, 27-30 Dec 4-7 (24 Dec juleaftensdag
    # and 31 Dec nytårsaftensdag are Fridays, 1 Jan a Saturday), then 3-7, 10-14 and
    # 17-19 January 2101 are 8-20.
    assert add_working_days(date(2100, 12, 20), 20) == date(2101, 1, 19)
    assert working_days_between(date(2100, 12, 20), date(2101, 1, 19)) == 20
    assert working_days_between(date(2101, 1, 19), date(2100, 12, 20)) == -20


def test_end_of_local_day_is_local_midnight_in_utc():
    assert end_of_local_day(date(2026, 1, 15)) == datetime(2026, 1, 15, 23, 0, tzinfo=UTC)
    assert end_of_local_day(date(2026, 7, 15)) == datetime(2026, 7, 15, 22, 0, tzinfo=UTC)
    # The day summer time begins ends in summer time; the day before ends in winter time.
    assert end_of_local_day(date(2026, 3, 28)) == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    assert end_of_local_day(date(2026, 3, 29)) == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
    # The day summer time ends is 25 hours long.
    assert end_of_local_day(date(2026, 10, 25)) - start_of_local_day(
        date(2026, 10, 25)
    ) == timedelta(hours=25)
    assert end_of_local_day(date(2026, 3, 29)) - start_of_local_day(date(2026, 3, 29)) == timedelta(
        hours=23
    )


def test_local_helpers_convert_aware_instants_and_refuse_naive_ones():
    instant = datetime(2026, 4, 30, 22, 30, tzinfo=UTC)
    assert to_local(instant).tzinfo is COPENHAGEN
    assert to_local(instant).hour == 0
    assert local_date(instant) == date(2026, 5, 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        local_date(datetime(2026, 4, 30, 12, 0))


def test_localize_refuses_the_skipped_hour_and_picks_the_earlier_repeated_one():
    with pytest.raises(NonexistentLocalTime) as raised:
        localize(datetime(2026, 3, 29, 2, 30))
    assert "2026-03-29T02:30" in str(raised.value)
    assert localize(datetime(2026, 3, 29, 3, 0)).utcoffset() == timedelta(hours=2)
    repeated = localize(datetime(2026, 10, 25, 2, 30))
    assert repeated.utcoffset() == timedelta(hours=2)  # the first 02:30, still summer time
    assert repeated.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="naive"):
        localize(datetime(2026, 1, 1, tzinfo=UTC))
