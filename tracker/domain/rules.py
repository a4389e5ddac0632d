"""The statutory deadlines of an underretning, computed by pure functions.

Every function takes the instants and dates it needs; none reads the clock. Each
result carries its legal basis and a Danish trace of how it was computed. Traces
are legal data and stay Danish whatever the interface language.
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
from tracker.domain.months import compute_investigation_deadline, compute_plan_deadline
from tracker.domain.notification import notification_deadlines

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
    _, deadlines = notification_deadlines(
        received_at, notifier_identifiable, notifier_professional, policy
    )
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
    # One condition rather than a call per field: this runs for every notification.
    supported = SUPPORTED_YEARS
    if (
        received_at.year not in supported
        or (decided_on is not None and decided_on.year not in supported)
        or (aware_on is not None and aware_on.year not in supported)
    ):
        _refuse_unsupported(received_at=received_at, decided_on=decided_on, aware_on=aware_on)
    day, deadlines = notification_deadlines(
        received_at, notifier_identifiable, notifier_professional, policy
    )
    if decided_on is not None and decided_on < day.received_on:
        raise DecisionBeforeReceipt(decided_on, day.received_on)
    if decided_on is not None:
        deadlines.append(compute_plan_deadline(decision_kind, decided_on))
    if aware_on is None:
        deadlines.append(day.investigation)
    else:
        deadlines.append(compute_investigation_deadline(aware_on))
    return deadlines


def _refuse_unsupported(**values: date | datetime | None) -> None:
    """Raise DateOutOfRange for the first of the values outside SUPPORTED_YEARS."""
    for field, value in values.items():
        if value is not None and value.year not in SUPPORTED_YEARS:
            raise DateOutOfRange(field, value, SUPPORTED_YEARS)
