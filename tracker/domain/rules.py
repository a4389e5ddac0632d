"""The statutory deadlines of an underretning, computed by pure functions.

Every function takes the instants and dates it needs; none reads the clock. Each
result carries its legal basis and a Danish trace of how it was computed. Traces
are legal data and stay Danish whatever the interface language.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from tracker.domain.calendar import (
    describe_day,
    end_of_local_day,
    non_working_reason,
    start_of_local_day,
)
from tracker.domain.errors import DateOutOfRange, DeadlineError, DecisionBeforeReceipt
from tracker.domain.kinds import (
    DECISION_DESCRIPTIONS,
    DEFAULT_POLICY,
    INVESTIGATION_MONTHS,
    LEGAL_BASES,
    PLAN_BEFORE_DECISION,
    PLAN_MONTHS,
    ComputedDeadline,
    DeadlineKind,
    DecisionKind,
    LegalBasis,
    RulesPolicy,
)
from tracker.domain.notification import notification_deadlines, received_instants

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
    received_utc, local = received_instants(received_at)
    return notification_deadlines(
        received_utc, local, notifier_identifiable, notifier_professional, policy
    )


@lru_cache(maxsize=65536)
def compute_plan_deadline(kind: DecisionKind, decided_on: date) -> ComputedDeadline:
    """Compute when barnets plan / ungeplan must exist after a decision on an indsats."""
    kind = DecisionKind(kind)
    decided_line = f"Afgørelse om {DECISION_DESCRIPTIONS[kind]}: {describe_day(decided_on)}"
    basis = LEGAL_BASES[DeadlineKind.PLAN]
    starts_at = start_of_local_day(decided_on)
    if kind is DecisionKind.PLACEMENT_WITHOUT_CONSENT:
        trace = (
            decided_line,
            "Ved anbringelse uden samtykke skal planen foreligge, før afgørelsen træffes",
            "Derfor ingen dato: en betingelse, der skal være opfyldt ved afgørelsen",
        )
        return ComputedDeadline(
            DeadlineKind.PLAN, starts_at, None, None, basis, trace, PLAN_BEFORE_DECISION
        )
    due, steps = _calendar_months(decided_on, PLAN_MONTHS, "efter afgørelsen")
    trace = (decided_line, *steps)
    return ComputedDeadline(DeadlineKind.PLAN, starts_at, due, end_of_local_day(due), basis, trace)


@lru_cache(maxsize=65536)
def compute_investigation_deadline(aware_on: date) -> ComputedDeadline:
    """Compute when the børnefaglige undersøgelse must be finished."""
    due, steps = _calendar_months(aware_on, INVESTIGATION_MONTHS, "senere")
    trace = (
        f"Kommunen blev opmærksom på behovet for særlig støtte: {describe_day(aware_on)}",
        *steps[:-1],
        "Kan undersøgelsen undtagelsesvis ikke afsluttes inden fristen, udarbejdes en "
        "foreløbig vurdering, og undersøgelsen afsluttes hurtigst muligt derefter",
        steps[-1],
    )
    return ComputedDeadline(
        DeadlineKind.INVESTIGATION,
        start_of_local_day(aware_on),
        due,
        end_of_local_day(due),
        LEGAL_BASES[DeadlineKind.INVESTIGATION],
        trace,
    )


def _calendar_months(start: date, months: int, after_what: str) -> tuple[date, list[str]]:
    """Add calendar months, clamping to the month's last day, and explain the result."""
    due = start + relativedelta(months=months)
    steps = [f"{months} kalendermåneder {after_what}: {describe_day(due)}"]
    if due.day != start.day:
        wanted = f"{due.year:04d}-{due.month:02d}-{start.day:02d}"
        steps.append(f"{wanted} findes ikke: månedens sidste dag, {due.isoformat()}, bruges")
    reason = non_working_reason(due)
    if reason is not None:
        steps.append(f"{due.isoformat()} er {reason}; en frist i kalendermåneder flyttes ikke")
    steps.append(f"Fristen udløber ved udgangen af {describe_day(due)} (dansk tid)")
    return due, steps


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
    _check_supported("received_at", received_at)
    _check_supported("decided_on", decided_on)
    _check_supported("aware_on", aware_on)
    received_utc, local = received_instants(received_at)
    received_on = local.date()
    if decided_on is not None and decided_on < received_on:
        raise DecisionBeforeReceipt(decided_on, received_on)
    deadlines = notification_deadlines(
        received_utc, local, notifier_identifiable, notifier_professional, policy
    )
    if decided_on is not None:
        deadlines.append(compute_plan_deadline(decision_kind, decided_on))
    deadlines.append(compute_investigation_deadline(aware_on or received_on))
    return deadlines


def _check_supported(field: str, value: date | datetime | None) -> None:
    if value is not None and value.year not in SUPPORTED_YEARS:
        raise DateOutOfRange(field, value, SUPPORTED_YEARS)
