"""Test factories for people, for every test that needs a team, a user or a signed-in client.

Use them inside a test that takes the `app` fixture (so it runs on SQLite and PostgreSQL):

    from factories import login, make_team, make_user   # tests/ is on sys.path (conftest)

    def test_something(app, client):
        nord = make_team("Team Nord")
        anna = make_user(role=Role.CASEWORKER, team=nord)
        login(client, anna)              # a session cookie, as after a real sign-in
        client.get("/")                  # ... as Anna

make_team() and make_user() commit, so the rows are visible to the app's requests.
make_user(password="...") stores a real Argon2 hash (slow: ~0.1 s); without a password the
user can only be signed in with login(), which writes the session directly. To go through
the real sign-in form, use sign_in(client, email, password). The `login_as` fixture in
conftest.py does make_user + login on the `client` in one step.
api_token(user) returns a bearer token, headers() the matching Authorization header.
new_client(app) gives a second browser (the `client` fixture is one made the same way);
another_app(database_url, tmp_path, SETTING=...) an app with other settings on the same database;
settings(SETTING=...) the test settings as a mapping, for code that takes the app's config.
"""

from __future__ import annotations

import itertools
import time

from flask import Config, Flask
from flask.testing import FlaskClient

from tracker.extensions import db
from tracker.models import Role, Team, User
from tracker.people.passwords import hash_password
from tracker.web.access import SEEN_AT_KEY

_numbers = itertools.count(1)


class FreshContextClient(FlaskClient):
    """A test client whose every request runs in an app context of its own, as in production.

    The `app` fixture keeps an app context open for the test; without this, requests would
    share its `g` (Flask-Login caches the user there) and its database session (a view that
    forgets to commit would look fine). After a request, read its effects with fresh
    queries (or db.session.expire_all()).
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def another_app(database_url: str, instance_path, **settings) -> Flask:
    """Build a second app on a database the `app` fixture migrated, with other settings."""
    from config import TestConfig
    from tracker import create_app

    overrides = {"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": str(instance_path)}
    return create_app(type("OtherTestConfig", (TestConfig,), {**overrides, **settings}))


def settings(**overrides) -> Config:
    """Return the test settings as a mapping, every default from config.py, with overrides."""
    from config import TestConfig

    config = Config(".")
    config.from_object(TestConfig)
    config.update(overrides)
    return config


def new_client(app: Flask) -> FreshContextClient:
    """Return a new test client (its own cookies) whose requests run like production ones."""
    return FreshContextClient(app, app.response_class, use_cookies=True)


def make_team(name: str | None = None) -> Team:
    """Create and commit a team."""
    team = Team(name=name or f"Team {next(_numbers)}")
    db.session.add(team)
    db.session.commit()
    return team


def make_user(
    *,
    role: Role = Role.CASEWORKER,
    team: Team | None = None,
    name: str | None = None,
    email: str | None = None,
    password: str | None = None,
    active: bool = True,
) -> User:
    """Create and commit a user; caseworkers and leaders get a new team unless one is given."""
    number = next(_numbers)
    if team is None and role != Role.ADMIN:
        team = make_team()
    user = User(
        name=name or f"Person {number}",
        email=(email or f"person{number}@test-kommune.dk").lower(),
        role=role,
        team=team,
        active=active,
        password_hash=hash_password(password) if password is not None else None,
    )
    db.session.add(user)
    db.session.commit()
    return user


def login(client: FlaskClient, user: User) -> FlaskClient:
    """Sign the client in as the user by writing the session, as a real sign-in does."""
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session[SEEN_AT_KEY] = int(time.time())
        session.permanent = True
    return client


def sign_in(client: FlaskClient, email: str, password: str, **extra):
    """Post the real sign-in form and return the response (not followed)."""
    return client.post("/login", data={"email": email, "password": password, **extra})


def api_token(user: User, label: str = "test") -> str:
    """Create and commit an API token for the user; return the token itself."""
    from tracker import clock
    from tracker.people import tokens

    _row, token = tokens.create_token(user, label, by=None, now=clock.now())
    db.session.commit()
    return token


def headers(token: str) -> dict[str, str]:
    """Return the Authorization header for a bearer token."""
    return {"Authorization": f"Bearer {token}"}
