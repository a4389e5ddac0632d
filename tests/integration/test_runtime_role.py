"""The audit log is append-only against the app's own database role (PostgreSQL).

A TRUNCATE trigger refuses emptying the log, whoever tries. `tracker db grant-runtime-role`
gives a runtime role that owns nothing exactly the rights the app needs: the test makes
a throw-away role, grants, connects as it, and proves it can neither change the log nor
lift its triggers, while the web app and the scheduler work as it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from alerting import make_people, register
from factories import another_app, login, new_client
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from tracker.extensions import db

# "permission denied" and "must be owner of table" alike.
INSUFFICIENT_PRIVILEGE = "42501"


@pytest.fixture
def postgres_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("roles and TRUNCATE are PostgreSQL's")


@pytest.fixture
def runtime_role(postgres_only, database_url):
    """Create a login role for this test only; drop it and what it was granted afterwards."""
    role = f"tracker_runtime_{uuid.uuid4().hex[:10]}"
    with db.engine.begin() as connection:
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    yield role
    with db.engine.begin() as connection:
        connection.execute(text(f'DROP OWNED BY "{role}"'))
        connection.execute(text(f'DROP ROLE "{role}"'))


def _refused(engine, statement: str) -> str:
    with engine.connect() as connection, pytest.raises(DBAPIError) as refused:
        connection.execute(text(statement))
    return refused.value.orig.sqlstate


def test_truncate_of_the_audit_log_is_refused_even_for_its_owner(postgres_only):
    """Failed before: TRUNCATE emptied the log for the role that owns the tables."""
    people = make_people()
    register(people)
    with db.engine.connect() as connection, pytest.raises(DBAPIError) as refused:
        connection.execute(text("TRUNCATE audit_events"))
    assert "append-only" in str(refused.value.orig)
    with db.engine.connect() as connection, pytest.raises(DBAPIError):
        connection.execute(text("TRUNCATE users CASCADE"))
    assert db.session.scalar(text("SELECT count(*) FROM audit_events")) > 0


def test_the_runtime_role_cannot_change_the_log_and_runs_the_app(
    app, database_url, runtime_role, tmp_path
):
    """Failed before: there was no command, and the app's role could empty the log."""
    people = make_people()
    register(people)
    result = app.test_cli_runner().invoke(args=["db", "grant-runtime-role", runtime_role])
    assert result.exit_code == 0, result.output
    # Idempotent: a second run after an upgrade changes nothing and does not fail.
    again = app.test_cli_runner().invoke(args=["db", "grant-runtime-role", runtime_role])
    assert again.exit_code == 0, again.output

    runtime_url = make_url(database_url).set(username=runtime_role)
    engine = create_engine(runtime_url)
    try:
        for statement in (
            "UPDATE audit_events SET action = 'x'",
            "DELETE FROM audit_events",
            "TRUNCATE audit_events",
            "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_truncate",
            "ALTER TABLE audit_events DISABLE TRIGGER ALL",
            "DROP TRIGGER audit_events_append_only ON audit_events",
            "INSERT INTO audit_retention_permits (before) VALUES (now())",
            "UPDATE alembic_version SET version_num = 'x'",
            "CREATE TABLE mine (id int)",
        ):
            assert _refused(engine, statement) == INSUFFICIENT_PRIVILEGE, statement
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM audit_events")) > 0
    finally:
        engine.dispose()

    runtime_app = another_app(runtime_url.render_as_string(hide_password=False), tmp_path)
    try:
        _use_the_app(runtime_app, people)
    finally:
        with runtime_app.app_context():
            db.engine.dispose()


def _use_the_app(runtime_app, people) -> None:
    from tracker.alerts import jobs
    from tracker.mail.transport import SENT

    client = new_client(runtime_app)
    login(client, people.caseworker)
    registered = client.post(
        "/cases/new",
        data={
            "received_date": "2026-03-10",
            "received_time": "15:40",
            "channel": "phone",
            "notifier_kind": "professional",
            "notifier_contact": "Skolen",
            "child_reference": "SAG-1",
            "age_group": "6-11",
            "concerns": ["neglect"],
            "summary": "Bekymring",
            "caseworker_id": str(people.caseworker.id),
            "confirm_old_date": "y",  # the real clock runs on: this date may be long past
        },
    )
    assert registered.status_code == 302, registered.get_data(as_text=True)
    assert client.get(registered.headers["Location"]).status_code == 200
    assert client.post("/logout").status_code == 302
    login(client, people.leader)
    assert client.get("/audit/").status_code == 200
    readiness = client.get("/readyz").get_json()
    assert readiness["migrations"]["ok"] is True, readiness

    class Sent:
        def open(self):
            return self

        def send(self, message):
            return SENT

        def close(self):
            pass

    with runtime_app.app_context():
        jobs.sweep_and_dispatch(lambda: datetime(2027, 1, 4, 9, tzinfo=UTC), Sent())
