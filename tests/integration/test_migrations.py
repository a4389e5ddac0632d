"""The migrations build the models' schema from empty, on SQLite and PostgreSQL, both ways."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from config import TestConfig
from tracker import create_app
from tracker.extensions import db


@pytest.fixture
def empty_database_url(database_url: str, tmp_path) -> Iterator[str]:
    """Return the URL of a brand-new, empty database on the same backend as database_url."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"tracker_migrations_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def fresh_app(empty_database_url: str, tmp_path):
    """Yield an app bound to the empty database, inside an app context."""
    settings = {"SQLALCHEMY_DATABASE_URI": empty_database_url, "INSTANCE_PATH": str(tmp_path)}
    app = create_app(type("FreshDatabaseConfig", (TestConfig,), settings))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def model_tables() -> set[str]:
    return set(db.metadata.tables)


def database_tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def assert_schema_matches_models() -> None:
    """Fail when autogenerate would find a difference (what `alembic check` reports)."""
    from flask_migrate import check

    # flask_migrate.check() calls alembic.command.check, which raises on any difference;
    # Flask-Migrate catches command errors and exits, so a difference is a SystemExit here.
    try:
        check()
    except SystemExit as exited:  # pragma: no cover - only on failure
        pytest.fail(f"alembic check found differences between models and migrations ({exited})")


@pytest.mark.slow  # on PostgreSQL, creating and dropping a database takes seconds
def test_upgrade_from_empty_builds_every_table_and_check_is_clean(fresh_app):
    assert database_tables() == set()
    upgrade()
    assert database_tables() == model_tables()
    assert_schema_matches_models()


@pytest.mark.slow
def test_downgrade_to_base_and_upgrade_again(fresh_app):
    upgrade()
    downgrade(revision="base")
    assert database_tables() == set()
    upgrade()
    assert database_tables() == model_tables()
    assert_schema_matches_models()
