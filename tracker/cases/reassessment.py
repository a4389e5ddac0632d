"""The genvurdering (barnets lov § 137, stk. 1): who may make it, and when a case needs one.

A new underretning about a child (the same child reference) who has an open case with a
decision on a støttende indsats or an anbringelse gets a genvurdering task. It must be
made by someone not involved in the child's case before: not the new case's caseworker,
and not anyone who worked on the child's earlier cases (owned one, did a step: a step of
the action card on the timeline or a ticked item, the assessment's outcome, a decision;
or completed a deadline). The completion use case asks refusal() and refuses with its
Danish message.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from tracker.extensions import db
from tracker.models import (
    CaseStatus,
    ChecklistTick,
    Deadline,
    Decision,
    Notification,
    TimelineEntry,
    TimelineKind,
    User,
)

# The timeline entries that say someone worked on a case (a step, a deadline, a decision).
WORK_ON_A_CASE = (
    TimelineKind.STEP_DONE,
    TimelineKind.DEADLINE_MET,
    TimelineKind.DEADLINE_NOT_APPLICABLE,
    TimelineKind.INVESTIGATION_STARTED,
    TimelineKind.OUTCOME,
    TimelineKind.DECISION,
)


def earlier_cases_with_open_indsats(child_reference: str) -> list[Notification]:
    """Return the child's open cases with a decision (every decision kind is an indsats).

    Called while registering a new underretning, before it is added: all of the child's
    cases are earlier ones. Across teams: the municipality is one authority.
    """
    query = (
        select(Notification)
        .where(
            Notification.child_reference == child_reference,
            Notification.status == CaseStatus.OPEN,
            Notification.decisions.any(),
        )
        .order_by(Notification.received_at, Notification.id)
    )
    return list(db.session.scalars(query))


def _earlier_cases(notification: Notification) -> list[Notification]:
    query = (
        select(Notification)
        .where(
            Notification.child_reference == notification.child_reference,
            Notification.id != notification.id,
            or_(
                Notification.received_at < notification.received_at,
                Notification.registered_at <= notification.registered_at,
            ),
        )
        .order_by(Notification.received_at, Notification.id)
    )
    return list(db.session.scalars(query))


def earlier_participants(notification: Notification) -> dict[int, str]:
    """Return who worked on the child's earlier cases: user id -> the first case's reference."""
    cases = _earlier_cases(notification)
    if not cases:
        return {}
    reference = {case.id: case.reference for case in cases}
    ids = list(reference)
    found: list[tuple[int, int]] = []
    for case in cases:
        for user_id in (case.caseworker_id, case.assessment_outcome_by_id):
            if user_id is not None:
                found.append((user_id, case.id))
    queries = (
        select(Deadline.completed_by_id, Deadline.notification_id).where(
            Deadline.notification_id.in_(ids), Deadline.completed_by_id.is_not(None)
        ),
        select(ChecklistTick.ticked_by_id, ChecklistTick.notification_id).where(
            ChecklistTick.notification_id.in_(ids)
        ),
        select(Decision.created_by_id, Decision.notification_id).where(
            Decision.notification_id.in_(ids)
        ),
        select(TimelineEntry.actor_id, TimelineEntry.notification_id).where(
            TimelineEntry.notification_id.in_(ids),
            TimelineEntry.actor_id.is_not(None),
            TimelineEntry.kind.in_(WORK_ON_A_CASE),
        ),
    )
    for query in queries:
        found.extend(tuple(row) for row in db.session.execute(query))
    order = {case.id: index for index, case in enumerate(cases)}
    participants: dict[int, str] = {}
    for user_id, case_id in sorted(found, key=lambda pair: order[pair[1]]):
        participants.setdefault(user_id, reference[case_id])
    return participants


def refusal(notification: Notification, user: User) -> str | None:
    """Return why `user` may not make the case's genvurdering (Danish), or None if they may."""
    if user.id == notification.caseworker_id:
        return str(
            _l(
                "You are the case's caseworker. The reassessment (barnets lov § 137, stk. 1) "
                "must be made by a colleague who has not been involved in the child's case "
                "before."
            )
        )
    earlier = earlier_participants(notification).get(user.id)
    if earlier is not None:
        return str(
            _l(
                "You have worked on the child's earlier case %(reference)s. The reassessment "
                "(barnets lov § 137, stk. 1) must be made by a colleague who has not been "
                "involved in the child's case before.",
                reference=earlier,
            )
        )
    return None
