"""Fixtures shared by the whole suite.

Tests that take `app` run once on SQLite and once on PostgreSQL. The PostgreSQL
run gets a fresh database of its own, created here and dropped afterwards; when
no server answers, those tests skip with the reason, unless
TRACKER_REQUIRE_POSTGRES=1 (CI), which turns the skip into a failure.

`clock` stops the app's clock at the test module's NOW for one test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from config import TestConfig

POSTGRES_ADMIN_URL = os.environ.get(
    "TRACKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("TRACKER_REQUIRE_POSTGRES") == "1"
BACKENDS = ["sqlite", "postgresql"]


def make_config(database_url: str, **overrides) -> type:
    """Return a TestConfig subclass bound to one database, with overrides."""
    return type(
        "BoundTestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url, **overrides}
    )


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    """Create a fresh PostgreSQL database for this run and drop it afterwards."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    admin_url = make_url(POSTGRES_ADMIN_URL)
    name = f"tracker_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        reason = f"PostgreSQL not reachable at {admin_url.render_as_string()}: {exc.orig}"
        if REQUIRE_POSTGRES:
            pytest.fail(f"TRACKER_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    yield admin_url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return the URL of a SQLite file for this run."""
    path: Path = tmp_path_factory.mktemp("sqlite") / "tracker-test.db"
    return f"sqlite:///{path}"


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """Yield each backend's database URL in turn."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture(scope="session")
def migrated_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Build the app on one backend and apply every migration from empty."""
    from flask_migrate import upgrade

    from tracker import create_app

    instance = tmp_path_factory.mktemp("instance")
    app = create_app(make_config(database_url, INSTANCE_PATH=str(instance)))
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        from tracker.extensions import db

        db.engine.dispose()


@pytest.fixture
def app(migrated_app: Flask) -> Iterator[Flask]:
    """Yield the migrated app inside an app context; empty every table afterwards."""
    with migrated_app.app_context():
        yield migrated_app
        _empty_tables()


def _empty_tables() -> None:
    from tracker.extensions import db

    db.session.rollback()
    db.session.remove()
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    if not tables:
        return
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # The audit log refuses TRUNCATE by trigger; as a replica (the tests' superuser
            # may say so, for this transaction only) no ordinary trigger fires.
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            # The append-only triggers refuse DELETE: lift them for the clean-up and put
            # the very same ones back.
            triggers = conn.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            ).all()
            for name, _sql in triggers:
                conn.execute(text(f'DROP TRIGGER "{name}"'))
            for table in tables:
                conn.execute(table.delete())
            for _name, sql in triggers:
                conn.execute(text(sql))


class FrozenClock:
    """A stopped clock for app.config["CLOCK"]: it says `now` until moved with `set`."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now


@pytest.fixture
def clock(app: Flask, request: pytest.FixtureRequest, monkeypatch) -> FrozenClock:
    """Stop the app's clock at the test module's NOW for the test; clock.set(t) moves it."""
    frozen = FrozenClock(request.module.NOW)
    monkeypatch.setitem(app.config, "CLOCK", frozen)
    return frozen


@pytest.fixture
def client(app: Flask):
    """Return a test client for the app (each request in a fresh app context)."""
    from factories import new_client

    return new_client(app)


@pytest.fixture
def login_as(app: Flask, client):
    """Return a function that creates a user (make_user's arguments) and signs `client` in."""
    from factories import login, make_user

    def sign_in_new_user(**user_fields):
        user = make_user(**user_fields)
        login(client, user)
        return user

    return sign_in_new_user
