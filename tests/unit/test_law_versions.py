"""Rules versions, § 133 notifiers, the first follow-up and the ungeplan at 16 (no app)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from rulebooks import SHIPPED, with_later_version

from tracker.domain.kinds import DeadlineKind, DecisionKind, LegalBasis
from tracker.domain.local_time import end_of_local_day, localize
from tracker.domain.months import (
    compute_follow_up_deadline,
    compute_investigation_deadline,
    compute_plan_deadline,
    compute_youth_plan_deadline,
    sixteenth_birthday,
    youth_plan_applies,
)
from tracker.domain.rules import compute_deadlines, compute_notification_deadlines

NOT_MOVED = "flyttes ikke fra weekend eller helligdag (strengere end forældelsesloven § 27, stk. 2)"


def local(*args) -> datetime:
    return localize(datetime(*args))


def kinds_for(notifier_kind: str, rules=SHIPPED, received=None) -> list[DeadlineKind]:
    return [
        d.kind
        for d in compute_notification_deadlines(
            received or local(2026, 4, 1, 9, 0),
            notifier_kind=notifier_kind,
            notifier_identifiable=notifier_kind != "anonymous",
            rules=rules,
        )
    ]


# --- every § 133 notifier ---


def test_police_get_receipt_and_orientation_like_other_professionals():
    both = [DeadlineKind.ASSESSMENT, DeadlineKind.RECEIPT, DeadlineKind.ORIENTATION]
    assert kinds_for("police") == both
    assert kinds_for("professional") == both
    assert kinds_for("citizen") == both[:2]  # the local policy confirms receipt to all
    assert kinds_for("other") == both[:2]
    assert kinds_for("anonymous") == both[:1]


def test_the_section_133_kinds_are_data():
    later = with_later_version(date(2027, 1, 1), section_133_notifiers=frozenset({"professional"}))
    assert DeadlineKind.ORIENTATION in kinds_for("police", later, local(2026, 12, 31, 9, 0))
    assert DeadlineKind.ORIENTATION not in kinds_for("police", later, local(2027, 1, 4, 9, 0))


# --- versions: a deadline is computed under the rules in force at its start ---


def test_each_deadline_uses_the_version_in_force_on_its_start_day_and_names_it():
    new_basis = LegalBasis("barnets lov § 136, stk. 2", "Ny tekst", sources=("vej-9471-toc",))
    bases = {**SHIPPED.versions[0].bases, DeadlineKind.ASSESSMENT: new_basis}
    book = with_later_version(date(2027, 1, 1), "ny-2027", bases=bases, orientation_working_days=3)

    before = {d.kind: d for d in compute_deadlines(local(2026, 12, 31, 23, 30), rules=book)}
    after = {d.kind: d for d in compute_deadlines(local(2027, 1, 1, 0, 30), rules=book)}

    assert before[DeadlineKind.ASSESSMENT].legal_basis.paragraph == "barnets lov § 136"
    assert before[DeadlineKind.ASSESSMENT].rules_version == "barnets-lov-2024"
    assert before[DeadlineKind.ORIENTATION].due_date == date(2027, 1, 11)  # 6 hverdage
    assert after[DeadlineKind.ASSESSMENT].legal_basis == new_basis
    assert after[DeadlineKind.ASSESSMENT].rules_version == "ny-2027"
    assert after[DeadlineKind.ASSESSMENT].trace[-1] == (
        "Regelgrundlag: version «ny-2027», gældende fra 2027-01-01"
    )
    assert after[DeadlineKind.ORIENTATION].due_date == date(2027, 1, 6)  # 3 hverdage
    # The investigation counts from the day of awareness: its version is that day's.
    early = compute_investigation_deadline(date(2026, 12, 31), book)
    assert early.rules_version == "barnets-lov-2024"


def test_a_start_before_every_version_uses_the_earliest_and_says_so():
    deadline = compute_investigation_deadline(date(2023, 10, 31), SHIPPED)
    assert deadline.trace[-1] == (
        "Regelgrundlag: version «barnets-lov-2024», gældende fra 2024-01-01 "
        "(fristen begyndte før; den tidligste version bruges)"
    )


# --- month-based deadlines stay on their calendar date, and the trace says so ---


def test_every_month_based_deadline_says_in_one_line_that_it_is_not_moved():
    saturday = date(2026, 8, 8)
    deadlines = [
        compute_plan_deadline(DecisionKind.SUPPORT, date(2026, 5, 8), SHIPPED),
        compute_investigation_deadline(date(2026, 4, 8), SHIPPED),
        compute_follow_up_deadline(DecisionKind.SUPPORT, date(2026, 5, 8), SHIPPED),
        compute_youth_plan_deadline(date(2010, 5, 8), SHIPPED),
    ]
    for deadline in deadlines:
        assert deadline.due_date == saturday, deadline.kind
        lines = [line for line in deadline.trace if NOT_MOVED in line]
        assert lines == [f"2026-08-08 er lørdag; en frist i kalendermåneder {NOT_MOVED}"]
    weekday = compute_plan_deadline(DecisionKind.SUPPORT, date(2026, 5, 4), SHIPPED)
    assert f"En frist i kalendermåneder {NOT_MOVED}" in weekday.trace


# --- first follow-up, § 95, stk. 2 ---


def test_follow_up_is_three_calendar_months_after_the_indsats_started():
    follow_up = compute_follow_up_deadline(
        DecisionKind.VOLUNTARY_PLACEMENT, date(2026, 8, 31), SHIPPED
    )
    assert follow_up.kind is DeadlineKind.FOLLOW_UP
    assert follow_up.due_date == date(2026, 11, 30)
    assert follow_up.overdue_from == end_of_local_day(date(2026, 11, 30))
    assert follow_up.legal_basis.paragraph == "barnets lov § 95, stk. 2"
    assert follow_up.trace[:3] == (
        "Indsatsen (frivillig anbringelse (barnets lov § 46)) blev iværksat: mandag 2026-08-31",
        "3 kalendermåneder efter iværksættelsen: mandag 2026-11-30",
        "2026-11-31 findes ikke: månedens sidste dag, 2026-11-30, bruges",
    )


def test_follow_up_comes_earlier_when_the_parallel_undersoegelse_is_finished_first():
    started = date(2026, 5, 6)
    open_ = compute_follow_up_deadline(DecisionKind.ACUTE_SUPPORT, started, SHIPPED)
    assert open_.due_date == date(2026, 8, 6)
    assert any("afsluttes den før, er fristen den dag" in line for line in open_.trace)

    finished = compute_follow_up_deadline(
        DecisionKind.ACUTE_SUPPORT, started, SHIPPED, investigation_finished_on=date(2026, 6, 12)
    )
    assert finished.due_date == date(2026, 6, 12)
    assert "Det tidligste af de to: fredag 2026-06-12" in finished.trace

    late = compute_follow_up_deadline(
        DecisionKind.ACUTE_PLACEMENT, started, SHIPPED, investigation_finished_on=date(2026, 9, 1)
    )
    assert late.due_date == date(2026, 8, 6)  # the three months came first


def test_only_an_undersoegelse_alongside_an_acute_indsats_brings_the_follow_up_forward():
    started = date(2026, 5, 6)
    ordinary = compute_follow_up_deadline(
        DecisionKind.SUPPORT, started, SHIPPED, investigation_finished_on=date(2026, 6, 12)
    )
    assert ordinary.due_date == date(2026, 8, 6)
    before_start = compute_follow_up_deadline(
        DecisionKind.ACUTE_SUPPORT, started, SHIPPED, investigation_finished_on=date(2026, 5, 1)
    )
    assert before_start.due_date == date(2026, 8, 6)
    assert any("kørte derfor ikke sideløbende" in line for line in before_start.trace)


# --- ungeplan at 16, § 108, stk. 3 ---


@pytest.mark.parametrize(
    ("born", "sixteen", "due"),
    [
        (date(2012, 2, 29), date(2028, 2, 29), date(2028, 5, 29)),  # a leap-day birthday
        (date(2011, 11, 30), date(2027, 11, 30), date(2028, 2, 29)),  # due on a leap day
        (date(2012, 11, 30), date(2028, 11, 30), date(2029, 2, 28)),  # no 29 February
        (date(2084, 2, 29), date(2100, 2, 28), date(2100, 5, 28)),  # 2100 is no leap year
    ],
)
def test_youth_plan_is_due_three_months_after_the_16th_birthday_across_leap_days(
    born, sixteen, due
):
    assert sixteenth_birthday(born) == sixteen
    plan = compute_youth_plan_deadline(born, SHIPPED)
    assert plan.kind is DeadlineKind.YOUTH_PLAN
    assert plan.due_date == due
    assert plan.overdue_from == end_of_local_day(due)
    assert plan.legal_basis.paragraph == "barnets lov § 108, stk. 3"
    assert plan.trace[1].startswith("Fylder 16 år: ")
    assert plan.trace[1].endswith(sixteen.isoformat())


def test_the_trace_explains_a_leap_day_birthday_in_a_year_without_one():
    plan = compute_youth_plan_deadline(date(2084, 2, 29), SHIPPED)
    assert "2100-02-29 findes ikke: fødselsdagen regnes som den 28. februar" in plan.trace
    clamped = compute_youth_plan_deadline(date(2011, 11, 30), SHIPPED)
    assert "2028-02-30 findes ikke: månedens sidste dag, 2028-02-29, bruges" in clamped.trace


def test_the_youth_plan_is_for_turning_16_with_the_indsats_running():
    assert youth_plan_applies(date(2012, 3, 1), decided_on=date(2026, 5, 4))
    assert youth_plan_applies(date(2010, 5, 4), decided_on=date(2026, 5, 4))  # the birthday
    assert not youth_plan_applies(date(2010, 5, 3), decided_on=date(2026, 5, 4))
    found = compute_deadlines(
        local(2026, 4, 30, 14, 0),
        decided_on=date(2026, 5, 4),
        birth_date=date(2009, 1, 1),  # 17 at the decision: the plan is the ungeplan
        rules=SHIPPED,
    )
    assert DeadlineKind.YOUTH_PLAN not in {d.kind for d in found}


def test_a_computed_deadline_carries_its_version():
    deadline = compute_plan_deadline(DecisionKind.SUPPORT, date(2026, 5, 4), SHIPPED)
    assert deadline.rules_version == "barnets-lov-2024"
    with pytest.raises(dataclasses.FrozenInstanceError):
        deadline.rules_version = "x"
