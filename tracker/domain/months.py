"""The deadlines counted in calendar months: barnets plan and the børnefaglige undersøgelse.

Each depends on one date only, so results are cached; a deadline in calendar months ends
at the end of the local day and is not moved off weekends or helligdage.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from tracker.domain.kinds import (
    DECISION_DESCRIPTIONS,
    INVESTIGATION_MONTHS,
    LEGAL_BASES,
    PLAN_BEFORE_DECISION,
    PLAN_MONTHS,
    ComputedDeadline,
    DeadlineKind,
    DecisionKind,
)
from tracker.domain.local_time import end_of_local_day, start_of_local_day
from tracker.domain.working_days import describe_day, non_working_reason


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
