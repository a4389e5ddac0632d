"""Deadline status and time left, without app or database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tracker.domain.status import DeadlineStatus, TimeUnit, deadline_status, time_left

DUE = datetime(2026, 4, 14, 22, 0, tzinfo=UTC)  # end of Tue 2026-04-14, Copenhagen


def status(now, completed_at=None, reason=None, overdue_from=DUE):
    return deadline_status(
        overdue_from=overdue_from, completed_at=completed_at, not_applicable_reason=reason, now=now
    )


def test_statuses():
    assert status(DUE - timedelta(days=3)) is DeadlineStatus.OPEN
    assert status(DUE - timedelta(hours=3)) is DeadlineStatus.DUE_SOON
    assert status(DUE) is DeadlineStatus.OVERDUE
    assert status(DUE, completed_at=DUE - timedelta(seconds=1)) is DeadlineStatus.MET_ON_TIME
    assert status(DUE, completed_at=DUE) is DeadlineStatus.MET_LATE
    assert status(DUE, reason="Anonym") is DeadlineStatus.NOT_APPLICABLE
    assert status(DUE, overdue_from=None) is DeadlineStatus.PRECONDITION


def test_time_left_in_hours_then_working_days():
    near = time_left(
        overdue_from=DUE,
        due_date=date(2026, 4, 14),
        now=DUE - timedelta(hours=3),
        counts_working_days=True,
    )
    assert (near.amount, near.unit, near.overdue) == (3, TimeUnit.HOURS, False)
    # Friday 2026-04-17 local: three hverdage (15th, 16th, 17th) after the due day.
    late = time_left(
        overdue_from=DUE,
        due_date=date(2026, 4, 14),
        now=datetime(2026, 4, 17, 12, 0, tzinfo=UTC),
        counts_working_days=True,
    )
    assert (late.amount, late.unit, late.overdue) == (3, TimeUnit.WORKING_DAYS, True)


def test_time_left_in_minutes_and_calendar_days():
    soon = time_left(
        overdue_from=DUE,
        due_date=date(2026, 4, 14),
        now=DUE - timedelta(minutes=20),
        counts_working_days=False,
    )
    assert (soon.amount, soon.unit) == (20, TimeUnit.MINUTES)
    far = time_left(
        overdue_from=DUE,
        due_date=date(2026, 4, 14),
        now=datetime(2026, 4, 4, 10, 0, tzinfo=UTC),
        counts_working_days=False,
    )
    assert (far.amount, far.unit, far.overdue) == (10, TimeUnit.DAYS, False)
