"""Use cases for the decisions on a child's case: the 24-hour assessment's outcome, an
afgørelse (§§ 32, 46, 47) and the start of the børnefaglig undersøgelse (§ 20).

None of them applies to a person 18 or over at receipt (adults' rules: no barnets lov).
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from tracker.audit import AuditAction
from tracker.cases.actions import _audit, _deadline_row, complete_deadline
from tracker.cases.errors import CaseError, require_open
from tracker.cases.rules_inputs import parallel_investigation_finished_on, rulebook
from tracker.cases.timeline import add_entry, check_occurred_at
from tracker.domain.age import is_adult
from tracker.domain.local_time import COPENHAGEN
from tracker.domain.rules import (
    DeadlineKind,
    DecisionKind,
    RuleBook,
    compute_follow_up_deadline,
    compute_investigation_deadline,
    compute_plan_deadline,
    compute_youth_plan_deadline,
    youth_plan_applies,
)
from tracker.extensions import db
from tracker.models import AssessmentOutcome, Decision, Notification, TimelineKind, User


def record_assessment_outcome(
    notification: Notification,
    *,
    outcome: str,
    by: User,
    now: datetime,
    occurred_at: datetime | None = None,
) -> None:
    """Record the 24-hour assessment's result, made at `occurred_at` (default now).

    The assessment deadline, if still open, is met at that time, not at the click's. A
    second outcome does not silently replace the first: both stay on the timeline, the
    later one naming the earlier.
    """
    require_open(notification)
    occurred = now if occurred_at is None else occurred_at
    check_occurred_at(notification, occurred, now)
    occurred = min(occurred, now)
    previous = notification.assessment_outcome
    notification.assessment_outcome = AssessmentOutcome(outcome)
    notification.assessment_outcome_at = occurred
    notification.assessment_outcome_by_id = by.id
    for deadline in notification.deadlines:
        if deadline.kind == DeadlineKind.ASSESSMENT and deadline.is_open:
            complete_deadline(deadline, by=by, completed_at=occurred, now=now, note=None)
    details = {"outcome": outcome, **({"previous": previous} if previous else {})}
    add_entry(
        notification, TimelineKind.OUTCOME, by=by, now=now, occurred_at=occurred, details=details
    )
    _audit(AuditAction.NOTIFICATION_RECORD_OUTCOME, notification, by, now, outcome=outcome)


def add_decision(
    notification: Notification,
    *,
    kind: str,
    decided_on: date,
    started_on: date | None,
    by: User,
    now: datetime,
    rules: RuleBook | None = None,
) -> Decision:
    """Record an afgørelse and the deadlines it starts.

    The plan always (a precondition for § 47); with the start of the indsats, the first
    follow-up; with the child's birth date, the ungeplan at 16 when the child turns 16
    after the decision (once a case).
    """
    require_open(notification)
    require_child(notification)
    received_on = notification.received_at.astimezone(COPENHAGEN).date()
    if decided_on < received_on:
        raise CaseError(
            _l("The decision cannot be dated before the notification was received."), "decided_on"
        )
    if decided_on > now.astimezone(COPENHAGEN).date():
        raise CaseError(_l("The decision date cannot lie in the future."), "decided_on")
    if started_on is not None and started_on < decided_on:
        raise CaseError(_l("The measure cannot start before the decision."), "started_on")
    decision = Decision(
        kind=DecisionKind(kind),
        decided_on=decided_on,
        started_on=started_on,
        created_at=now,
        created_by_id=by.id,
    )
    notification.decisions.append(decision)
    rules = rules or rulebook()
    computed = [compute_plan_deadline(DecisionKind(kind), decided_on, rules)]
    if started_on is not None:
        computed.append(
            compute_follow_up_deadline(
                DecisionKind(kind),
                started_on,
                rules,
                investigation_finished_on=parallel_investigation_finished_on(
                    notification, decision
                ),
            )
        )
    birth_date = notification.child_birth_date
    if (
        birth_date is not None
        and youth_plan_applies(birth_date, decided_on)
        and not any(d.kind == DeadlineKind.YOUTH_PLAN for d in notification.deadlines)
    ):
        computed.append(compute_youth_plan_deadline(birth_date, rules))
    for one in computed:
        deadline = _deadline_row(one, notification, now)
        deadline.decision = decision
        notification.deadlines.append(deadline)
    db.session.flush()
    add_entry(
        notification,
        TimelineKind.DECISION,
        by=by,
        now=now,
        details={
            "decision_id": decision.id,
            "kind": str(decision.kind),
            "decided_on": decided_on.isoformat(),
            **({"started_on": started_on.isoformat()} if started_on else {}),
        },
    )
    _audit(AuditAction.DECISION_CREATE, notification, by, now, decision_id=decision.id, kind=kind)
    return decision


def start_investigation(
    notification: Notification,
    *,
    aware_on: date,
    by: User,
    now: datetime,
    rules: RuleBook | None = None,
):
    """Start the børnefaglig undersøgelse's 4-month deadline from the date of awareness."""
    require_open(notification)
    require_child(notification)
    if any(d.kind == DeadlineKind.INVESTIGATION for d in notification.deadlines):
        raise CaseError(_l("An investigation has already been started on this case."))
    if aware_on > now.astimezone(COPENHAGEN).date():
        raise CaseError(_l("The date cannot lie in the future."), "aware_on")
    deadline = _deadline_row(
        compute_investigation_deadline(aware_on, rules or rulebook()), notification, now
    )
    notification.deadlines.append(deadline)
    db.session.flush()
    add_entry(
        notification,
        TimelineKind.INVESTIGATION_STARTED,
        by=by,
        now=now,
        deadline=deadline,
        details={"aware_on": aware_on.isoformat()},
    )
    _audit(AuditAction.INVESTIGATION_START, notification, by, now, deadline_id=deadline.id)
    return deadline


def is_adult_case(notification: Notification) -> bool:
    """Tell whether the person was 18 or over at receipt (adults' rules, no barnets lov)."""
    received_on = notification.received_at.astimezone(COPENHAGEN).date()
    return is_adult(notification.child_birth_date, notification.age_group, received_on)


def require_child(notification: Notification) -> None:
    """Refuse a barnets lov action (§§ 32/46/47 decisions, § 20) on an adult's case."""
    if is_adult_case(notification):
        raise CaseError(
            _l(
                "The person was 18 or over when the notification arrived: barnets lov's"
                " decisions and investigation do not apply."
            )
        )
