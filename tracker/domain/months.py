"""The deadlines counted in calendar months: barnets plan and the børnefaglige undersøgelse.

A deadline in calendar months falls on the same day of the month, or on the month's last
day when that day does not exist (31 August + 3 months is 30 November); it ends at the
end of the local day and is not moved off weekends or helligdage.
"""

from __future__ import annotations

from datetime import date

from tracker.domain.kinds import (
    DECISION_DESCRIPTIONS,
    INVESTIGATION_PERIOD,
    LEGAL_BASES,
    PLAN_BEFORE_DECISION,
    PLAN_PERIOD,
    ComputedDeadline,
    DeadlineKind,
    DecisionKind,
)
from tracker.domain.local_time import end_of_local_day, start_of_local_day
from tracker.domain.working_days import describe_day, non_working_reason


def compute_plan_deadline(kind: DecisionKind, decided_on: date) -> ComputedDeadline:
    """Barnets plan / ungeplan: 3 calendar months after the decision on an indsats.

    For an anbringelse uden samtykke (§ 47) there is no date: the plan must exist
    before the decision is made, a precondition rather than a deadline.
    """
    kind = DecisionKind(kind)
    decided_line = f"Afgørelse om {DECISION_DESCRIPTIONS[kind]}: {describe_day(decided_on)}"

    if kind is DecisionKind.PLACEMENT_WITHOUT_CONSENT:
        return ComputedDeadline(
            kind=DeadlineKind.PLAN,
            starts_at=start_of_local_day(decided_on),
            due_date=None,
            overdue_from=None,
            legal_basis=LEGAL_BASES[DeadlineKind.PLAN],
            trace=(
                decided_line,
                "Ved anbringelse uden samtykke skal planen foreligge, før afgørelsen træffes",
                "Derfor ingen dato: en betingelse, der skal være opfyldt ved afgørelsen",
            ),
            precondition=PLAN_BEFORE_DECISION,
        )

    due = decided_on + PLAN_PERIOD
    due_day = describe_day(due)
    trace = [
        decided_line,
        f"{PLAN_PERIOD.months} kalendermåneder efter afgørelsen: {due_day}",
        *_explain_due_day(decided_on, due),
        f"Fristen udløber ved udgangen af {due_day} (dansk tid)",
    ]
    return ComputedDeadline(
        kind=DeadlineKind.PLAN,
        starts_at=start_of_local_day(decided_on),
        due_date=due,
        overdue_from=end_of_local_day(due),
        legal_basis=LEGAL_BASES[DeadlineKind.PLAN],
        trace=tuple(trace),
    )


def compute_investigation_deadline(aware_on: date) -> ComputedDeadline:
    """Børnefaglig undersøgelse: 4 calendar months after the municipality became aware."""
    due = aware_on + INVESTIGATION_PERIOD
    due_day = describe_day(due)
    trace = [
        f"Kommunen blev opmærksom på behovet for særlig støtte: {describe_day(aware_on)}",
        f"{INVESTIGATION_PERIOD.months} kalendermåneder senere: {due_day}",
        *_explain_due_day(aware_on, due),
        "Kan undersøgelsen undtagelsesvis ikke afsluttes inden fristen, udarbejdes en "
        "foreløbig vurdering, og undersøgelsen afsluttes hurtigst muligt derefter",
        f"Fristen udløber ved udgangen af {due_day} (dansk tid)",
    ]
    return ComputedDeadline(
        kind=DeadlineKind.INVESTIGATION,
        starts_at=start_of_local_day(aware_on),
        due_date=due,
        overdue_from=end_of_local_day(due),
        legal_basis=LEGAL_BASES[DeadlineKind.INVESTIGATION],
        trace=tuple(trace),
    )


def _explain_due_day(start: date, due: date) -> list[str]:
    """Explain a due date that is not simply the start's day of the month, or not a hverdag."""
    lines = []
    if due.day != start.day:
        wanted = f"{due.year:04d}-{due.month:02d}-{start.day:02d}"
        lines.append(f"{wanted} findes ikke: månedens sidste dag, {due.isoformat()}, bruges")
    reason = non_working_reason(due)
    if reason is not None:
        lines.append(f"{due.isoformat()} er {reason}; en frist i kalendermåneder flyttes ikke")
    return lines
