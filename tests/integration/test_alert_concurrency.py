"""Several schedulers at once, and a scheduler killed mid-dispatch: nothing twice, nothing lost."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from alerting import RECEIVED, make_people, register
from factories import settings
from smtp_harness import HOST, RecordingHandler, SmtpServer
from sqlalchemy import select

from tracker.alerts import jobs
from tracker.alerts.outbox import DispatchSettings
from tracker.extensions import db
from tracker.models import Alert, AlertStatus

OVERDUE = RECEIVED + timedelta(hours=25)
TRACKER = Path(sys.executable).with_name("tracker")


def alert_header_ids(server: SmtpServer) -> list[int]:
    return [int(m["X-Fristsporing-Alert"]) for m in server.messages]


def test_two_schedulers_racing_on_postgresql_send_every_alert_exactly_once(app, smtp_server):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several schedulers at once are supported on PostgreSQL only")
    people = make_people(digest=False)
    for n in range(40):
        register(people, received_at=RECEIVED + timedelta(minutes=n))
    db.session.commit()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def scheduler() -> None:
        try:
            with app.app_context():  # a session (and connection) of its own
                start.wait()
                jobs.sweep(OVERDUE)
                jobs.dispatch(
                    lambda: OVERDUE,
                    smtp_server.transport(),
                    replace(DispatchSettings.from_config(settings()), batch_size=7),
                )
        except BaseException as exc:  # reported below, in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []

    rows = db.session.scalars(select(Alert)).all()
    assert len(rows) == 80  # the caseworker and the leader, 40 cases
    assert Counter(alert_header_ids(smtp_server)) == Counter({row.id: 1 for row in rows})
    assert {row.status for row in rows} == {AlertStatus.SENT}
    # Both took part: batches went out over at least two connections.
    assert smtp_server.connections >= 2


class SlowHandler(RecordingHandler):
    """Accept each message only after a pause, so a dispatcher can be killed mid-batch."""

    delay = 0.15

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


def wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


def sweep_once(database_url: str, port: int, now, instance: Path) -> subprocess.Popen:
    env = os.environ | {
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_SMTP_HOST": HOST,
        "TRACKER_SMTP_PORT": str(port),
        "TRACKER_MAIL_BATCH_SIZE": "10",
        "TRACKER_INSTANCE_DIR": str(instance),
        "TRACKER_SECRET_KEY": "test",
    }
    command = [str(TRACKER), "sweep", "--once", "--now", now.isoformat()]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.mark.slow
def test_a_scheduler_killed_mid_dispatch_loses_nothing(app, database_url, tmp_path):
    people = make_people(digest=False)
    for n in range(25):
        register(people, received_at=RECEIVED + timedelta(minutes=n))
    db.session.commit()
    db.session.remove()  # the subprocess must find the database unlocked (SQLite)
    server = SmtpServer()
    server.handler = SlowHandler()
    server.start()
    try:
        first = sweep_once(database_url, server.port, OVERDUE, tmp_path)
        try:
            wait_for(lambda: len(server.received) >= 15, timeout=60)
        finally:
            first.kill()  # SIGKILL: no clean-up of any kind
            first.wait(timeout=30)
        assert first.returncode == -9
        got_before_kill = len(server.received)
        assert 15 <= got_before_kill < 50

        # Restarted after the dead process's claim (5 minutes) has run out.
        server.handler.delay = 0
        second = sweep_once(database_url, server.port, OVERDUE + timedelta(minutes=6), tmp_path)
        output, _ = second.communicate(timeout=120)
        assert second.returncode == 0, output.decode()
    finally:
        server.stop()

    rows = db.session.scalars(select(Alert)).all()
    assert len(rows) == 50
    assert {row.status for row in rows} == {AlertStatus.SENT}
    received = Counter(alert_header_ids(server))
    assert set(received) == {row.id for row in rows}  # every alert arrived
    # A resend is the same e-mail: one Message-ID per alert, however often it went out.
    ids_by_alert = {}
    for message in server.messages:
        ids_by_alert.setdefault(int(message["X-Fristsporing-Alert"]), set()).add(
            message["Message-ID"]
        )
    assert all(len(ids) == 1 for ids in ids_by_alert.values())
    assert len({next(iter(ids)) for ids in ids_by_alert.values()}) == 50
    # Each e-mail is recorded right after it went: only the one in flight can go out twice.
    assert sum(received.values()) - 50 <= 1


@pytest.mark.slow
def test_without_smtp_the_outbox_prints_the_email_and_keeps_it(app, database_url, tmp_path):
    people = make_people(digest=False)
    reference = register(people).reference
    db.session.commit()
    db.session.remove()
    env = os.environ | {
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_INSTANCE_DIR": str(tmp_path),
        "TRACKER_SECRET_KEY": "test",
    }
    env.pop("TRACKER_SMTP_HOST", None)
    command = [str(TRACKER), "sweep", "--once", "--now", "2026-03-12T11:00:00+01:00"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"Subject: Frist overskredet: 24-timers vurdering, {reference}" in done.stdout
    assert "To: anna@nord.test" in done.stdout
    rows = db.session.scalars(select(Alert)).all()
    assert {(row.recipient_email, row.status) for row in rows} == {
        ("anna@nord.test", AlertStatus.SENT),
        ("leder@nord.test", AlertStatus.SENT),
    }
