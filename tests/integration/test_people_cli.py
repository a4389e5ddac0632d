"""`tracker users|teams|tokens` and `tracker demo` against a real database."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from factories import make_user, new_client, sign_in
from sqlalchemy import func, select

from tracker.audit import AuditAction
from tracker.cli.demo import DEMO_PASSWORD, DEMO_PEOPLE
from tracker.extensions import db
from tracker.models import ApiToken, AuditEvent, Notification, Role, Team, User
from tracker.people import tokens


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args: str, stdin: str | None = None):
        result = runner.invoke(args=list(args), input=stdin)
        db.session.expire_all()
        return result

    return run


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def test_the_first_admin_with_a_password_from_stdin(app, cli):
    result = cli(
        "users", "create", "Ada@Kommune.dk", "--name", "Ada Admin", "--role", "admin",
        stdin="en-lang-adgangskode\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Adgangskode" not in result.output  # nothing to show: it came from stdin
    ada = _user("ada@kommune.dk")
    assert (ada.name, ada.role, ada.team_id) == ("Ada Admin", Role.ADMIN, None)
    assert sign_in(new_client(app), "ada@kommune.dk", "en-lang-adgangskode").status_code == 302


def test_a_generated_password_is_printed_once(app, cli):
    assert cli("teams", "create", "Team Nord").exit_code == 0
    result = cli(
        "users", "create", "anna@nord.dk", "--name", "Anna", "--role", "caseworker",
        "--team", "team nord", stdin="",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    password = re.search(r"gang\): (\S+)", result.output).group(1)
    anna = _user("anna@nord.dk")
    assert anna.team.name == "Team Nord"
    assert password not in anna.password_hash
    assert sign_in(new_client(app), "anna@nord.dk", password).status_code == 302


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "caseworker"], "hører til et team"),
        (["--role", "leader", "--team", "Team Ukendt"], "Team Ukendt"),
        (["--role", "superuser"], "superuser"),
    ],
)
def test_bad_user_input_fails_with_a_message_and_leaves_nothing(app, cli, args, message):
    result = cli("users", "create", "x@nord.dk", "--name", "X", *args, stdin="")
    assert result.exit_code != 0
    assert message in result.output
    assert _user("x@nord.dk") is None


def test_a_short_password_from_stdin_is_refused(app, cli):
    result = cli("users", "create", "x@nord.dk", "--name", "X", "--role", "admin", stdin="kort\n")
    assert result.exit_code != 0
    assert "mindst 12 tegn" in result.output
    assert _user("x@nord.dk") is None


def test_duplicates_are_refused(app, cli):
    cli("teams", "create", "Team Nord")
    assert "findes allerede" in cli("teams", "create", "team nord").output
    cli("users", "create", "a@nord.dk", "--name", "A", "--role", "admin", stdin="")
    again = cli("users", "create", "A@nord.dk", "--name", "A", "--role", "admin", stdin="")
    assert again.exit_code != 0 and "findes allerede" in again.output


def test_deactivate_and_set_password(app, cli):
    cli("users", "create", "a@nord.dk", "--name", "A", "--role", "admin", stdin="")
    assert cli("users", "set-password", "a@nord.dk", stdin="ny-adgangskode-2026\n").exit_code == 0
    assert sign_in(new_client(app), "a@nord.dk", "ny-adgangskode-2026").status_code == 302
    assert cli("users", "deactivate", "a@nord.dk").exit_code == 0
    assert _user("a@nord.dk").active is False
    assert cli("users", "deactivate", "nobody@nord.dk").exit_code != 0
    listing = cli("users", "list").output
    assert "a@nord.dk" in listing and "deactivated" in listing


def test_a_token_is_printed_once_and_only_its_hash_is_stored(app, cli):
    cli("users", "create", "svc@nord.dk", "--name", "ESDH", "--role", "admin", stdin="")
    result = cli("tokens", "create", "svc@nord.dk", "--name", "ESDH-integration")
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    row = db.session.scalar(select(ApiToken))
    assert row.name == "ESDH-integration"
    assert row.token_hash == tokens.hash_token(token) and token not in row.token_hash
    response = new_client(app).get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert response.json["email"] == "svc@nord.dk"


def test_cli_changes_are_audited_as_the_system_at_the_clocks_time(app, cli, monkeypatch):
    """Nobody is signed in on the command line: each change is the system's, at the clock's now."""
    make_user(role=Role.ADMIN)  # an administrator exists, and is not taken for the actor
    at = datetime(2026, 4, 1, 8, 15, tzinfo=UTC)
    monkeypatch.setitem(app.config, "CLOCK", lambda: at)
    before = db.session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))
    cli("teams", "create", "Team Nord")
    cli("users", "create", "anna@nord.dk", "--name", "Anna", "--team", "Team Nord", stdin="")
    cli("users", "set-password", "anna@nord.dk", stdin="en-lang-adgangskode\n")
    cli("tokens", "create", "anna@nord.dk")
    cli("users", "deactivate", "anna@nord.dk")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.id > before)).all()
    assert [e.action for e in events] == [
        AuditAction.TEAM_CREATE,
        AuditAction.USER_CREATE,
        AuditAction.USER_SET_PASSWORD,
        AuditAction.API_TOKEN_CREATE,
        AuditAction.USER_DEACTIVATE,
        AuditAction.API_TOKEN_REVOKE,  # deactivation ends the user's credentials
    ]
    assert {(e.user_id, e.remote_addr, e.at) for e in events} == {(None, None, at)}
    anna = _user("anna@nord.dk")
    assert (anna.created_at, anna.api_tokens[0].created_at) == (at, at)


def test_the_demo_is_made_by_the_system_and_its_cases_worked_by_their_caseworkers(app, cli):
    assert cli("demo").exit_code == 0
    events = db.session.scalars(select(AuditEvent)).all()
    people = [e for e in events if e.object_type in ("team", "user")]
    assert {e.action for e in people} == {AuditAction.TEAM_CREATE, AuditAction.USER_CREATE}
    assert {e.user_id for e in people} == {None}
    registered_by = dict(
        db.session.execute(select(Notification.id, Notification.registered_by_id)).all()
    )
    created = [e for e in events if e.action == AuditAction.NOTIFICATION_CREATE]
    assert len(created) == len(registered_by)
    assert all(e.user_id == registered_by[e.case_id] for e in created)


def test_demo_creates_the_people_once_and_they_can_sign_in(app, cli):
    assert cli("demo").exit_code == 0
    assert cli("demo").exit_code == 0  # idempotent
    assert db.session.scalar(select(func.count()).select_from(User)) == len(DEMO_PEOPLE)
    assert sorted(db.session.scalars(select(Team.name))) == ["Team Nord", "Team Syd"]
    anna = new_client(app)
    assert sign_in(anna, "anna@nord.demo", DEMO_PASSWORD).status_code == 302
    front = anna.get("/").get_data(as_text=True)
    assert "Team Nord" in front and "Bo Bertelsen" in front
    assert "Team Syd" not in front and "Carl Christensen" not in front


def test_demo_if_empty_leaves_a_real_installation_alone(app, cli):
    cli("users", "create", "ada@kommune.dk", "--name", "Ada", "--role", "admin", stdin="")
    result = cli("demo", "--if-empty")
    assert result.exit_code == 0
    assert _user("anna@nord.demo") is None
