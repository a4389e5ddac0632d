"""Who hears of an unregistered intake item: the intake team's leaders and the person on call."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Role, User
from tracker.people import oncall
from tracker.people.oncall import opening_hours


def team_leaders(team_id: int) -> list[tuple[int, str]]:
    """Return (user id, e-mail) of the team's active leaders."""
    rows = db.session.execute(
        select(User.id, User.email)
        .where(User.team_id == team_id, User.role == Role.LEADER, User.active.is_(True))
        .order_by(User.id)
    )
    return [(user_id, email) for user_id, email in rows]


def on_call_recipients(team_id: int, at: datetime) -> list[tuple[int | None, str]]:
    """Return (user id or None, e-mail) of whoever is on call at `at`, outside opening hours.

    In opening hours the intake team's leaders are at work; outside them the rota's person
    or functional address (tracker.people.oncall) takes the arrival, as for a registered
    case's 24-hour assessment.
    """
    if opening_hours().is_open(at):
        return []
    return [(person.user_id, person.email) for person in oncall.on_call_recipients(at)]


def intake_recipients(team_id: int, at: datetime) -> list[tuple[int | None, str]]:
    """Return everyone an intake alert goes to, each address once: the leaders and the
    on-call."""
    people = {email: user_id for user_id, email in team_leaders(team_id)}
    for user_id, email in on_call_recipients(team_id, at):
        people.setdefault(email, user_id)
    return [(user_id, email) for email, user_id in people.items()]
