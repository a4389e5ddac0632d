"""The database goes away under web load, or hangs: 503 pages, never a 500, and recovery.

gunicorn (2 workers) serves the app on the tests' own PostgreSQL; four clients request the
dashboard (signed in through the login form), register notifications through the API and
ask /readyz, while the server is stopped for a few seconds ("fast": every connection is
cut, as in a restart or a failover) and started again, or while a table lock makes every
statement wait. Figures are printed at the end of the run.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest
import requests
from factories import another_app, make_team, make_user
from harness import Load, PostgresInstance, serve, signed_in
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import AuditEvent, Deadline, Notification, Role

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

PASSWORD = "fejltest-adgangskode-1234"
EMAIL = "anna@nord.test"
OUTAGE_SECONDS = 5
SUCCESS = {"page": {200}, "register": {201}, "ready": {200}}
TIMEOUTS = {"DATABASE_CONNECT_TIMEOUT": "2", "DATABASE_STATEMENT_TIMEOUT": "2"}


def _seed(url: str, instance: Path) -> str:
    """Create Team Nord's caseworker Anna with a password and an API token; return the token."""
    from tracker.alerts import heartbeat
    from tracker.clock import now
    from tracker.people import tokens

    app = another_app(url, instance)
    with app.app_context():
        anna = make_user(role=Role.CASEWORKER, team=make_team("Team Nord"), email=EMAIL,
                         password=PASSWORD)  # fmt: skip
        _row, token = tokens.create_token(anna, "Fejltest", by=None, now=now())
        heartbeat.record_sweep(now())  # a scheduler is running: /readyz is about the database
        db.session.commit()
        db.engine.dispose()
    return token


def _wait(load: Load, until: float) -> None:
    while load.elapsed() < until:
        time.sleep(0.05)


def _check_nothing_half_written(url: str, instance: Path, load: Load) -> Counter:
    """Every notification whole (its deadlines and its audit row), and as many as answered."""
    registered = Counter(a.status for a in load.answers if a.kind == "register")
    app = another_app(url, instance)
    with app.app_context():
        notifications = db.session.scalar(select(func.count()).select_from(Notification))
        deadlines = dict(
            db.session.execute(
                select(Deadline.notification_id, func.count()).group_by(Deadline.notification_id)
            ).all()
        )
        created = Counter(
            db.session.scalars(
                select(AuditEvent.case_id).where(AuditEvent.action == "notification.create")
            ).all()
        )
        ids = db.session.scalars(select(Notification.id)).all()
        db.engine.dispose()
    # A 201 was committed; a 503 or no answer may or may not have been (a commit whose
    # answer was lost), but never in part.
    assert registered[201] <= notifications <= registered[201] + registered[503] + registered[0]
    per_case = {deadlines.get(i, 0) for i in ids}
    assert len(per_case) == 1 and per_case != {0}, per_case  # each with all its deadlines
    assert created == Counter({i: 1 for i in ids})  # each with its audit row
    return registered


def test_a_stopped_database_gives_503_never_500_and_the_app_recovers_by_itself(
    own_postgres: PostgresInstance, fault_database: str, tmp_path: Path, figures
):
    token = _seed(fault_database, tmp_path)
    web = serve(fault_database, tmp_path, **TIMEOUTS)
    try:
        with Load(web.base, signed_in(web.base, EMAIL, PASSWORD), token, max_seconds=60) as load:
            _wait(load, 2)
            stopped_at = load.elapsed()
            own_postgres.stop("fast")
            down_at = load.elapsed()  # stopped: no connection from here until the start
            _wait(load, stopped_at + OUTAGE_SECONDS)
            starting_at = load.elapsed()
            own_postgres.start()
            back_at = load.elapsed()
            _wait(load, back_at + 3)
    finally:
        web.stop()
        if not own_postgres.is_running():
            own_postgres.start()

    answers = load.answers
    statuses = load.statuses()
    during = load.statuses(down_at, starting_at)
    after = [a for a in answers if a.at >= back_at]
    figures(
        f"database stopped {back_at - stopped_at:.1f} s under load: {len(answers)} requests, "
        f"{statuses[503]} answered 503, {statuses[500]} answered 500, {statuses[0]} unanswered; "
        f"slowest answer while stopped {max(a.seconds for a in answers if a.status == 503):.2f} s; "
        f"first answer after the restart {min(a.at for a in after) - back_at:.2f} s, "
        f"{sum(a.status in SUCCESS[a.kind] for a in after)}/{len(after)} of them successful"
    )

    failures = [(a.kind, a.status, a.body[:300]) for a in answers if a.status in (0, 500)]
    assert statuses[500] == 0 and statuses[0] == 0, (statuses, failures[:3])
    assert all(a.status in SUCCESS[a.kind] | {503} for a in answers), statuses
    assert during[503] > 0 and set(during) == {503}, during
    assert after and all(a.status in SUCCESS[a.kind] for a in after)  # recovered by itself

    page = next(a for a in answers if a.kind == "page" and a.status == 503)
    assert "Fristsporing er utilgængelig et øjeblik" in page.body
    assert page.headers["Retry-After"] == "30" and page.headers["X-Frame-Options"] == "DENY"
    assert "Traceback" not in page.body and "psycopg" not in page.body
    api = next(a for a in answers if a.kind == "register" and a.status == 503)
    assert json.loads(api.body)["error"] == "service_unavailable"
    ready = next(a for a in answers if a.kind == "ready" and down_at <= a.at < starting_at)
    assert json.loads(ready.body)["problems"] == ["database: kan ikke nås"]

    registered = _check_nothing_half_written(fault_database, tmp_path, load)
    figures(f"  registrations: {registered[201]} committed (201), {registered[503]} refused (503)")


def test_a_hung_database_fails_requests_fast_instead_of_holding_the_workers(
    own_postgres: PostgresInstance, fault_database: str, tmp_path: Path, figures
):
    """A lock holds every statement on notifications for 8 s; the statement timeout is 2 s."""
    token = _seed(fault_database, tmp_path)
    web = serve(fault_database, tmp_path, **TIMEOUTS)
    locked = threading.Event()
    release = threading.Event()

    def hold_the_lock() -> None:
        with psycopg.connect(fault_database.replace("+psycopg", "")) as conn:
            conn.execute("LOCK TABLE notifications, users IN ACCESS EXCLUSIVE MODE")
            locked.set()
            release.wait(timeout=30)

    holder = threading.Thread(target=hold_the_lock, daemon=True)
    try:
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {token}"
        url = f"{web.base}/api/v1/notifications"
        holder.start()
        assert locked.wait(timeout=30)
        hung: list[tuple[int, float]] = []
        for _ in range(4):
            started = time.monotonic()
            answer = api.post(url, json=_notification(), timeout=60)
            hung.append((answer.status_code, time.monotonic() - started))
        release.set()
        holder.join(timeout=30)
        after = api.post(url, json=_notification(), timeout=60).status_code
    finally:
        release.set()
        web.stop()
    figures(
        "database hung (a lock held 8 s, statement timeout 2 s): "
        + ", ".join(f"{status} in {seconds:.1f} s" for status, seconds in hung)
        + f"; after the lock: {after}"
    )
    # Without the timeout each would wait for the lock and then succeed (or be killed by
    # gunicorn after 30 s): a 503 proves the statement was given up.
    assert [status for status, _seconds in hung] == [503] * 4
    assert after == 201


def _notification() -> dict:
    from harness import notification

    return notification()
