"""The deadlines read the instant of receipt as zoneinfo reads it, around every clock change.

What a caller sees, end to end: the local receipt day and wall-clock time in the traces,
the local due date and the overdue instants, for any instant the calculator answers for
(1900-2200) and especially within three hours of each of Copenhagen's 458 daylight-saving
changes in those years, which are found here by asking zoneinfo, not by a rule.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from rulebooks import SHIPPED, with_first_version

from tracker.domain.local_time import COPENHAGEN, end_of_local_day
from tracker.domain.rules import (
    DeadlineKind,
    compute_deadlines,
    compute_notification_deadlines,
)
from tracker.domain.working_days import add_working_days, describe_day


def clock_changes(first_year: int, last_year: int) -> list[datetime]:
    """Return the UTC instants Copenhagen's UTC offset changes, as zoneinfo says."""
    changes = []
    noon = datetime(first_year, 1, 1, 12, tzinfo=UTC)
    offset = noon.astimezone(COPENHAGEN).utcoffset()
    while noon.year <= last_year:
        next_noon = noon + timedelta(days=1)
        if next_noon.astimezone(COPENHAGEN).utcoffset() != offset:
            hour = noon
            while hour.astimezone(COPENHAGEN).utcoffset() == offset:
                hour += timedelta(hours=1)
            changes.append(hour)
            offset = hour.astimezone(COPENHAGEN).utcoffset()
        noon = next_noon
    return changes


CLOCK_CHANGES = clock_changes(1900, 2200)
THREE_HOURS = 3 * 3600 * 10**6  # in microseconds


def clock(local: datetime) -> str:
    """The wall-clock time as a trace shows it: seconds only when there are some."""
    seconds = f":{local:%S}" if local.second or local.microsecond else ""
    return f"{local:%H:%M}{seconds}"


def check_against_zoneinfo(instant: datetime) -> None:
    local = instant.astimezone(COPENHAGEN)
    due_local = (instant + timedelta(hours=24)).astimezone(COPENHAGEN)
    wall_clock_hours = (due_local.replace(tzinfo=None) - local.replace(tzinfo=None)) / timedelta(
        hours=1
    )
    assessment, receipt, orientation = compute_notification_deadlines(
        instant, notifier_kind="professional", notifier_identifiable=True, rules=SHIPPED
    )

    assert assessment.kind is DeadlineKind.ASSESSMENT
    assert assessment.starts_at == instant
    assert assessment.overdue_from == instant + timedelta(hours=24)
    assert assessment.due_date == due_local.date()
    assert assessment.trace[0] == (
        f"Modtaget {describe_day(local.date())} kl. {clock(local)} (dansk tid)"
    )
    assert assessment.trace[-2] == (
        f"Fristen udløber {describe_day(due_local.date())} kl. {clock(due_local)} (dansk tid)"
    )
    assert assessment.trace[-1].startswith("Regelgrundlag: version «barnets-lov-2024»")
    assert ("Sommertid begynder undervejs: uret viser 25 timer" in assessment.trace) == (
        wall_clock_hours == 25
    )
    assert ("Sommertid slutter undervejs: uret viser 23 timer" in assessment.trace) == (
        wall_clock_hours == 23
    )

    for counted in (receipt, orientation):
        assert counted.trace[0] == (
            f"Modtaget {describe_day(local.date())} (dansk tid); modtagelsesdagen tæller ikke med"
        )
        assert counted.due_date == add_working_days(local.date(), 6)
        assert counted.overdue_from == end_of_local_day(counted.due_date)
        # The due day ends where the next local day begins: at midnight, or at 01:00 on the
        # one day Copenhagen's clocks skipped midnight (15 May 1940).
        end = counted.overdue_from
        assert (end - timedelta(microseconds=1)).astimezone(COPENHAGEN).date() == counted.due_date
        assert end.astimezone(COPENHAGEN).date() == counted.due_date + timedelta(days=1)


def test_a_due_day_before_the_midnight_the_clocks_skipped_ends_at_one():
    # 15 May 1940: Copenhagen went from 00:00 CET straight to 01:00 CEST.
    end = end_of_local_day(date(1940, 5, 14))
    assert end == datetime(1940, 5, 14, 23, 0, tzinfo=UTC)
    assert end.astimezone(COPENHAGEN).replace(tzinfo=None) == datetime(1940, 5, 15, 1, 0)


def test_zoneinfo_knows_the_clock_changes_the_tests_rely_on():
    assert len(CLOCK_CHANGES) == 458
    assert CLOCK_CHANGES[0] == datetime(1916, 5, 14, 22, tzinfo=UTC)  # the first summer time
    assert datetime(2026, 3, 29, 1, tzinfo=UTC) in CLOCK_CHANGES
    assert datetime(2026, 10, 25, 1, tzinfo=UTC) in CLOCK_CHANGES
    assert CLOCK_CHANGES[-1] == datetime(2200, 10, 26, 1, tzinfo=UTC)


@settings(max_examples=1000)
@given(
    st.sampled_from(CLOCK_CHANGES),
    st.integers(min_value=-THREE_HOURS, max_value=THREE_HOURS),
    st.sampled_from([timedelta(0), timedelta(hours=-24)]),
)
def test_around_every_clock_change_the_deadlines_read_time_as_zoneinfo_does(
    change, microseconds, before
):
    # Received near a change, or 24 hours before one (the assessment runs across it).
    check_against_zoneinfo(change + before + timedelta(microseconds=microseconds))


@settings(max_examples=500)
@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1, 1), max_value=datetime(2200, 12, 30), timezones=st.just(UTC)
    )
)
def test_any_instant_is_read_as_zoneinfo_reads_it(instant):
    check_against_zoneinfo(instant)


@settings(max_examples=300)
@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1, 1), max_value=datetime(2200, 12, 30), timezones=st.just(UTC)
    ),
    st.integers(min_value=0, max_value=250),
)
def test_the_investigation_and_the_policy_count_from_the_local_receipt_day(instant, working_days):
    received_on = instant.astimezone(COPENHAGEN).date()
    rules = with_first_version(orientation_working_days=working_days)
    every_kind = compute_deadlines(instant, rules=rules)
    assert every_kind[:3] == compute_notification_deadlines(
        instant, notifier_kind="professional", notifier_identifiable=True, rules=rules
    )
    deadlines = {d.kind: d for d in every_kind}
    investigation = deadlines[DeadlineKind.INVESTIGATION]
    assert investigation.starts_at.astimezone(COPENHAGEN).date() == received_on
    assert investigation.starts_at.astimezone(COPENHAGEN).time() == datetime.min.time()
    orientation = deadlines[DeadlineKind.ORIENTATION]
    assert orientation.due_date == add_working_days(received_on, working_days)
    assert orientation.overdue_from == end_of_local_day(orientation.due_date)
