"""Repeated notifications: what the municipality already has about one child reference.

The Ombudsman criticised a municipality for eleven underretninger about one child
with no action (FOB 2014-19); the registration form and the case page say so when it
repeats. A user learns what they need and no more: their own team's notifications are
counted, dated and linked; another team's are only named ("in another team: ask that
team's leader"), without dates or counts.

The registration form's lookup (`look_up`) is not a free oracle: only a user who may
register cases asks it (the view checks), every lookup is in the audit log with the
reference, and a user who has made REPEAT_LOOKUPS_ALLOWED lookups within
REPEAT_LOOKUP_WINDOW_MINUTES is refused (LookupRefused). The count is read from the
audit log, so it holds across every web worker and host; the first refusal in a window
e-mails the administrators (naming the person, never a child reference).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from tracker import audit
from tracker.alerts.admin_notices import notify_administrators
from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.models import LOOKUP_LIMIT_STAGE, AuditEvent, Notification, User
from tracker.models.alerts import SUBJECT_LENGTH


@dataclass(frozen=True)
class Repeats:
    """Other notifications about the same child reference, as one user may learn of them."""

    visible: list[Notification]  # the user's teams' notifications, newest first
    elsewhere: bool  # another team has notifications about the reference

    @property
    def total(self) -> int:
        """How many of the user's teams' notifications name the child."""
        return len(self.visible)

    @property
    def latest_received_at(self) -> datetime | None:
        """When the newest of them arrived."""
        return self.visible[0].received_at if self.visible else None

    @property
    def any(self) -> bool:
        """Tell whether there is anything to say."""
        return bool(self.visible) or self.elsewhere


NONE = Repeats(visible=[], elsewhere=False)


@dataclass(frozen=True)
class LookupLimit:
    """How many lookups one user may make within a window."""

    allowed: int
    window: timedelta

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LookupLimit:
        """Read REPEAT_LOOKUPS_ALLOWED and REPEAT_LOOKUP_WINDOW_MINUTES."""
        return cls(
            allowed=int(config["REPEAT_LOOKUPS_ALLOWED"]),
            window=timedelta(minutes=int(config["REPEAT_LOOKUP_WINDOW_MINUTES"])),
        )


class LookupRefused(Exception):
    """The user made as many lookups as allowed within the window; try again later."""


def repeats_of(
    child_reference: str, *, team_ids: Iterable[int], exclude_id: int | None = None
) -> Repeats:
    """Return the visible notifications about a child reference, and whether others exist."""
    team_ids = list(team_ids)
    visible = earlier_notifications(child_reference, team_ids=team_ids, exclude_id=exclude_id)
    others = select(Notification.id).where(
        Notification.child_reference == child_reference, Notification.team_id.not_in(team_ids)
    )
    if exclude_id is not None:
        others = others.where(Notification.id != exclude_id)
    elsewhere = db.session.scalar(others.limit(1)) is not None
    return Repeats(visible=visible, elsewhere=elsewhere)


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


def look_up(
    child_reference: str, *, by: User, team_ids: list[int], now: datetime, limit: LookupLimit
) -> Repeats:
    """The registration form's lookup: audited, and refused beyond the user's allowance."""
    since = now - limit.window
    if _count(AuditAction.CHILD_REFERENCE_LOOKUP, by, since) >= limit.allowed:
        first_refusal = _count(AuditAction.CHILD_REFERENCE_LOOKUP_REFUSED, by, since) == 0
        _audit(AuditAction.CHILD_REFERENCE_LOOKUP_REFUSED, by, now, reference=child_reference)
        if first_refusal:
            subject = lookup_limit_subject(by.name, limit)
            notify_administrators(LOOKUP_LIMIT_STAGE, subject, due_at=now, now=now)
        raise LookupRefused
    repeats = repeats_of(child_reference, team_ids=team_ids)
    _audit(
        AuditAction.CHILD_REFERENCE_LOOKUP,
        by,
        now,
        reference=child_reference,
        found=repeats.total,
        elsewhere=repeats.elsewhere,
    )
    return repeats


def _count(action: AuditAction, user: User, since: datetime) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.user_id == user.id, AuditEvent.at > since, AuditEvent.action == action)
    )


def _audit(action: AuditAction, user: User, now: datetime, **detail) -> None:
    audit.record(
        action,
        actor=user,
        at=now,
        object_type="child_reference",
        team_id=user.team_id,
        detail=detail,
    )


def lookup_limit_subject(name: str, limit: LookupLimit) -> str:
    """Return the administrators' notice's subject: who made too many lookups."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "da")):
        subject = gettext(
            "%(name)s made more than %(allowed)d lookups of child references within "
            "%(minutes)d minutes",
            name=name,
            allowed=limit.allowed,
            minutes=int(limit.window / timedelta(minutes=1)),
        )
    return subject[:SUBJECT_LENGTH]
