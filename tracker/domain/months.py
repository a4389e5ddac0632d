"""The deadlines counted in calendar months: plans, the undersøgelse and the first follow-up.

A deadline in calendar months falls on the same day of the month, or on the month's last
day when that day does not exist (31 August + 3 months is 30 November); it ends at the
end of the local day and is not moved off weekends or helligdage, which is stricter than
forældelsesloven § 27, stk. 2 (a deadline ending on such a day runs to the next hverdag):
the authority is held to the earlier date, and every trace says so in one line.

Each function takes the dates it counts from and the rule book, and uses the rules
version in force on the day the deadline starts.
"""

from __future__ import annotations

from datetime import date

from tracker.domain.kinds import (
    ACUTE_DECISIONS,
    DECISION_DESCRIPTIONS,
    FOLLOW_UP_PERIOD,
    INVESTIGATION_PERIOD,
    PLAN_BEFORE_DECISION,
    PLAN_PERIOD,
    YOUTH_PLAN_AGE,
    YOUTH_PLAN_PERIOD,
    ComputedDeadline,
    DeadlineKind,
    DecisionKind,
)
from tracker.domain.local_time import end_of_local_day, start_of_local_day
from tracker.domain.rulebook import RuleBook, RulesVersion
from tracker.domain.working_days import describe_day, non_working_reason

NOT_MOVED = "flyttes ikke fra weekend eller helligdag (strengere end forældelsesloven § 27, stk. 2)"


def compute_plan_deadline(
    kind: DecisionKind, decided_on: date, rules: RuleBook
) -> ComputedDeadline:
    """Barnets plan / ungeplan: 3 calendar months after the decision on an indsats.

    For an anbringelse uden samtykke (§ 47) there is no date: the plan must exist
    before the decision is made, a precondition rather than a deadline.
    """
    kind = DecisionKind(kind)
    version = rules.in_force_on(decided_on)
    decided_line = f"Afgørelse om {DECISION_DESCRIPTIONS[kind]}: {describe_day(decided_on)}"

    if kind is DecisionKind.PLACEMENT_WITHOUT_CONSENT:
        return ComputedDeadline(
            kind=DeadlineKind.PLAN,
            starts_at=start_of_local_day(decided_on),
            due_date=None,
            overdue_from=None,
            legal_basis=version.basis(DeadlineKind.PLAN),
            trace=(
                decided_line,
                "Ved anbringelse uden samtykke skal planen foreligge, før afgørelsen træffes",
                "Derfor ingen dato: en betingelse, der skal være opfyldt ved afgørelsen",
                version.trace_line(decided_on),
            ),
            rules_version=version.id,
            precondition=PLAN_BEFORE_DECISION,
        )

    due = decided_on + PLAN_PERIOD
    return _counted_in_months(
        DeadlineKind.PLAN,
        decided_on,
        due,
        version,
        [
            decided_line,
            f"{PLAN_PERIOD.months} kalendermåneder efter afgørelsen: {describe_day(due)}",
            *_explain_due_day(decided_on, due),
        ],
    )


def compute_investigation_deadline(aware_on: date, rules: RuleBook) -> ComputedDeadline:
    """Børnefaglig undersøgelse: 4 calendar months after the municipality became aware."""
    due = aware_on + INVESTIGATION_PERIOD
    return _counted_in_months(
        DeadlineKind.INVESTIGATION,
        aware_on,
        due,
        rules.in_force_on(aware_on),
        [
            f"Kommunen blev opmærksom på behovet for særlig støtte: {describe_day(aware_on)}",
            f"{INVESTIGATION_PERIOD.months} kalendermåneder senere: {describe_day(due)}",
            *_explain_due_day(aware_on, due),
        ],
        after=(
            "Kan undersøgelsen undtagelsesvis ikke afsluttes inden fristen, udarbejdes en "
            "foreløbig vurdering, og undersøgelsen afsluttes hurtigst muligt derefter",
        ),
    )


def compute_follow_up_deadline(
    kind: DecisionKind,
    started_on: date,
    rules: RuleBook,
    *,
    investigation_finished_on: date | None = None,
) -> ComputedDeadline:
    """Første opfølgning (§ 95, stk. 2): 3 calendar months after the indsats started.

    For an acute, provisional indsats (§ 32, stk. 4 / § 46, stk. 3) the børnefaglige
    undersøgelse runs alongside it, and the follow-up is due when that undersøgelse is
    finished if that comes first: pass its finishing day as `investigation_finished_on`.
    A finishing day before the indsats started is not an undersøgelse alongside it.
    """
    kind = DecisionKind(kind)
    three_months = started_on + FOLLOW_UP_PERIOD
    lines = [
        f"Indsatsen ({DECISION_DESCRIPTIONS[kind]}) blev iværksat: {describe_day(started_on)}",
        f"{FOLLOW_UP_PERIOD.months} kalendermåneder efter iværksættelsen: "
        f"{describe_day(three_months)}",
        *_explain_due_day(started_on, three_months),
    ]
    due = three_months
    if kind in ACUTE_DECISIONS:
        if investigation_finished_on is None:
            lines.append(
                "Den børnefaglige undersøgelse kører sideløbende med den akutte indsats: "
                "afsluttes den før, er fristen den dag"
            )
        elif investigation_finished_on < started_on:
            lines.append(
                "Den børnefaglige undersøgelse blev afsluttet "
                f"{describe_day(investigation_finished_on)}, før indsatsen blev iværksat, "
                "og kørte derfor ikke sideløbende"
            )
        else:
            lines.append(
                "Den sideløbende børnefaglige undersøgelse blev afsluttet: "
                f"{describe_day(investigation_finished_on)}"
            )
            due = min(three_months, investigation_finished_on)
            lines.append(f"Det tidligste af de to: {describe_day(due)}")
    return _counted_in_months(
        DeadlineKind.FOLLOW_UP, started_on, due, rules.in_force_on(started_on), lines
    )


def youth_plan_applies(birth_date: date, decided_on: date) -> bool:
    """Tell whether the child turns 16 with the indsats running (on or after the decision).

    A young person who was already 16 at the decision gets the ungeplan as the plan that
    the decision itself starts; the separate deadline is for turning 16 during an indsats.
    """
    return sixteenth_birthday(birth_date) >= decided_on


def sixteenth_birthday(birth_date: date) -> date:
    """Return the day a child turns 16 (born 29 February: the 28th in a year without the 29th)."""
    year = birth_date.year + YOUTH_PLAN_AGE
    try:
        return birth_date.replace(year=year)
    except ValueError:  # 29 February in a year that has none
        return date(year, 2, 28)


def compute_youth_plan_deadline(birth_date: date, rules: RuleBook) -> ComputedDeadline:
    """Ungeplan at 16 (§ 108, stk. 3): 3 calendar months after the 16th birthday.

    For a young person with an indsats (see youth_plan_applies).
    """
    birthday = sixteenth_birthday(birth_date)
    due = birthday + YOUTH_PLAN_PERIOD
    lines = [
        f"Født: {describe_day(birth_date)}",
        f"Fylder {YOUTH_PLAN_AGE} år: {describe_day(birthday)}",
    ]
    if (birthday.month, birthday.day) != (birth_date.month, birth_date.day):
        lines.append(
            f"{birthday.year:04d}-02-29 findes ikke: fødselsdagen regnes som den 28. februar"
        )
    lines.append(
        f"{YOUTH_PLAN_PERIOD.months} kalendermåneder efter {YOUTH_PLAN_AGE}-årsdagen: "
        f"{describe_day(due)}"
    )
    lines += _explain_due_day(birthday, due)
    return _counted_in_months(
        DeadlineKind.YOUTH_PLAN, birthday, due, rules.in_force_on(birthday), lines
    )


def _counted_in_months(
    kind: DeadlineKind,
    start: date,
    due: date,
    version: RulesVersion,
    lines: list[str],
    *,
    after: tuple[str, ...] = (),
) -> ComputedDeadline:
    """Finish a month-counted deadline: not moved, the end of the day, the rules version."""
    due_day = describe_day(due)
    trace = [
        *lines,
        _not_moved(due),
        *after,
        f"Fristen udløber ved udgangen af {due_day} (dansk tid)",
        version.trace_line(start),
    ]
    return ComputedDeadline(
        kind=kind,
        starts_at=start_of_local_day(start),
        due_date=due,
        overdue_from=end_of_local_day(due),
        legal_basis=version.basis(kind),
        trace=tuple(trace),
        rules_version=version.id,
    )


def _explain_due_day(start: date, due: date) -> list[str]:
    """Explain a due date that is not the start's day of the month (a shorter month)."""
    if due.day == start.day:
        return []
    wanted = f"{due.year:04d}-{due.month:02d}-{start.day:02d}"
    return [f"{wanted} findes ikke: månedens sidste dag, {due.isoformat()}, bruges"]


def _not_moved(due: date) -> str:
    """The one line saying a month-counted deadline stays on its calendar date."""
    reason = non_working_reason(due)
    if reason is None:
        return f"En frist i kalendermåneder {NOT_MOVED}"
    return f"{due.isoformat()} er {reason}; en frist i kalendermåneder {NOT_MOVED}"
