"""Repeated notifications: how many underretninger the municipality has about one child.

The Ombudsman criticised a municipality for eleven underretninger about one child
with no action (FOB 2014-19); the form and the case page say so when it repeats.
The count covers every team (it reveals no content); links only the visible ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Notification


@dataclass(frozen=True)
class Repeats:
    """Other notifications about the same child reference."""

    total: int
    latest_received_at: datetime | None
    visible: list[Notification]


def repeats_of(
    child_reference: str, *, team_ids: Iterable[int], exclude_id: int | None = None
) -> Repeats:
    """Count every other notification about a child reference; list those the user may see."""
    same_child = Notification.child_reference == child_reference
    if exclude_id is not None:
        same_child = same_child & (Notification.id != exclude_id)
    total = db.session.scalar(select(func.count()).select_from(Notification).where(same_child))
    latest = db.session.scalar(
        select(Notification.received_at)
        .where(same_child)
        .order_by(Notification.received_at.desc())
        .limit(1)
    )
    visible = earlier_notifications(child_reference, team_ids=list(team_ids), exclude_id=exclude_id)
    return Repeats(total=total, latest_received_at=latest, visible=visible)


def earlier_notifications(child_reference: str, *, team_ids, exclude_id: int | None = None):
    """Return the visible notifications about the same child, newest first."""
    query = (
        select(Notification)
        .where(Notification.child_reference == child_reference, Notification.team_id.in_(team_ids))
        .order_by(Notification.received_at.desc())
    )
    if exclude_id is not None:
        query = query.where(Notification.id != exclude_id)
    return list(db.session.scalars(query))
