"""The sign-in throttle holds across web workers and hosts, and an administrator lifts a lock.

Failed password sign-ins are counted in the database (tracker.people.throttle), per
account and per address. Two gunicorn processes on one database (two hosts, as far as
the tracker can tell) share the count; an administrator sees the locks under "Låste
logins" and lifts one (audited). Both backends.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from factories import login, make_team, make_user, new_client, sign_in
from sqlalchemy import func, select

from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.models import AuditEvent, Role, SignInFailure

NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)
PASSWORD = "korrekt-hest-batteri"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def anna(app):
    return make_user(
        team=make_team("Team Nord"), email="anna@nord.dk", name="Anna Andersen", password=PASSWORD
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gunicorn(database_url: str, instance: Path, stack: ExitStack) -> str:
    """Start one gunicorn (one worker) on the database; return its address."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(
        TRACKER_DATABASE_URL=database_url,
        TRACKER_SECRET_KEY="throttle-test-secret",
        TRACKER_INSTANCE_DIR=str(instance),
    )
    process = subprocess.Popen(
        [GUNICORN, "--workers", "1", "--bind", f"127.0.0.1:{port}", "tracker:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stack.callback(process.wait, timeout=30)
    stack.callback(process.terminate)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return base
        except requests.RequestException:  # not listening yet, or the worker still starting
            assert process.poll() is None, "gunicorn exited"
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start")


def _try(base: str, password: str) -> int:
    browser = requests.Session()
    page = browser.get(f"{base}/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = browser.post(
        f"{base}/login",
        data={"csrf_token": token, "email": "anna@nord.dk", "password": password},
        allow_redirects=False,
        timeout=30,
    )
    return answer.status_code


@pytest.mark.slow
def test_two_web_processes_on_one_database_share_the_count(app, anna, database_url, tmp_path):
    """Failed before: each process counted its own failures, so 10 guesses got through."""
    with ExitStack() as stack:
        hosts = [_gunicorn(database_url, tmp_path / name, stack) for name in ("a", "b")]
        answers = [_try(hosts[number % 2], "forkert-gæt") for number in range(10)]
        assert answers == [401] * 5 + [429] * 5
        assert [_try(host, PASSWORD) for host in hosts] == [429, 429]


def test_the_lock_ends_when_the_failures_leave_the_window(app, client, anna, clock):
    for _ in range(5):
        assert sign_in(client, "anna@nord.dk", "forkert").status_code == 401
    assert sign_in(client, "anna@nord.dk", PASSWORD).status_code == 429
    clock.set(NOW + timedelta(minutes=15, seconds=1))
    assert sign_in(client, "anna@nord.dk", PASSWORD).status_code == 302


def test_old_failures_are_pruned(app, client, anna, clock):
    for _ in range(3):
        sign_in(client, "ghost@nord.dk", "forkert")
    clock.set(NOW + timedelta(hours=1))
    sign_in(client, "ghost@nord.dk", "forkert")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(SignInFailure)) == 1


def test_an_administrator_lifts_an_accounts_lock(app, client, anna, clock):
    """Failed before: there was no way to lift a lock but to wait."""
    for _ in range(5):
        sign_in(client, "anna@nord.dk", "forkert")
    assert sign_in(client, "anna@nord.dk", PASSWORD).status_code == 429
    admin_browser = new_client(app)
    admin = make_user(role=Role.ADMIN, name="Ada Admin")
    login(admin_browser, admin)
    page = admin_browser.get("/admin/sign-in-locks").get_data(as_text=True)
    assert "Låste logins" in page and "Anna Andersen" in page
    key = re.search(r'name="key" value="([0-9a-f]{64})"', page).group(1)
    lifted = admin_browser.post("/admin/sign-in-locks/lift", data={"kind": "account", "key": key})
    assert lifted.status_code == 303
    assert "Anna Andersen" not in admin_browser.get("/admin/sign-in-locks").get_data(as_text=True)
    # The address is locked too (five failures from it): another address may sign in now.
    other = client.post(
        "/login",
        data={"email": "anna@nord.dk", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.7"},
    )
    assert other.status_code == 302
    db.session.expire_all()
    (row,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.SIGN_IN_LOCK_LIFT)
    ).all()
    assert (row.user_id, row.object_id) == (admin.id, str(anna.id))
    assert row.detail == {"kind": "account", "failures": 5, "address": None}


def test_an_administrator_lifts_an_addresss_lock(app, client, anna, clock):
    for number in range(5):
        sign_in(client, f"guess{number}@nord.dk", "forkert")
    assert sign_in(client, "anna@nord.dk", PASSWORD).status_code == 429
    admin_browser = new_client(app)
    login(admin_browser, make_user(role=Role.ADMIN))
    page = admin_browser.get("/admin/sign-in-locks").get_data(as_text=True)
    assert "Adresse 127.0.0.1" in page
    data = {"kind": "address", "key": "127.0.0.1"}
    assert admin_browser.post("/admin/sign-in-locks/lift", data=data).status_code == 303
    assert sign_in(client, "anna@nord.dk", PASSWORD).status_code == 302


def test_only_administrators_see_the_locks(app, client, anna):
    login(client, anna)
    assert client.get("/admin/sign-in-locks").status_code == 403
    assert client.post("/admin/sign-in-locks/lift", data={"kind": "address"}).status_code == 403
