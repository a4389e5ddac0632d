""" "Jeg har den": someone takes a deadline's alert, and the escalation after it stops.

Each alert e-mail (but the SMS) links to /alerts/ack/<opaque id>; signed in, the person
confirms, and the acknowledgement is recorded (who, when, which stage), audited, and put
on the case's timeline. One per (deadline, stage): the first who takes it has it.
Taking an overdue alert (or an escalation) stops the escalation stages not yet sent:
the sweep writes them no more and dispatch withdraws those waiting.

Like every use case this never commits; the edge does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select

from tracker import audit
from tracker.audit import AuditAction
from tracker.cases import timeline
from tracker.domain.policy import Stage
from tracker.extensions import db
from tracker.models import Alert, AlertAcknowledgement, TimelineKind, User

WARNING_PREFIX = "warn_"


def find_alert(token: str) -> Alert | None:
    """Return the alert an acknowledgement link names, or None (unknown, or no such link)."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Alert).where(Alert.ack_token == token))


def acknowledgement_of(alert: Alert) -> AlertAcknowledgement | None:
    """Return who took this alert's stage of its deadline already, if anyone did."""
    return db.session.scalar(
        select(AlertAcknowledgement).where(
            AlertAcknowledgement.deadline_id == alert.deadline_id,
            AlertAcknowledgement.stage == alert.stage,
        )
    )


def acknowledge(alert: Alert, *, by: User, now: datetime) -> tuple[AlertAcknowledgement, bool]:
    """Record that `by` took the alert at `now`; (the acknowledgement, whether it is new).

    Someone who took this deadline's stage before keeps it: theirs is returned.
    """
    if alert.deadline_id is None:
        raise ValueError("only a deadline's alert can be taken")
    existing = acknowledgement_of(alert)
    if existing is not None:
        return existing, False
    taken = AlertAcknowledgement(
        alert_id=alert.id,
        deadline_id=alert.deadline_id,
        stage=alert.stage,
        user_id=by.id,
        acknowledged_at=now,
    )
    db.session.add(taken)
    db.session.flush()
    deadline = alert.deadline
    audit.record(
        AuditAction.ALERT_ACKNOWLEDGE, actor=by, at=now, object_type="alert",
        object_id=alert.id, case_id=alert.notification_id, team_id=deadline.team_id,
        detail={"deadline_id": alert.deadline_id, "stage": alert.stage},
    )  # fmt: skip
    _on_the_timeline(alert, by, now)
    return taken, True


def _on_the_timeline(alert: Alert, by: User, now: datetime) -> None:
    """Put the acknowledgement on the case's timeline: who took which deadline's alert."""
    timeline.add_entry(
        alert.deadline.notification,
        TimelineKind.ALERT_ACKNOWLEDGED,
        by=by,
        now=now,
        deadline=alert.deadline,
        details={"kind": alert.deadline.kind, "stage": alert.stage},
    )


def stops_escalation(stage: str) -> bool:
    """Say whether taking an alert of this stage stops the escalation after it."""
    return not stage.startswith(WARNING_PREFIX) or stage == Stage.OVERDUE.value


def escalation_stopped_since(deadline_ids: Iterable[int]) -> dict[int, datetime]:
    """Return, per deadline, when its overdue alert (or an escalation) was first taken."""
    ids = list(deadline_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(AlertAcknowledgement.deadline_id, func.min(AlertAcknowledgement.acknowledged_at))
        .where(
            AlertAcknowledgement.deadline_id.in_(ids),
            AlertAcknowledgement.stage.not_like(f"{WARNING_PREFIX}%"),
        )
        .group_by(AlertAcknowledgement.deadline_id)
    ).all()
    return dict(rows)


def takers(deadline_ids: Iterable[int]) -> dict[int, tuple[str, datetime]]:
    """Return, per deadline, who took its latest-taken alert and when (for the dashboard)."""
    ids = list(deadline_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(AlertAcknowledgement.deadline_id, User.name, AlertAcknowledgement.acknowledged_at)
        .join(User, User.id == AlertAcknowledgement.user_id)
        .where(AlertAcknowledgement.deadline_id.in_(ids))
        .order_by(AlertAcknowledgement.acknowledged_at, AlertAcknowledgement.id)
    ).all()
    return {deadline_id: (name, at) for deadline_id, name, at in rows}
