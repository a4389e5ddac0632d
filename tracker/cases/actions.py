"""Use cases for underretninger: register, complete, decide, reassign, close.

Each function loads rows, asks the domain, and adds to the session; the edge
(view, API endpoint, command) commits once, so an action is all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from tracker import audit
from tracker.audit import AuditAction
from tracker.cases.errors import FUTURE_TOLERANCE, CaseError, require_open
from tracker.cases.recompute import bring_follow_ups_forward
from tracker.cases.rules_inputs import (
    notifier_identifiable,
    parallel_investigation_finished_on,
    rulebook,
)
from tracker.cases.timeline import add_entry, check_occurred_at
from tracker.domain.local_time import COPENHAGEN
from tracker.domain.rules import (
    ComputedDeadline,
    DeadlineKind,
    DecisionKind,
    RuleBook,
    compute_follow_up_deadline,
    compute_investigation_deadline,
    compute_notification_deadlines,
    compute_plan_deadline,
    compute_youth_plan_deadline,
    youth_plan_applies,
)
from tracker.extensions import db
from tracker.models import (
    AssessmentOutcome,
    CaseStatus,
    ChecklistTick,
    Deadline,
    Decision,
    Notification,
    NotifierKind,
    ReferenceCounter,
    Role,
    TimelineKind,
    User,
)

CASE_OWNER_ROLES = (Role.CASEWORKER, Role.LEADER)


@dataclass(frozen=True)
class NotificationInput:
    """What a caseworker enters when registering an underretning (validated for shape)."""

    received_at: datetime
    channel: str
    notifier_kind: str
    notifier_contact: str | None
    child_reference: str
    cpr_number: str | None
    child_birth_date: date | None
    age_group: str | None
    concern_category: str
    summary: str
    team_id: int
    caseworker_id: int | None
    notifier_note: str | None = None  # what was noted of the notifier, even an anonymous one


def register_notification(
    data: NotificationInput, *, registered_by: User, now: datetime, rules: RuleBook | None = None
) -> Notification:
    """Add a notification with its computed deadlines to the session.

    `rules` defaults to the app's rules file (tracker.cases.rules_inputs.rulebook).
    """
    if data.received_at > now + FUTURE_TOLERANCE:
        raise CaseError(
            _l("The time of receipt lies in the future. Enter when it actually arrived."),
            "received_at",
        )
    _check_caseworker(data.team_id, data.caseworker_id)
    notifier = NotifierKind(data.notifier_kind)
    notification = Notification(
        reference=next_reference(data.received_at.astimezone(COPENHAGEN).year),
        received_at=data.received_at,
        registered_at=now,
        registered_by_id=registered_by.id,
        channel=data.channel,
        notifier_kind=notifier,
        notifier_contact=None if notifier is NotifierKind.ANONYMOUS else data.notifier_contact,
        notifier_note=data.notifier_note,
        child_reference=data.child_reference,
        cpr_number=data.cpr_number,
        child_birth_date=data.child_birth_date,
        age_group=data.age_group,
        concern_category=data.concern_category,
        summary=data.summary,
        team_id=data.team_id,
        caseworker_id=data.caseworker_id,
        status=CaseStatus.OPEN,
    )
    computed = compute_notification_deadlines(
        data.received_at,
        notifier_kind=notifier,
        notifier_identifiable=notifier_identifiable(notifier),
        rules=rules or rulebook(),
    )
    notification.deadlines = [_deadline_row(c, notification, now) for c in computed]
    db.session.add(notification)
    db.session.flush()
    add_entry(
        notification,
        TimelineKind.REGISTERED,
        by=registered_by,
        now=now,
        occurred_at=max(now, data.received_at),
    )
    _audit(AuditAction.NOTIFICATION_CREATE, notification, registered_by, now)
    return notification


def assignable_caseworkers(team_id: int) -> list[User]:
    """Return the active caseworkers and leaders of a team, who may own its cases, by name."""
    query = (
        select(User)
        .where(User.team_id == team_id, User.active.is_(True), User.role.in_(CASE_OWNER_ROLES))
        .order_by(User.name, User.id)
    )
    return list(db.session.scalars(query))


def _check_caseworker(team_id: int, caseworker_id: int | None) -> None:
    if caseworker_id is None:
        return
    user = db.session.get(User, caseworker_id)
    if (
        user is None
        or user.team_id != team_id
        or not user.active
        or user.role not in CASE_OWNER_ROLES
    ):
        raise CaseError(_l("Choose an active caseworker in the case's team."), "caseworker_id")


def next_reference(year: int) -> str:
    """Hand out the next case reference of the year, safely under concurrent registrations."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(ReferenceCounter)
        .values(year=year, last_number=1)
        .on_conflict_do_update(
            index_elements=[ReferenceCounter.year],
            set_={"last_number": ReferenceCounter.last_number + 1},
        )
        .returning(ReferenceCounter.last_number)
    )
    number = db.session.execute(statement).scalar_one()
    return f"U-{year}-{number:06d}"


def _deadline_row(computed: ComputedDeadline, notification: Notification, now: datetime):
    return Deadline(
        kind=computed.kind,
        legal_paragraph=computed.legal_basis.paragraph,
        legal_text=computed.legal_basis.text,
        starts_at=computed.starts_at,
        due_date=computed.due_date,
        overdue_from=computed.overdue_from,
        precondition=computed.precondition,
        trace=list(computed.trace),
        team_id=notification.team_id,
        caseworker_id=notification.caseworker_id,
        # The sweep decides what to send and when next; `now` makes it look once.
        next_alert_at=now if computed.overdue_from else None,
    )


def complete_deadline(
    deadline: Deadline,
    *,
    by: User,
    completed_at: datetime,
    now: datetime,
    note: str | None,
    rules: RuleBook | None = None,
) -> None:
    """Mark a deadline met at `completed_at`, which may be backdated but not before receipt.

    Finishing the investigation brings the first follow-up of an acute indsats running
    alongside it forward to the day it was finished, when that is earlier.
    """
    if not deadline.is_open:
        raise CaseError(_l("This deadline is already closed."))
    if completed_at > now + FUTURE_TOLERANCE:
        raise CaseError(_l("The completion time cannot lie in the future."), "completed_at")
    if completed_at < deadline.notification.received_at:
        raise CaseError(
            _l("The completion time cannot be before the notification was received."),
            "completed_at",
        )
    author_id = by.id  # read first: loading it may flush, and completion needs its author
    deadline.completed_at = min(completed_at, now)
    deadline.completed_by_id = author_id
    deadline.outcome_note = note or None
    deadline.next_alert_at = None
    add_entry(
        deadline.notification,
        TimelineKind.DEADLINE_MET,
        by=by,
        now=now,
        occurred_at=deadline.completed_at,
        note=deadline.outcome_note,
        deadline=deadline,
        details={"kind": deadline.kind},
    )
    _audit(
        AuditAction.DEADLINE_COMPLETE,
        deadline.notification,
        by,
        now,
        deadline_id=deadline.id,
        kind=deadline.kind,
    )
    if deadline.kind == DeadlineKind.INVESTIGATION:
        bring_follow_ups_forward(deadline.notification, by=by, now=now, rules=rules or rulebook())


def mark_not_applicable(deadline: Deadline, *, by: User, reason: str, now: datetime) -> None:
    """Close a deadline that does not apply to this case, with the reason."""
    if not deadline.is_open:
        raise CaseError(_l("This deadline is already closed."))
    if not reason.strip():
        raise CaseError(_l("Give the reason the deadline does not apply."), "reason")
    deadline.not_applicable_reason = reason.strip()
    deadline.next_alert_at = None
    add_entry(
        deadline.notification,
        TimelineKind.DEADLINE_NOT_APPLICABLE,
        by=by,
        now=now,
        note=deadline.not_applicable_reason,
        deadline=deadline,
        details={"kind": deadline.kind},
    )
    _audit(
        AuditAction.DEADLINE_MARK_NOT_APPLICABLE,
        deadline.notification,
        by,
        now,
        deadline_id=deadline.id,
        kind=deadline.kind,
    )


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


def reassign(
    notification: Notification,
    *,
    caseworker: User,
    by: User,
    now: datetime,
    note: str | None = None,
) -> None:
    """Give the case to another caseworker in the same team, with a note for the timeline.

    Open deadlines alert the new caseworker next; the caller may tell them by e-mail
    (tracker.cases.case_life.tell_new_caseworker).
    """
    require_open(notification)
    if (
        caseworker.team_id != notification.team_id
        or not caseworker.active
        or caseworker.role not in CASE_OWNER_ROLES
    ):
        raise CaseError(_l("Choose an active caseworker in the case's team."), "caseworker_id")
    previous_id = notification.caseworker_id
    notification.caseworker_id = caseworker.id
    add_entry(
        notification,
        TimelineKind.REASSIGNED,
        by=by,
        now=now,
        note=note,
        details={"from_id": previous_id, "to_id": caseworker.id},
    )
    for deadline in notification.deadlines:
        fell_due = deadline.overdue_from is not None and deadline.overdue_from <= now
        if fell_due and deadline.due_caseworker_id is None:
            # Late stays on whoever held the case when the deadline fell due.
            deadline.due_caseworker_id = deadline.caseworker_id
        deadline.caseworker_id = caseworker.id
        if deadline.is_open and deadline.overdue_from is not None:
            deadline.next_alert_at = now
    _audit(AuditAction.NOTIFICATION_REASSIGN, notification, by, now, caseworker_id=caseworker.id)


def close_case(
    notification: Notification, *, by: User, now: datetime, reason: str | None = None
) -> None:
    """Close a case whose deadlines are all met or marked not applicable, with the reason."""
    require_open(notification)
    if any(d.is_open for d in notification.deadlines):
        raise CaseError(
            _l("Complete the open deadlines, or mark them not applicable, before closing the case.")
        )
    notification.status = CaseStatus.CLOSED
    notification.closed_at = now
    notification.closed_by_id = by.id
    add_entry(notification, TimelineKind.CLOSED, by=by, now=now, note=reason)
    _audit(AuditAction.NOTIFICATION_CLOSE, notification, by, now)


def tick_checklist_item(
    notification: Notification, *, item_key: str, known_keys: set[str], by: User, now: datetime
):
    """Tick an action-card item on the case (once; later ticks keep the first)."""
    require_open(notification)
    if item_key not in known_keys:
        raise CaseError(_l("Unknown checklist item."), "item_key")
    if any(t.item_key == item_key for t in notification.checklist_ticks):
        return
    notification.checklist_ticks.append(
        ChecklistTick(item_key=item_key, ticked_at=now, ticked_by_id=by.id)
    )
    # On the timeline too, so that a tick made by mistake can be undone with a reason.
    add_entry(
        notification,
        TimelineKind.STEP_DONE,
        by=by,
        now=now,
        step_key=item_key,
        details={"checklist": True},
    )
    _audit(AuditAction.CHECKLIST_TICK, notification, by, now, item=item_key)


def _audit(
    action: AuditAction, notification: Notification, by: User, now: datetime, **detail
) -> None:
    audit.record(
        action,
        actor=by,
        at=now,
        object_type=audit.CASE_OBJECT_TYPE,
        object_id=notification.id,
        team_id=notification.team_id,
        detail=detail or None,
    )
