"""`tracker users`, `tracker teams` and `tracker tokens`: people from the command line.

For the first administrator and for scripts. Each command is one transaction and
is written to the audit log as done by the system (no user): whoever runs a command
on the server is not known to the tracker, and a name given on the command line would
be a claim nobody checked. The server's own logs tell who had a shell.
"""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from tracker import clock
from tracker.extensions import db
from tracker.models import Role
from tracker.people import accounts, tokens
from tracker.people.accounts import PeopleError, UserDetails
from tracker.people.passwords import generate_password

users_cli = AppGroup("users", help="Create and deactivate users.")
teams_cli = AppGroup("teams", help="Create teams.")
tokens_cli = AppGroup("tokens", help="Create API tokens.")

ROLE_CHOICE = click.Choice([role.value for role in Role])
SYSTEM = None  # the acting user of every command: the system (see above)


def _commit_or_fail(action) -> object:
    try:
        result = action()
    except PeopleError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    return result


def _user_or_fail(email: str):
    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(_("No user has the e-mail address %(email)s.", email=email))
    return user


def _password_from_stdin() -> str | None:
    # A script pipes the password in; at a terminal (or with nothing piped) one is generated.
    if sys.stdin is None or sys.stdin.isatty():
        return None
    return sys.stdin.readline().rstrip("\r\n") or None


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", type=ROLE_CHOICE, default=Role.CASEWORKER.value, show_default=True)
@click.option("--team", "team_name", help="The team's name (required unless --role admin).")
@click.option("--no-password", is_flag=True, help="Sign-in only through the identity provider.")
def create_user_command(email, name, role, team_name, no_password) -> None:
    """Create a user; the password is read from stdin, or generated and printed once."""
    team = None
    if team_name:
        team = accounts.find_team(team_name)
        if team is None:
            raise click.ClickException(
                _("No team is named %(name)s. Create it first.", name=team_name)
            )
    password = None if no_password else _password_from_stdin()
    generated = not no_password and password is None
    if generated:
        password = generate_password()
    details = UserDetails(name=name, role=Role(role), team=team)
    user = _commit_or_fail(
        lambda: accounts.create_user(email, details, password, by=SYSTEM, now=clock.now())
    )
    click.echo(_("Created user %(id)d (%(email)s).", id=user.id, email=user.email))
    if generated:
        click.echo(_("Password (shown only this once): %(password)s", password=password))


@users_cli.command("deactivate")
@click.argument("email")
def deactivate_user_command(email) -> None:
    """Stop a user from signing in (sessions and API tokens stop working at once)."""
    user = _user_or_fail(email)
    _commit_or_fail(lambda: accounts.deactivate_user(user, by=SYSTEM, now=clock.now()))
    click.echo(_("Deactivated user %(id)d.", id=user.id))


@users_cli.command("set-password")
@click.argument("email")
def set_password_command(email) -> None:
    """Give a user a new password: read from stdin, or generated and printed once."""
    user = _user_or_fail(email)
    password = _password_from_stdin()
    generated = password is None
    password = password or generate_password()
    _commit_or_fail(lambda: accounts.set_password(user, password, by=SYSTEM, now=clock.now()))
    click.echo(_("New password set for user %(id)d.", id=user.id))
    if generated:
        click.echo(_("Password (shown only this once): %(password)s", password=password))


@users_cli.command("list")
def list_users_command() -> None:
    """List the users: id, e-mail, role, team, active."""
    from sqlalchemy import select

    from tracker.models import User

    for user in db.session.scalars(select(User).order_by(User.id)):
        team = user.team.name if user.team else "-"
        state = "active" if user.active else "deactivated"
        click.echo(f"{user.id}\t{user.email}\t{user.role.value}\t{team}\t{state}")


@teams_cli.command("create")
@click.argument("name")
def create_team_command(name) -> None:
    """Create a team."""
    team = _commit_or_fail(lambda: accounts.create_team(name, by=SYSTEM, now=clock.now()))
    click.echo(_("Created team %(id)d (%(name)s).", id=team.id, name=team.name))


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", "label", default="API", show_default=True, help="What the token is for.")
@click.option(
    "--scope",
    type=click.Choice([tokens.INTAKE_SCOPE]),
    default=None,
    help="intake: the token may only deliver intake items (POST /api/v1/intake).",
)
def create_token_command(email, label, scope) -> None:
    """Create an API token for a user and print it once; only its hash is stored."""
    user = _user_or_fail(email)
    row, token = _commit_or_fail(
        lambda: tokens.create_token(user, label, by=SYSTEM, now=clock.now(), scope=scope)
    )
    click.echo(
        _("Created token %(id)d for user %(user)d, shown only this once:", id=row.id, user=user.id),
        err=True,
    )
    click.echo(token)


def init_app(app) -> None:
    """Register the command groups."""
    for group in (users_cli, teams_cli, tokens_cli):
        app.cli.add_command(group)
