"""Who hears of an unregistered intake item: the intake team's leaders and the person on call."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Role, User


def team_leaders(team_id: int) -> list[tuple[int, str]]:
    """Return (user id, e-mail) of the team's active leaders."""
    rows = db.session.execute(
        select(User.id, User.email)
        .where(User.team_id == team_id, User.role == Role.LEADER, User.active.is_(True))
        .order_by(User.id)
    )
    return [(user_id, email) for user_id, email in rows]


def on_call_recipients(team_id: int, at: datetime) -> list[tuple[int, str]]:
    """Return (user id, e-mail) of the person on call for the intake at `at`.

    TODO(merge, issue 15): return tracker.people.oncall.on_call_recipients(at) here (as
    (id, e-mail) pairs of active users). Until then nobody is on call and the intake's
    alerts go to the team's leaders only. This is the one place to wire it.
    """
    return []


def intake_recipients(team_id: int, at: datetime) -> list[tuple[int, str]]:
    """Return everyone an intake alert goes to, each once: the leaders and the on-call."""
    people = dict(team_leaders(team_id))
    people.update(on_call_recipients(team_id, at))
    return list(people.items())
