"""The calendar against an independent oracle: python-holidays plus the three extra days.

python-holidays has the 2024 abolition of store bededag right; grundlovsdag, 24 and 31
December are added because forældelsesloven § 27, stk. 2 treats them as non-hverdage.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rulebooks import SHIPPED

from tracker.domain.local_time import local_date
from tracker.domain.rules import DeadlineKind, compute_notification_deadlines
from tracker.domain.working_days import add_working_days, is_working_day, working_days_between

FIRST, LAST = date(2000, 1, 1), date(2040, 12, 31)
# The hverdag table starts in 1990; before it each day is computed on its own.
BEFORE_TABLE, INTO_TABLE = date(1985, 1, 1), date(1995, 12, 31)
PUBLIC_HOLIDAYS = holidays.Denmark(years=range(BEFORE_TABLE.year, LAST.year + 2))
EXTRA_NON_WORKING = {(6, 5), (12, 24), (12, 31)}  # grundlovsdag, juleaftensdag, nytårsaftensdag


def oracle_is_working_day(day: date) -> bool:
    return (
        day.weekday() < 5
        and day not in PUBLIC_HOLIDAYS
        and (day.month, day.day) not in EXTRA_NON_WORKING
    )


def oracle_add_working_days(day: date, n: int) -> date:
    while n:
        day += timedelta(days=1)
        if oracle_is_working_day(day):
            n -= 1
    return day


@pytest.mark.parametrize(("first", "last"), [(FIRST, LAST), (BEFORE_TABLE, INTO_TABLE)])
def test_every_day_agrees_with_the_oracle(first, last):
    disagreements = []
    day = first
    while day <= last:
        if is_working_day(day) != oracle_is_working_day(day):
            disagreements.append(day)
        day += timedelta(days=1)
    assert disagreements == []


days = st.dates(min_value=FIRST, max_value=LAST)


@given(days)
def test_a_day_is_a_hverdag_exactly_when_the_oracle_says_so(day):
    assert is_working_day(day) == oracle_is_working_day(day)


@given(days)
def test_receipt_is_a_hverdag_after_the_receipt_day_with_five_hverdage_between(day):
    due = add_working_days(day, 6)
    assert due > day
    assert oracle_is_working_day(due)
    between = [
        day + timedelta(days=k)
        for k in range(1, (due - day).days)
        if oracle_is_working_day(day + timedelta(days=k))
    ]
    assert len(between) == 5


@given(days, st.integers(min_value=0, max_value=400))
def test_counting_hverdage_undoes_adding_them(day, n):
    later = add_working_days(day, n)
    assert working_days_between(day, later) == n
    assert working_days_between(later, day) == -n


@given(st.dates(min_value=BEFORE_TABLE, max_value=date(1989, 12, 31)), st.integers(0, 400))
def test_adding_and_counting_hverdage_from_before_the_table_agree_with_the_oracle(day, n):
    later = add_working_days(day, n)
    assert later == oracle_add_working_days(day, n)
    assert working_days_between(day, later) == n
    assert working_days_between(later, day) == -n


@settings(max_examples=300)
@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2040, 12, 31),
        timezones=st.just(UTC),
    ),
    st.booleans(),
)
def test_receipt_deadline_of_any_instant(received_at, professional):
    deadlines = {
        d.kind: d
        for d in compute_notification_deadlines(
            received_at,
            notifier_kind="professional" if professional else "citizen",
            notifier_identifiable=True,
            rules=SHIPPED,
        )
    }
    assessment, receipt = deadlines[DeadlineKind.ASSESSMENT], deadlines[DeadlineKind.RECEIPT]
    assert assessment.overdue_from - received_at == timedelta(hours=24)
    assert assessment.due_date == local_date(assessment.overdue_from)
    received_on = local_date(received_at)
    assert receipt.due_date == add_working_days(received_on, 6)
    assert local_date(receipt.overdue_from - timedelta(microseconds=1)) == receipt.due_date
    assert local_date(receipt.overdue_from) == receipt.due_date + timedelta(days=1)
    assert (DeadlineKind.ORIENTATION in deadlines) == professional
