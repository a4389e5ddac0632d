"""The deadline hot path's shortcut for Copenhagen time against zoneinfo itself.

notification.py finds the local receipt day and clock time of an instant from its UTC
hour (receipt_days.utc_hours) instead of converting each instant with zoneinfo; these
properties check that the shortcut gives zoneinfo's answer, especially around the
daylight-saving changes, across the calculator's years.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.local_time import COPENHAGEN
from tracker.domain.receipt_days import utc_hours
from tracker.domain.rules import DeadlineKind, compute_deadlines, compute_notification_deadlines
from tracker.domain.working_days import describe_day


def fast_local_day_and_minute(instant: datetime) -> tuple[date, int]:
    hours = utc_hours(instant.toordinal(), 6)
    day = hours.days[instant.hour]
    assert day is not None, "Copenhagen's offset never changes within a UTC hour in 1900-2200"
    return day.received_on, hours.first_minutes[instant.hour] + instant.minute


def zoneinfo_local_day_and_minute(instant: datetime) -> tuple[date, int]:
    local = instant.astimezone(COPENHAGEN)
    return local.date(), local.hour * 60 + local.minute


def last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


instants_1990_2100 = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31, 23, 59), timezones=st.just(UTC)
)


@settings(max_examples=2000)
@given(instants_1990_2100)
def test_the_local_day_and_minute_of_any_instant_are_zoneinfos(instant):
    assert fast_local_day_and_minute(instant) == zoneinfo_local_day_and_minute(instant)


@settings(max_examples=1000)
@given(
    st.integers(min_value=1990, max_value=2100),
    st.sampled_from([3, 10]),
    st.integers(min_value=-3 * 3600 * 10**6, max_value=3 * 3600 * 10**6),
)
def test_around_every_clock_change_the_local_time_is_zoneinfos(year, month, microseconds):
    # Summer time begins and ends at 01:00 UTC on the last Sunday of March and October.
    change = datetime.combine(last_sunday(year, month), datetime.min.time(), UTC)
    instant = change + timedelta(hours=1, microseconds=microseconds)
    assert fast_local_day_and_minute(instant) == zoneinfo_local_day_and_minute(instant)


@settings(max_examples=300)
@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1, 1), max_value=datetime(2200, 12, 30), timezones=st.just(UTC)
    )
)
def test_the_assessment_reads_the_receipt_time_as_zoneinfo_does(instant):
    local = instant.astimezone(COPENHAGEN)
    clock = f"{local:%H:%M}" + (f":{local:%S}" if local.second or local.microsecond else "")
    for deadlines in (
        compute_notification_deadlines(
            instant, notifier_identifiable=True, notifier_professional=True
        ),
        compute_deadlines(instant),
    ):
        assessment = deadlines[0]
        assert assessment.kind is DeadlineKind.ASSESSMENT
        assert (
            assessment.trace[0] == f"Modtaget {describe_day(local.date())} kl. {clock} (dansk tid)"
        )
        assert assessment.due_date == (instant + timedelta(hours=24)).astimezone(COPENHAGEN).date()
    assert deadlines[-1].kind is DeadlineKind.INVESTIGATION
    assert deadlines[-1].starts_at.astimezone(COPENHAGEN).date() == local.date()
