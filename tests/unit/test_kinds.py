"""Which deadline kinds fall due at an instant: one definition, checked against the rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from rulebooks import SHIPPED

from tracker.domain.kinds import BARNETS_LOV_KINDS, DeadlineKind, is_due_at_an_instant
from tracker.domain.local_time import end_of_local_day, local_date
from tracker.domain.rules import DecisionKind, compute_deadlines

RECEIVED = [
    datetime(2026, 3, 28, 9, 17, tzinfo=UTC),  # the night the clocks go forward follows
    datetime(2026, 4, 1, 13, 40, tzinfo=UTC),  # the day before skærtorsdag
    datetime(2026, 12, 23, 22, 59, tzinfo=UTC),
]


@pytest.mark.parametrize("received_at", RECEIVED)
def test_only_the_24_hour_assessment_and_the_reassessment_are_due_at_a_time_of_day(received_at):
    received_on = local_date(received_at)
    deadlines = compute_deadlines(
        received_at,
        decided_on=received_on,
        decision_kind=DecisionKind.SUPPORT,
        started_on=received_on,
        birth_date=date(received_on.year - 15, 12, 31),
        repeated_with_open_indsats=True,
        rules=SHIPPED,
    )
    assert {d.kind for d in deadlines} == BARNETS_LOV_KINDS
    for deadline in deadlines:
        if is_due_at_an_instant(deadline.kind):
            # Elapsed time: the assessment's 24 hours, the reassessment's local 24 hours.
            assert deadline.overdue_from - received_at == timedelta(hours=24)
        else:
            assert deadline.overdue_from == end_of_local_day(deadline.due_date)
    # The assessment; an adult's threat assessment and the genvurdering (targets in hours).
    assert [k for k in DeadlineKind if is_due_at_an_instant(k)] == [
        DeadlineKind.ASSESSMENT,
        DeadlineKind.THREAT_ASSESSMENT,
        DeadlineKind.REASSESSMENT,
    ]


@pytest.mark.parametrize("received_at", RECEIVED)
def test_an_adults_local_tasks_follow_their_units(received_at):
    from tracker.domain.adults import compute_adult_tasks
    from tracker.domain.rulebook import LocalTarget

    version = SHIPPED.versions[0]
    targets = {
        "threat_assessment": LocalTarget(hours=24),
        "follow_up": LocalTarget(working_days=10),
    }
    book = type(SHIPPED)(
        versions=(type(version)(**{**version.__dict__, "adult_task_targets": targets}),)
    )
    threat, follow_up = compute_adult_tasks(received_at, book)
    assert threat.kind == DeadlineKind.THREAT_ASSESSMENT
    assert threat.overdue_from - received_at == timedelta(hours=24)
    assert follow_up.overdue_from == end_of_local_day(follow_up.due_date)
    assert "ikke et lovkrav" in threat.legal_basis.text
    assert [t.kind for t in compute_adult_tasks(received_at, SHIPPED)] == [threat.kind]
