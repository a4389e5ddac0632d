"""/healthz, /readyz and `tracker check` for monitoring; the 503 while the database is away.

The database that is away is real: a PostgreSQL URL on a loopback port nobody listens on,
so every connection is refused as when the server is stopped.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from alerting import make_people, register
from factories import another_app, new_client
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tracker.alerts import jobs
from tracker.database import is_unavailable
from tracker.extensions import db
from tracker.mail.transport import SendResult

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:9/fristsporing"
NOW = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
PERSONAL = ("Mikkel", "Birthe", "010214", "Hemmeligt", "anna@nord.test")


class TryAgainLater:
    def open(self):
        return self

    def send(self, message):
        return SendResult("451 4.3.0 Try again later")

    def close(self):
        pass


@pytest.fixture
def dead_app(tmp_path) -> Flask:
    return another_app(UNREACHABLE, tmp_path)


def _signed_in_client(app: Flask):
    client = new_client(app)
    with client.session_transaction() as session:  # as after a sign-in: the user is loaded
        session["_user_id"] = "1:1"
        session["_fresh"] = True
    return client


def _readyz(app: Flask, client, at: datetime):
    app.config["CLOCK"] = lambda: at
    response = client.get("/readyz")
    return response.status_code, response.json


def test_healthz_answers_without_the_database_even_for_a_signed_in_browser(dead_app):
    response = _signed_in_client(dead_app).get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})


def test_readyz_reports_a_stopped_database_with_503(dead_app):
    response = _signed_in_client(dead_app).get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "not_ready"
    assert response.json["database"] == {"ok": False, "error": "OperationalError"}
    assert response.json["problems"] == ["database: kan ikke nås"]
    assert response.headers["Cache-Control"] == "no-store"


def test_tracker_check_reports_a_stopped_database_and_exits_1(dead_app):
    result = dead_app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 1
    assert "IKKE KLAR" in result.output and "database: kan ikke nås" in result.output


def test_a_page_gets_a_danish_503_without_the_database(dead_app):
    response = _signed_in_client(dead_app).get("/cases/new?x=1")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert '<html lang="da"' in html
    assert "Fristsporing er utilgængelig et øjeblik" in html
    assert "kan ikke nå sin database" in html
    assert 'href="/cases/new?x=1"' in html  # "Prøv igen" reloads the same page
    assert "Traceback" not in html and "psycopg" not in html and "127.0.0.1" not in html
    assert "Log ud" not in html  # no signed-in user, no menu: nothing needs the database


def test_signing_in_gets_the_503_page_too(dead_app):
    client = new_client(dead_app)
    response = client.post("/login", data={"email": "a@b.dk", "password": "x" * 12})
    assert response.status_code == 503
    assert "Fristsporing er utilgængelig et øjeblik" in response.get_data(as_text=True)


def test_the_api_gets_a_json_503_without_the_database(dead_app):
    client = new_client(dead_app)
    response = client.get("/api/v1/deadlines", headers={"Authorization": "Bearer fst_abc"})
    assert response.status_code == 503
    assert response.json == {
        "error": "service_unavailable",
        "message": "Fristsporing kan ikke nå sin database lige nu. Prøv igen om et minut.",
    }
    assert response.headers["Retry-After"] == "30"


def test_readyz_follows_the_scheduler_heartbeat(app, client):
    status, body = _readyz(app, client, NOW)
    assert status == 503
    assert body["scheduler"] == {"ok": False, "last_sweep_at": None, "seconds_since": None}
    assert body["problems"] == ["planlægger: ingen kørsel er nogensinde gennemført"]
    assert body["database"]["ok"] and body["migrations"]["ok"]
    assert body["migrations"]["current"] == body["migrations"]["head"]

    jobs.sweep_and_dispatch(lambda: NOW, TryAgainLater())
    status, body = _readyz(app, client, NOW + timedelta(minutes=5))
    assert (status, body["status"], body["problems"]) == (200, "ready", [])
    assert body["scheduler"] == {
        "ok": True,
        "last_sweep_at": "2026-03-12T10:00:00+00:00",
        "seconds_since": 300,
    }

    status, body = _readyz(app, client, NOW + timedelta(minutes=17, seconds=30))
    assert (status, body["scheduler"]["ok"]) == (503, False)
    assert body["problems"] == ["planlægger: ingen kørsel i 17 minutter"]


def test_tracker_check_prints_the_same_and_exits_0_when_ready(app):
    jobs.sweep_and_dispatch(lambda: NOW, TryAgainLater())
    app.config["CLOCK"] = lambda: NOW + timedelta(minutes=1)
    result = app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Klar (2026-03-12T10:01:00+00:00)")
    assert "scheduler: ok" in result.output
    as_json = app.test_cli_runner().invoke(args=["check", "--json"])
    assert json.loads(as_json.output)["status"] == "ready"

    app.config["CLOCK"] = lambda: NOW + timedelta(minutes=6)
    result = app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 1
    assert "scheduler: FEJL" in result.output
    assert "- planlægger: ingen kørsel i 6 minutter" in result.output


def test_readyz_reports_the_outbox_and_a_mail_server_that_takes_nothing(app, client):
    register(make_people(digest=False))  # full of personal data
    jobs.sweep_and_dispatch(lambda: NOW, TryAgainLater())  # two e-mails, retried later
    later = NOW + timedelta(minutes=61)
    jobs.sweep_and_dispatch(lambda: later, TryAgainLater())
    status, body = _readyz(app, client, later)
    assert status == 503
    assert body["outbox"] == {
        "ok": False,
        "failing_since": "2026-03-12T11:01:00+00:00",  # failing 61 minutes: the admins told
        "pending": 2,
        "waiting_for_opening": 0,
        "oldest_pending_at": "2026-03-12T10:00:00+00:00",
        "failed": 0,
        "oldest_failed_at": None,
    }
    assert body["problems"] == [
        "udgående post: en e-mail har ventet 61 minutter på at blive sendt",
        "udgående post: e-mails fejler; administratorerne har fået besked (Udgående post)",
    ]
    raw = json.dumps(body, ensure_ascii=False)
    assert not any(word in raw for word in PERSONAL)


def test_readyz_reports_migrations_behind_head(app, client):
    jobs.sweep_and_dispatch(lambda: NOW, TryAgainLater())
    (current,) = db.session.execute(text("SELECT version_num FROM alembic_version")).one()
    db.session.execute(text("UPDATE alembic_version SET version_num = 'a6cc7d109718'"))
    db.session.commit()
    try:
        status, body = _readyz(app, client, NOW)
    finally:
        db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": current})
        db.session.commit()
    assert status == 503
    assert body["migrations"] == {"ok": False, "current": ["a6cc7d109718"], "head": [current]}
    assert body["problems"] == [
        "migreringer: databasen er ikke på den nyeste revision (tracker db upgrade)"
    ]


def test_only_a_database_that_is_away_or_slow_counts_as_unavailable(app, dead_app):
    with pytest.raises(DBAPIError) as bad_statement:
        db.session.execute(text("SELECT no_such_column FROM users"))
    db.session.rollback()
    assert not is_unavailable(bad_statement.value)  # a bug: 500
    with dead_app.app_context(), pytest.raises(DBAPIError) as refused:
        db.session.execute(text("SELECT 1"))
    assert is_unavailable(refused.value)  # away: 503
