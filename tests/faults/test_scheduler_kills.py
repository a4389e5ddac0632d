"""A scheduler killed (SIGKILL) at random points of its dispatch, 20 times: nothing is lost,
and only the e-mail in flight at a kill can arrive twice, with the same Message-ID.

Each run is `tracker sweep --once` on the tests' own PostgreSQL, sending to a real SMTP
server on loopback that takes a little time per message; each run acts a lease later
than the one before (`--now`), as a scheduler restarted after the dead one's lease ran
out would. The kill comes after a random number of e-mails of that run (at least one)
plus a random pause of up to one message. The seed is printed with the figures.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

import pytest
from alerting import RECEIVED, make_people, register
from factories import another_app
from smtp_harness import HOST, RecordingHandler, SmtpServer
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Alert, AlertStatus

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

TRACKER = Path(sys.executable).with_name("tracker")
CASES = 30  # the caseworker and the leader each: 60 e-mails
KILLS = 20
DELAY = 0.05  # seconds the SMTP server takes per message
STEP = timedelta(minutes=3)  # more than a lease (150 s): the dead run's e-mails are free again


class SlowHandler(RecordingHandler):
    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(DELAY)
        return await super().handle_DATA(server, session, envelope)


def _sweep_once(database_url: str, port: int, now, instance: Path) -> subprocess.Popen:
    env = os.environ | {
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_SMTP_HOST": HOST,
        "TRACKER_SMTP_PORT": str(port),
        "TRACKER_INSTANCE_DIR": str(instance),
        "TRACKER_SECRET_KEY": "faults",
    }
    command = [str(TRACKER), "sweep", "--once", "--now", now.isoformat()]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_after(process: subprocess.Popen, server: SmtpServer, count: int, pause: float) -> bool:
    """SIGKILL the process once `count` more e-mails arrived (and a pause); False if it ended."""
    target = len(server.received) + count
    deadline = time.monotonic() + 60
    while len(server.received) < target:
        if process.poll() is not None:
            return False
        if time.monotonic() > deadline:
            raise AssertionError("the scheduler sent nothing for a minute")
        time.sleep(0.005)
    time.sleep(pause)
    process.kill()
    process.wait(timeout=30)
    return True


def test_a_scheduler_killed_20_times_mid_dispatch_loses_nothing_and_repeats_only_in_flight(
    fault_database: str, tmp_path: Path, figures
):
    seed = random.randrange(1_000_000)
    chance = random.Random(seed)
    app = another_app(fault_database, tmp_path)
    with app.app_context():
        people = make_people(digest=False)
        for n in range(CASES):
            register(people, received_at=RECEIVED + timedelta(minutes=n))
        db.engine.dispose()
    server = SmtpServer()
    server.handler = SlowHandler()
    server.start()
    kills = 0
    now = RECEIVED + timedelta(hours=25)
    try:
        for _run in range(KILLS):
            process = _sweep_once(fault_database, server.port, now, tmp_path)
            if not _kill_after(process, server, chance.randint(1, 4), chance.uniform(0, DELAY)):
                break  # everything went out before the kill came
            kills += 1
            now += STEP
        last = _sweep_once(fault_database, server.port, now, tmp_path)
        assert last.wait(timeout=120) == 0
    finally:
        server.stop()

    with app.app_context():
        rows = db.session.scalars(select(Alert)).all()
        db.engine.dispose()
    received = Counter(int(m.message["X-Fristsporing-Alert"]) for m in server.received)
    message_ids = defaultdict(set)
    for mail in server.received:
        message_ids[int(mail.message["X-Fristsporing-Alert"])].add(mail.message["Message-ID"])
    duplicates = sum(received.values()) - len(rows)
    figures(
        f"scheduler killed {kills} times mid-dispatch (seed {seed}): {len(rows)} e-mails, "
        f"{sum(received.values())} received, {duplicates} duplicates "
        f"(at most one a kill: the e-mail in flight), every e-mail delivered: "
        f"{set(received) == {row.id for row in rows}}"
    )
    assert kills >= KILLS // 2  # the kills really came mid-dispatch
    assert len(rows) == 2 * CASES
    assert {row.status for row in rows} == {AlertStatus.SENT}
    assert set(received) == {row.id for row in rows}  # every alert delivered
    assert duplicates <= kills  # only the e-mail in flight at each kill went twice ...
    assert all(len(ids) == 1 for ids in message_ids.values())  # ... as the same e-mail
