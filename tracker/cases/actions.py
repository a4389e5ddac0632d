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
from tracker.cases.reassessment import earlier_cases_with_open_indsats, refusal
from tracker.cases.recompute import bring_follow_ups_forward
from tracker.cases.rules_inputs import (
    notifier_identifiable,
    rulebook,
)
from tracker.cases.timeline import add_entry
from tracker.domain.adults import compute_adult_tasks
from tracker.domain.age import is_adult
from tracker.domain.local_time import COPENHAGEN
from tracker.domain.notification import reassessment_deadline
from tracker.domain.rules import (
    ComputedDeadline,
    DeadlineKind,
    RuleBook,
    compute_notification_deadlines,
)
from tracker.extensions import db
from tracker.models import (
    AgeGroup,
    CaseStatus,
    ConcernCategory,
    Deadline,
    Gender,
    Notification,
    NotificationConcern,
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
    concerns: tuple[str, ...]  # ConcernCategory values, the first one first; at least one
    summary: str
    team_id: int
    caseworker_id: int | None
    child_gender: str = Gender.UNKNOWN.value
    notifier_sector: str | None = None  # a key of tracker.cases.notifier_sectors
    expected_birth_date: date | None = None  # an unborn child (age_group is then "unborn")
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
    if not data.concerns or len(set(data.concerns)) != len(data.concerns):
        raise CaseError(_l("Choose at least one concern, each once."), "concerns")
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
        age_group=AgeGroup.UNBORN if data.expected_birth_date else data.age_group,
        expected_birth_date=data.expected_birth_date,
        child_gender=Gender(data.child_gender),
        notifier_sector=data.notifier_sector,
        concerns=[
            NotificationConcern(position=position, category=ConcernCategory(category))
            for position, category in enumerate(data.concerns)
        ],
        summary=data.summary,
        team_id=data.team_id,
        caseworker_id=data.caseworker_id,
        status=CaseStatus.OPEN,
    )
    rules = rules or rulebook()
    received_on = data.received_at.astimezone(COPENHAGEN).date()
    if is_adult(data.child_birth_date, data.age_group, received_on):
        # 18 or over at receipt: no barnets lov deadline, the over-18 card's local tasks.
        computed = compute_adult_tasks(data.received_at, rules)
    else:
        computed = compute_notification_deadlines(
            data.received_at,
            notifier_kind=notifier,
            notifier_identifiable=notifier_identifiable(notifier),
            rules=rules,
        )
        if earlier_cases_with_open_indsats(data.child_reference):
            computed.append(reassessment_deadline(data.received_at, rules))
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
    _check_may_reassess(deadline, by)
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


def _check_may_reassess(deadline: Deadline, by: User) -> None:
    """Refuse the genvurdering to anyone involved in the child's case before (§ 137, stk. 1)."""
    if deadline.kind == DeadlineKind.REASSESSMENT:
        refused = refusal(deadline.notification, by)
        if refused:
            raise CaseError(refused)


def mark_not_applicable(deadline: Deadline, *, by: User, reason: str, now: datetime) -> None:
    """Close a deadline that does not apply to this case, with the reason."""
    if not deadline.is_open:
        raise CaseError(_l("This deadline is already closed."))
    if not reason.strip():
        raise CaseError(_l("Give the reason the deadline does not apply."), "reason")
    _check_may_reassess(deadline, by)
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
