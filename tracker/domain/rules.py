"""The statutory deadlines of an underretning, computed by pure functions.

Every function takes the instants and dates it needs; none reads the clock. Each
result carries its legal basis and a Danish trace of how it was computed. Traces
are legal data and stay Danish whatever the interface language.

The rules themselves, one function per deadline kind: notification.py (the 24-hour
assessment, receipt and orientation) and months.py (plan and investigation). This
module decides which of them apply.
"""

from __future__ import annotations

from datetime import date, datetime

from tracker.domain.errors import DateOutOfRange, DeadlineError, DecisionBeforeReceipt
from tracker.domain.kinds import (
    DEFAULT_POLICY,
    LEGAL_BASES,
    ComputedDeadline,
    DeadlineKind,
    DecisionKind,
    LegalBasis,
    RulesPolicy,
)
from tracker.domain.local_time import local_date
from tracker.domain.months import compute_investigation_deadline, compute_plan_deadline
from tracker.domain.notification import (
    assessment_deadline,
    orientation_deadline,
    receipt_deadline,
    to_utc,
)

# The calculator answers for these years: wide enough for old cases and long plans, far
# from the limits of date arithmetic.
SUPPORTED_YEARS = range(1900, 2201)

__all__ = [
    "LEGAL_BASES",
    "ComputedDeadline",
    "DateOutOfRange",
    "DeadlineError",
    "DeadlineKind",
    "DecisionBeforeReceipt",
    "DecisionKind",
    "LegalBasis",
    "RulesPolicy",
    "compute_deadlines",
    "compute_investigation_deadline",
    "compute_notification_deadlines",
    "compute_plan_deadline",
]


def compute_notification_deadlines(
    received_at: datetime,
    *,
    notifier_identifiable: bool,
    notifier_professional: bool,
    policy: RulesPolicy = DEFAULT_POLICY,
) -> list[ComputedDeadline]:
    """Compute the deadlines a received underretning starts (received_at must be aware).

    Assessment always; receipt for an identifiable notifier (private ones only when the
    policy says so); orientation for an identifiable professional notifier.
    """
    received_utc = to_utc(received_at)
    deadlines = [assessment_deadline(received_utc)]
    if not notifier_identifiable:
        return deadlines
    if notifier_professional or policy.receipt_for_private_notifiers:
        deadlines.append(receipt_deadline(received_utc))
    if notifier_professional:
        deadlines.append(orientation_deadline(received_utc, policy.orientation_working_days))
    return deadlines


def compute_deadlines(
    received_at: datetime,
    *,
    notifier_identifiable: bool = True,
    notifier_professional: bool = True,
    decided_on: date | None = None,
    decision_kind: DecisionKind = DecisionKind.SUPPORT,
    aware_on: date | None = None,
    policy: RulesPolicy = DEFAULT_POLICY,
) -> list[ComputedDeadline]:
    """Compute every deadline for one underretning: the calculator's view of a case.

    The investigation counts from aware_on, by default the local receipt day; the plan
    deadline appears only with a decision date, which may not be before the receipt day.
    Dates outside SUPPORTED_YEARS raise DateOutOfRange. The list is in DeadlineKind order.
    """
    for field, value in (
        ("received_at", received_at),
        ("decided_on", decided_on),
        ("aware_on", aware_on),
    ):
        if value is not None and value.year not in SUPPORTED_YEARS:
            raise DateOutOfRange(field, value, SUPPORTED_YEARS)
    deadlines = compute_notification_deadlines(
        received_at,
        notifier_identifiable=notifier_identifiable,
        notifier_professional=notifier_professional,
        policy=policy,
    )
    received_on = local_date(received_at)
    if decided_on is not None:
        if decided_on < received_on:
            raise DecisionBeforeReceipt(decided_on, received_on)
        deadlines.append(compute_plan_deadline(decision_kind, decided_on))
    deadlines.append(compute_investigation_deadline(received_on if aware_on is None else aware_on))
    return deadlines
