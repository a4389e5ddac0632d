"""The statutory deadlines of an underretning, computed by pure functions.

Every function takes the instants and dates it needs and the rule book (the rules file,
parsed); none reads the clock or a file. Each result carries the legal basis of the
rules version in force when it starts and a Danish trace of how it was computed, which
names that version. Traces are legal data and stay Danish whatever the interface language.

The rules themselves, one function per deadline kind: notification.py (the 24-hour
assessment, receipt and orientation) and months.py (plans, the undersøgelse and the
first follow-up). This module decides which of them apply.
"""

from __future__ import annotations

from datetime import date, datetime

from tracker.domain.errors import (
    DateOutOfRange,
    DeadlineError,
    DecisionBeforeReceipt,
    StartBeforeDecision,
)
from tracker.domain.kinds import (
    ACUTE_DECISIONS,
    ComputedDeadline,
    DeadlineKind,
    DecisionKind,
    LegalBasis,
)
from tracker.domain.local_time import local_date
from tracker.domain.months import (
    compute_follow_up_deadline,
    compute_investigation_deadline,
    compute_plan_deadline,
    compute_youth_plan_deadline,
    youth_plan_applies,
)
from tracker.domain.notification import (
    assessment_deadline,
    orientation_deadline,
    reassessment_deadline,
    receipt_deadline,
    to_utc,
)
from tracker.domain.rulebook import RuleBook, RulesVersion

# The calculator answers for these years: wide enough for old cases and long plans, far
# from the limits of date arithmetic.
SUPPORTED_YEARS = range(1900, 2201)

__all__ = [
    "ACUTE_DECISIONS",
    "ComputedDeadline",
    "DateOutOfRange",
    "DeadlineError",
    "DeadlineKind",
    "DecisionBeforeReceipt",
    "DecisionKind",
    "LegalBasis",
    "RuleBook",
    "RulesVersion",
    "StartBeforeDecision",
    "compute_deadlines",
    "compute_follow_up_deadline",
    "compute_investigation_deadline",
    "compute_notification_deadlines",
    "compute_plan_deadline",
    "compute_youth_plan_deadline",
    "youth_plan_applies",
]


def compute_notification_deadlines(
    received_at: datetime,
    *,
    notifier_kind: str,
    notifier_identifiable: bool,
    rules: RuleBook,
) -> list[ComputedDeadline]:
    """Compute the deadlines a received underretning starts (received_at must be aware).

    Assessment always; for an identifiable notifier, receipt if the notifier kind is a
    § 133 notifier under the rules version in force on the receipt day (or private ones
    too when that version's local policy says so), and orientation for § 133 notifiers.
    """
    received_utc = to_utc(received_at)
    deadlines = [assessment_deadline(received_utc, rules)]
    if not notifier_identifiable:
        return deadlines
    version = rules.in_force_on(local_date(received_utc))
    section_133 = version.is_section_133_notifier(notifier_kind)
    if section_133 or version.receipt_for_private_notifiers:
        deadlines.append(receipt_deadline(received_utc, rules))
    if section_133:
        deadlines.append(orientation_deadline(received_utc, rules))
    return deadlines


def compute_deadlines(
    received_at: datetime,
    *,
    rules: RuleBook,
    notifier_kind: str = "professional",
    notifier_identifiable: bool = True,
    decided_on: date | None = None,
    decision_kind: DecisionKind = DecisionKind.SUPPORT,
    started_on: date | None = None,
    birth_date: date | None = None,
    aware_on: date | None = None,
    repeated_with_open_indsats: bool = False,
) -> list[ComputedDeadline]:
    """Compute every deadline for one underretning: the calculator's view of a case.

    `repeated_with_open_indsats`: the child already has an open støttende indsats or
    anbringelse, so the underretning also gets the genvurdering (§ 137, stk. 1).

    The investigation counts from aware_on, by default the local receipt day. A decision
    date (not before the receipt day) adds the plan deadline; with it, a start date (not
    before the decision) adds the first follow-up, and a birth date the ungeplan at 16
    when the child turns 16 after the decision. Dates outside SUPPORTED_YEARS raise
    DateOutOfRange. The list is in DeadlineKind order.
    """
    for field, value in (
        ("received_at", received_at),
        ("decided_on", decided_on),
        ("started_on", started_on),
        ("birth_date", birth_date),
        ("aware_on", aware_on),
    ):
        if value is not None and value.year not in SUPPORTED_YEARS:
            raise DateOutOfRange(field, value, SUPPORTED_YEARS)
    deadlines = compute_notification_deadlines(
        received_at,
        notifier_kind=notifier_kind,
        notifier_identifiable=notifier_identifiable,
        rules=rules,
    )
    received_on = local_date(received_at)
    if decided_on is not None:
        if decided_on < received_on:
            raise DecisionBeforeReceipt(decided_on, received_on)
        deadlines.append(compute_plan_deadline(decision_kind, decided_on, rules))
    aware = received_on if aware_on is None else aware_on
    deadlines.append(compute_investigation_deadline(aware, rules))
    if decided_on is not None and started_on is not None:
        if started_on < decided_on:
            raise StartBeforeDecision(started_on, decided_on)
        deadlines.append(compute_follow_up_deadline(decision_kind, started_on, rules))
    if (
        decided_on is not None
        and birth_date is not None
        and youth_plan_applies(birth_date, decided_on)
    ):
        deadlines.append(compute_youth_plan_deadline(birth_date, rules))
    if repeated_with_open_indsats:
        deadlines.append(reassessment_deadline(received_at, rules))
    return deadlines
