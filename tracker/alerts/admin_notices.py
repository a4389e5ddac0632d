"""Notices to the active administrators through the outbox: one e-mail each, no case data.

Used for what the administrators must hear of at once: a scheduler that was down
(tracker.alerts.heartbeat) and a user making more repeat lookups than allowed
(tracker.cases.repeats). The stage says how the e-mail is composed (tracker.alerts.compose);
`due_at` and `now` are the facts it reads back, and the subject is written here, so it may
name staff but never a child, a CPR number, the notifier or a summary.

Like every use case this never commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tracker.alerts.sweep import insert_new_alerts
from tracker.extensions import db
from tracker.models import AlertStatus, Role, User


def notify_administrators(stage: str, subject: str, *, due_at: datetime, now: datetime) -> int:
    """Put one e-mail per active administrator in the outbox; return how many."""
    admins = db.session.execute(
        select(User.id, User.email)
        .where(User.role == Role.ADMIN, User.active.is_(True))
        .order_by(User.id)
    ).all()
    rows = [
        {
            "stage": stage,
            "recipient_id": user_id,
            "recipient_email": email,
            "subject": subject,
            "due_at": due_at,
            "created_at": now,
            "status": AlertStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
        }
        for user_id, email in admins
    ]
    return insert_new_alerts(rows)
