"""Demo data for trying Fristsporing on one machine: `tracker demo [--if-empty]`.

The demo passwords live here and only here; no production code path reads this
module. create_demo_data() is the entry point: it creates the people first and
later work adds notifications after them. The teams and people are made by the
system (no acting user in the audit log); each demo case is worked by its
fictional caseworker, as the tracker would have recorded it.
"""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, select

from tracker import clock
from tracker.extensions import db
from tracker.models import Role, Team, User
from tracker.people import accounts
from tracker.people.accounts import UserDetails

DEMO_PASSWORD = "demo-password"  # noqa: S105  (demo data only; printed in the README)

DEMO_TEAMS = ["Team Nord", "Team Syd"]

# (e-mail, name, role, team)
DEMO_PEOPLE = [
    ("anna@nord.demo", "Anna Andersen", Role.CASEWORKER, "Team Nord"),
    ("bo@nord.demo", "Bo Bertelsen", Role.CASEWORKER, "Team Nord"),
    ("lene@nord.demo", "Lene Lund", Role.LEADER, "Team Nord"),
    ("carl@syd.demo", "Carl Christensen", Role.CASEWORKER, "Team Syd"),
    ("dorte@syd.demo", "Dorte Dahl", Role.CASEWORKER, "Team Syd"),
    ("mads@syd.demo", "Mads Madsen", Role.LEADER, "Team Syd"),
    ("admin@kommune.demo", "Ada Admin", Role.ADMIN, None),
]


def create_demo_people(now: datetime) -> dict[str, User]:
    """Create the demo teams and people that do not exist yet; return every demo user by e-mail."""
    teams: dict[str, Team] = {}
    for name in DEMO_TEAMS:
        teams[name] = accounts.find_team(name) or accounts.create_team(name, by=None, now=now)
    users: dict[str, User] = {}
    for email, name, role, team_name in DEMO_PEOPLE:
        user = accounts.find_user(email)
        if user is None:
            details = UserDetails(name=name, role=role, team=teams.get(team_name))
            user = accounts.create_user(email, details, DEMO_PASSWORD, by=None, now=now)
        users[email] = user
    return users


def create_demo_data(now: datetime) -> None:
    """Create all demo data (idempotent) as of `now`; the caller commits."""
    from flask import current_app

    from tracker.alerts.sweep import policy_from_config
    from tracker.cli.demo_cases import create_demo_notifications
    from tracker.cli.demo_intake import create_demo_intake
    from tracker.cli.demo_oncall import create_demo_rota, create_friday_evening_case

    users = create_demo_people(now)
    create_demo_notifications(now, users)
    create_demo_intake(now, accounts.find_team(DEMO_TEAMS[0]))
    create_demo_rota(now, users)
    create_friday_evening_case(now, users, policy_from_config(current_app.config))


def has_users() -> bool:
    """Tell whether anyone has been created yet."""
    return bool(db.session.scalar(select(func.count()).select_from(User)))


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when there are users already.")
@with_appcontext
def demo_command(if_empty: bool) -> None:
    """Create demo teams and people (password: demo-password) for trying the tracker."""
    if if_empty and has_users():
        click.echo(_("There are users already; no demo data was added."))
        return
    create_demo_data(clock.now())
    db.session.commit()
    click.echo(
        _(
            "Demo data is ready. Sign in as e.g. %(email)s with the password %(password)s.",
            email=DEMO_PEOPLE[0][0],
            password=DEMO_PASSWORD,
        )
    )


def init_app(app) -> None:
    """Register the command."""
    app.cli.add_command(demo_command)
