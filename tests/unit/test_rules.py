"""The deadline rules: each kind's date, overdue instant, legal basis and Danish trace."""

from __future__ import annotations

import ast
import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from rulebooks import SHIPPED, with_first_version

import tracker.domain
from tracker.domain.kinds import BARNETS_LOV_KINDS
from tracker.domain.local_time import COPENHAGEN, end_of_local_day, localize
from tracker.domain.rules import (
    ComputedDeadline,
    DateOutOfRange,
    DeadlineError,
    DeadlineKind,
    DecisionBeforeReceipt,
    DecisionKind,
    LegalBasis,
    compute_deadlines,
    compute_investigation_deadline,
    compute_notification_deadlines,
    compute_plan_deadline,
)


def local(*args) -> datetime:
    return localize(datetime(*args))


def by_kind(deadlines: list[ComputedDeadline]) -> dict[DeadlineKind, ComputedDeadline]:
    return {d.kind: d for d in deadlines}


VERSION_LINE = "Regelgrundlag: version «barnets-lov-2024», gældende fra 2024-01-01"


def notification_deadlines(received_at, identifiable=True, professional=True, rules=SHIPPED):
    return by_kind(
        compute_notification_deadlines(
            received_at,
            notifier_kind="professional" if professional else "citizen",
            notifier_identifiable=identifiable,
            rules=rules,
        )
    )


# --- assessment: 24 elapsed hours ---


def test_assessment_is_24_elapsed_hours_later():
    received = local(2026, 4, 30, 14, 0)
    assessment = notification_deadlines(received)[DeadlineKind.ASSESSMENT]
    assert assessment.starts_at == datetime(2026, 4, 30, 12, 0, tzinfo=UTC)
    assert assessment.overdue_from == datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert assessment.due_date == date(2026, 5, 1)
    assert assessment.legal_basis.paragraph == "barnets lov § 136"
    assert assessment.trace == (
        "Modtaget torsdag 2026-04-30 kl. 14:00 (dansk tid)",
        "+ 24 timers forløbet tid (nætter, weekender og helligdage tæller med)",
        "Fristen udløber fredag 2026-05-01 kl. 14:00 (dansk tid)",
        VERSION_LINE,
    )


def test_assessment_across_the_start_of_summer_time_reads_25_hours_on_the_clock():
    assessment = notification_deadlines(local(2026, 3, 28, 12, 0))[DeadlineKind.ASSESSMENT]
    assert assessment.overdue_from - assessment.starts_at == timedelta(hours=24)
    assert assessment.overdue_from.astimezone(COPENHAGEN).hour == 13
    assert "Sommertid begynder undervejs: uret viser 25 timer" in assessment.trace
    assert assessment.trace[-2] == "Fristen udløber søndag 2026-03-29 kl. 13:00 (dansk tid)"


def test_assessment_across_the_end_of_summer_time_reads_23_hours_on_the_clock():
    assessment = notification_deadlines(local(2026, 10, 24, 12, 0))[DeadlineKind.ASSESSMENT]
    assert assessment.overdue_from - assessment.starts_at == timedelta(hours=24)
    assert assessment.overdue_from.astimezone(COPENHAGEN).hour == 11
    assert "Sommertid slutter undervejs: uret viser 23 timer" in assessment.trace


def test_assessment_received_late_evening_is_due_the_next_local_day():
    # 23:30 local is 21:30 UTC; the due date is the local date of the due instant.
    assessment = notification_deadlines(local(2026, 7, 10, 23, 30))[DeadlineKind.ASSESSMENT]
    assert assessment.due_date == date(2026, 7, 11)
    assert assessment.overdue_from == datetime(2026, 7, 11, 21, 30, tzinfo=UTC)


def test_assessment_shows_seconds_only_when_there_are_some():
    assessment = notification_deadlines(local(2026, 7, 10, 9, 5, 7))[DeadlineKind.ASSESSMENT]
    assert assessment.trace[0] == "Modtaget fredag 2026-07-10 kl. 09:05:07 (dansk tid)"
    assert assessment.trace[-2] == "Fristen udløber lørdag 2026-07-11 kl. 09:05:07 (dansk tid)"


# --- receipt: end of the 6th hverdag after the local receipt day ---


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (local(2026, 4, 1, 10, 0), date(2026, 4, 14)),
        (local(2026, 11, 28, 10, 0), date(2026, 12, 7)),
        (local(2023, 5, 3, 10, 0), date(2023, 5, 12)),
    ],
)
def test_receipt_examples_from_legal_md(received, due):
    receipt = notification_deadlines(received)[DeadlineKind.RECEIPT]
    assert receipt.due_date == due
    assert receipt.overdue_from == end_of_local_day(due)
    assert receipt.starts_at == received.astimezone(UTC)


def test_receipt_counts_from_the_local_day_not_the_utc_day():
    # 22:30 UTC on 30 April is 00:30 on Friday 1 May in Copenhagen.
    receipt = notification_deadlines(datetime(2026, 4, 30, 22, 30, tzinfo=UTC))[
        DeadlineKind.RECEIPT
    ]
    assert receipt.due_date == date(2026, 5, 11)
    assert receipt.trace[0] == (
        "Modtaget fredag 2026-05-01 (dansk tid); modtagelsesdagen tæller ikke med"
    )


def test_receipt_trace_names_every_skipped_day():
    receipt = notification_deadlines(local(2026, 4, 1, 9, 0))[DeadlineKind.RECEIPT]
    assert receipt.legal_basis == SHIPPED.versions[0].basis(DeadlineKind.RECEIPT)
    assert receipt.trace == (
        "Modtaget onsdag 2026-04-01 (dansk tid); modtagelsesdagen tæller ikke med",
        "6 hverdage efter modtagelsen",
        "2026-04-02 skærtorsdag: springes over",
        "2026-04-03 langfredag: springes over",
        "2026-04-04 lørdag: springes over",
        "2026-04-05 påskedag: springes over",
        "2026-04-06 2. påskedag: springes over",
        "2026-04-07 tirsdag: hverdag 1",
        "2026-04-08 onsdag: hverdag 2",
        "2026-04-09 torsdag: hverdag 3",
        "2026-04-10 fredag: hverdag 4",
        "2026-04-11 lørdag: springes over",
        "2026-04-12 søndag: springes over",
        "2026-04-13 mandag: hverdag 5",
        "2026-04-14 tirsdag: hverdag 6",
        "Fristen udløber ved udgangen af tirsdag 2026-04-14 (dansk tid)",
        VERSION_LINE,
    )


def test_receipt_trace_explains_that_store_bededag_is_gone():
    receipt = notification_deadlines(local(2026, 4, 30, 14, 0))[DeadlineKind.RECEIPT]
    assert "2026-05-01 fredag: hverdag 1 (store bededag er ikke helligdag fra 2024)" in (
        receipt.trace
    )
    assert receipt.due_date == date(2026, 5, 8)


def test_receipt_overdue_instant_follows_daylight_saving_time():
    winter = notification_deadlines(local(2026, 10, 23, 9, 0))[DeadlineKind.RECEIPT]
    assert winter.due_date == date(2026, 11, 2)
    assert winter.overdue_from == datetime(2026, 11, 2, 23, 0, tzinfo=UTC)
    summer = notification_deadlines(local(2026, 3, 27, 9, 0))[DeadlineKind.RECEIPT]
    assert summer.due_date == date(2026, 4, 9)
    assert summer.overdue_from == datetime(2026, 4, 9, 22, 0, tzinfo=UTC)


# --- orientation and who gets what ---


def test_orientation_is_the_local_policy_target():
    received = local(2026, 4, 1, 9, 0)
    default = notification_deadlines(received)[DeadlineKind.ORIENTATION]
    assert default.due_date == date(2026, 4, 14)
    assert "§ 137" not in default.legal_basis.paragraph
    assert default.legal_basis.to_confirm
    assert "Lokal målsætning: 6 hverdage" in default.trace[1]
    ten = notification_deadlines(received, rules=with_first_version(orientation_working_days=10))
    assert ten[DeadlineKind.ORIENTATION].due_date == date(2026, 4, 20)
    assert ten[DeadlineKind.RECEIPT].due_date == date(2026, 4, 14)  # the statute is not policy


def test_which_deadlines_a_notifier_gets():
    received = local(2026, 4, 1, 9, 0)
    kinds = [DeadlineKind.ASSESSMENT, DeadlineKind.RECEIPT, DeadlineKind.ORIENTATION]
    assert list(notification_deadlines(received, True, True)) == kinds
    assert list(notification_deadlines(received, True, False)) == kinds[:2]
    assert list(notification_deadlines(received, False, False)) == kinds[:1]
    assert list(notification_deadlines(received, False, True)) == kinds[:1]
    strict = with_first_version(receipt_for_private_notifiers=False)
    assert list(notification_deadlines(received, True, False, rules=strict)) == kinds[:1]
    assert list(notification_deadlines(received, True, True, rules=strict)) == kinds


def test_naive_receipt_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        compute_notification_deadlines(
            datetime(2026, 4, 1, 9, 0),
            notifier_kind="professional",
            notifier_identifiable=True,
            rules=SHIPPED,
        )


def test_an_offset_is_taken_as_given():
    received = datetime(2026, 4, 1, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
    assessment = notification_deadlines(received)[DeadlineKind.ASSESSMENT]
    assert assessment.starts_at == datetime(2026, 4, 1, 14, 0, tzinfo=UTC)
    assert assessment.trace[0] == "Modtaget onsdag 2026-04-01 kl. 16:00 (dansk tid)"


def test_a_rules_version_refuses_a_nonsense_orientation_target():
    with pytest.raises(ValueError, match="orientation_working_days"):
        with_first_version(orientation_working_days=-1)


# --- plan: 3 calendar months after the decision; § 47 a precondition ---


@pytest.mark.parametrize(
    ("decided", "due"),
    [
        (date(2026, 5, 4), date(2026, 8, 4)),
        (date(2026, 8, 31), date(2026, 11, 30)),  # 31 November does not exist
        (date(2023, 11, 30), date(2024, 2, 29)),  # leap year
        (date(2024, 11, 30), date(2025, 2, 28)),
        (date(2026, 10, 15), date(2027, 1, 15)),  # over the new year
    ],
)
def test_plan_is_three_calendar_months_after_the_decision(decided, due):
    for kind in (DecisionKind.SUPPORT, DecisionKind.VOLUNTARY_PLACEMENT):
        plan = compute_plan_deadline(kind, decided, SHIPPED)
        assert plan.kind is DeadlineKind.PLAN
        assert plan.due_date == due
        assert plan.overdue_from == end_of_local_day(due)
        assert plan.precondition is None
        assert plan.legal_basis.paragraph == "barnets lov §§ 91 og 108"


def test_plan_trace_explains_clamping_to_the_month_end():
    plan = compute_plan_deadline(DecisionKind.SUPPORT, date(2026, 8, 31), SHIPPED)
    assert plan.trace == (
        "Afgørelse om støttende indsats (barnets lov § 32): mandag 2026-08-31",
        "3 kalendermåneder efter afgørelsen: mandag 2026-11-30",
        "2026-11-31 findes ikke: månedens sidste dag, 2026-11-30, bruges",
        "En frist i kalendermåneder flyttes ikke fra weekend eller helligdag "
        "(strengere end forældelsesloven § 27, stk. 2)",
        "Fristen udløber ved udgangen af mandag 2026-11-30 (dansk tid)",
        VERSION_LINE,
    )


def test_plan_on_a_saturday_is_not_moved_and_the_trace_says_so():
    plan = compute_plan_deadline(DecisionKind.VOLUNTARY_PLACEMENT, date(2026, 5, 8), SHIPPED)
    assert plan.due_date == date(2026, 8, 8)
    assert (
        "2026-08-08 er lørdag; en frist i kalendermåneder flyttes ikke fra weekend eller "
        "helligdag (strengere end forældelsesloven § 27, stk. 2)"
    ) in plan.trace


def test_placement_without_consent_needs_the_plan_before_the_decision():
    plan = compute_plan_deadline(DecisionKind.PLACEMENT_WITHOUT_CONSENT, date(2026, 5, 4), SHIPPED)
    assert plan.due_date is None
    assert plan.overdue_from is None
    assert "§ 47" in plan.precondition
    assert "før afgørelsen" in plan.precondition
    assert any("før afgørelsen træffes" in step for step in plan.trace)


# --- investigation: 4 calendar months after awareness ---


@pytest.mark.parametrize(
    ("aware", "due"),
    [
        (date(2026, 4, 30), date(2026, 8, 30)),
        (date(2025, 10, 31), date(2026, 2, 28)),
        (date(2023, 10, 31), date(2024, 2, 29)),
        (date(2026, 1, 15), date(2026, 5, 15)),
    ],
)
def test_investigation_is_four_calendar_months_after_awareness(aware, due):
    investigation = compute_investigation_deadline(aware, SHIPPED)
    assert investigation.due_date == due
    assert investigation.overdue_from == end_of_local_day(due)
    assert investigation.legal_basis.paragraph == "barnets lov § 20, stk. 3"
    assert investigation.trace[0].endswith(aware.isoformat())
    assert investigation.trace[-2].endswith(f"{due.isoformat()} (dansk tid)")
    assert investigation.trace[-1].startswith(VERSION_LINE)


# --- the calculator's view ---


def test_compute_deadlines_gives_every_kind():
    deadlines = compute_deadlines(
        local(2026, 4, 30, 14, 0),
        decided_on=date(2026, 5, 4),
        decision_kind="stoettende",
        started_on=date(2026, 5, 11),
        birth_date=date(2012, 1, 20),
        repeated_with_open_indsats=True,
        rules=SHIPPED,
    )
    assert [d.kind for d in deadlines] == [k for k in DeadlineKind if k in BARNETS_LOV_KINDS]
    found = by_kind(deadlines)
    assert found[DeadlineKind.INVESTIGATION].due_date == date(2026, 8, 30)
    assert found[DeadlineKind.PLAN].due_date == date(2026, 8, 4)


def test_compute_deadlines_counts_investigation_from_awareness_when_given():
    deadlines = by_kind(
        compute_deadlines(local(2026, 4, 30, 14, 0), aware_on=date(2026, 3, 2), rules=SHIPPED)
    )
    assert deadlines[DeadlineKind.INVESTIGATION].due_date == date(2026, 7, 2)
    assert DeadlineKind.PLAN not in deadlines


def test_a_decision_before_receipt_is_refused():
    with pytest.raises(DecisionBeforeReceipt) as raised:
        compute_deadlines(local(2026, 4, 30, 14, 0), decided_on=date(2026, 4, 29), rules=SHIPPED)
    assert isinstance(raised.value, DeadlineError)
    assert raised.value.decided_on == date(2026, 4, 29)
    assert raised.value.received_on == date(2026, 4, 30)
    # The same local day is fine.
    compute_deadlines(local(2026, 4, 30, 14, 0), decided_on=date(2026, 4, 30), rules=SHIPPED)


def test_dates_outside_the_supported_years_are_refused():
    with pytest.raises(DateOutOfRange) as raised:
        compute_deadlines(local(2026, 4, 30, 14, 0), decided_on=date(9999, 12, 31), rules=SHIPPED)
    assert raised.value.field == "decided_on"
    with pytest.raises(DateOutOfRange):
        compute_deadlines(datetime(1, 1, 1, 0, 30, tzinfo=UTC), rules=SHIPPED)


# --- the objects themselves ---


def test_a_computed_deadline_is_a_frozen_value():
    received = local(2026, 4, 1, 9, 0)
    first = compute_notification_deadlines(
        received, notifier_kind="professional", notifier_identifiable=True, rules=SHIPPED
    )
    again = compute_notification_deadlines(
        received, notifier_kind="professional", notifier_identifiable=True, rules=SHIPPED
    )
    assert first == again
    assert len(set(first + again)) == 3  # hashable, and equal when computed alike
    receipt = first[1]
    assert receipt == ComputedDeadline(
        DeadlineKind.RECEIPT,
        received.astimezone(UTC),
        date(2026, 4, 14),
        end_of_local_day(date(2026, 4, 14)),
        SHIPPED.versions[0].basis(DeadlineKind.RECEIPT),
        receipt.trace,
        "barnets-lov-2024",
    )
    assert isinstance(receipt.legal_basis, LegalBasis)
    with pytest.raises(dataclasses.FrozenInstanceError):
        receipt.due_date = date(2027, 1, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        del receipt.trace


def test_receipt_and_orientation_depend_on_the_local_receipt_day_only():
    received = local(2026, 12, 21, 8, 0)
    first = compute_notification_deadlines(
        received, notifier_kind="professional", notifier_identifiable=True, rules=SHIPPED
    )
    second = compute_notification_deadlines(
        received + timedelta(hours=3),
        notifier_kind="professional",
        notifier_identifiable=True,
        rules=SHIPPED,
    )
    assert [d.due_date for d in first] == [date(2026, 12, 22), date(2027, 1, 4), date(2027, 1, 4)]
    assert first[1].trace == second[1].trace  # the receipt depends on the day only
    assert first[2].trace == second[2].trace  # so does the orientation
    assert first[0].trace[0] == "Modtaget mandag 2026-12-21 kl. 08:00 (dansk tid)"
    assert second[0].trace[0] == "Modtaget mandag 2026-12-21 kl. 11:00 (dansk tid)"
    assert second[1].starts_at - first[1].starts_at == timedelta(hours=3)


def test_the_domain_imports_neither_flask_nor_sqlalchemy_nor_the_clock():
    forbidden_modules = {"flask", "flask_babel", "sqlalchemy", "time"}
    for path in DOMAIN.glob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Attribute) and node.attr in {"now", "utcnow", "today"}:
                pytest.fail(f"{path.name}:{node.lineno} reads the clock")
            else:
                continue
            assert not {n.split(".")[0] for n in names} & forbidden_modules, path.name


DOMAIN = Path(tracker.domain.__file__).parent
