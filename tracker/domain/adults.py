"""The local tasks of a person 18 or over at receipt: no barnets lov deadline applies. Pure.

The over-18 action cards ask for an assessment of whether the person is immediately
threatened and a follow-up. The law gives them no deadline: each target is the
municipality's own, from the rules file ([versions.local.adult_tasks]); a task without
a target is not tracked. Every such deadline says "kommunens egen frist, ikke et lovkrav".
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tracker.domain.kinds import ComputedDeadline, DeadlineKind, LegalBasis
from tracker.domain.local_time import COPENHAGEN, end_of_local_day, local_date
from tracker.domain.notification import to_utc
from tracker.domain.rulebook import LocalTarget, RuleBook
from tracker.domain.working_days import add_working_days, describe_day

LOCAL_POLICY = "kommunens egen frist, ikke et lovkrav"

# The rules file's task names, the deadline kind each becomes, and its unit of target.
ADULT_TASKS = {
    "threat_assessment": DeadlineKind.THREAT_ASSESSMENT,
    "follow_up": DeadlineKind.ADULT_FOLLOW_UP,
}
TASK_UNITS = {"threat_assessment": "hours", "follow_up": "working_days"}
TASK_TEXTS = {
    DeadlineKind.THREAT_ASSESSMENT: (
        "Vurdering af, om borgeren er umiddelbart truet, og om der i så fald skal handles "
        "akut (handlekortet for borgere over 18 år)."
    ),
    DeadlineKind.ADULT_FOLLOW_UP: (
        "Opfølgning: myndighedsrådgiveren har handlepligten og sikrer opfølgning "
        "(handlekortet for borgere over 18 år)."
    ),
}


def compute_adult_tasks(received_at: datetime, rules: RuleBook) -> list[ComputedDeadline]:
    """Return the adult's local tasks that have a target under the version in force."""
    received_utc = to_utc(received_at)
    received_on = local_date(received_utc)
    version = rules.in_force_on(received_on)
    tasks = []
    for name, kind in ADULT_TASKS.items():
        target = version.adult_task_targets.get(name)
        if target is not None:
            tasks.append(_task(kind, target, received_utc, version))
    return tasks


def _task(kind: DeadlineKind, target: LocalTarget, received_utc: datetime, version):
    received_on = local_date(received_utc)
    received_local = received_utc.astimezone(COPENHAGEN)
    trace = [
        f"Modtaget {describe_day(received_on)} kl. {received_local:%H:%M} (dansk tid)",
        "Borgeren er 18 år eller derover ved modtagelsen: barnets lov giver ingen frist",
    ]
    if target.hours is not None:
        overdue_from = received_utc + timedelta(hours=target.hours)
        due_local = overdue_from.astimezone(COPENHAGEN)
        due_on = due_local.date()
        trace.append(f"Kommunens egen frist: {target.hours} timer efter modtagelsen")
        trace.append(f"Fristen udløber {describe_day(due_on)} kl. {due_local:%H:%M} (dansk tid)")
    else:
        due_on = add_working_days(received_on, target.working_days or 0)
        overdue_from = end_of_local_day(due_on)
        trace.append(f"Kommunens egen frist: {target.working_days} hverdage efter modtagelsen")
        trace.append(f"Fristen udløber ved udgangen af {describe_day(due_on)} (dansk tid)")
    trace.append(version.trace_line(received_on))
    return ComputedDeadline(
        kind=kind,
        starts_at=received_utc,
        due_date=due_on,
        overdue_from=overdue_from,
        legal_basis=LegalBasis(
            paragraph="Kommunens egen frist", text=f"{TASK_TEXTS[kind]} Dette er {LOCAL_POLICY}."
        ),
        trace=tuple(trace),
        rules_version=version.id,
    )
