"""The scheduler watches itself: a heartbeat per sweep, and one notice to the admins per outage."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alerting import make_people, register
from factories import make_user
from sqlalchemy import select

from tracker.alerts import heartbeat, jobs
from tracker.extensions import db
from tracker.models import OUTAGE_STAGE, Alert, AlertStatus, Role, SchedulerOutage

START = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)  # 10:00 in Copenhagen
TRACKER = Path(sys.executable).with_name("tracker")


def _notices() -> list[Alert]:
    return list(db.session.scalars(select(Alert).where(Alert.stage == OUTAGE_STAGE)))


def test_no_notice_while_the_scheduler_keeps_sweeping(app, smtp_server):
    make_user(role=Role.ADMIN, email="drift@kommune.test")
    for minutes in (0, 1, 2, 5):
        moment = START + timedelta(minutes=minutes)
        jobs.scheduled_sweep(lambda at=moment: at, smtp_server.transport())
    assert heartbeat.last_sweep() == START + timedelta(minutes=5)
    assert _notices() == [] and smtp_server.received == []


def test_after_an_outage_each_active_admin_gets_one_notice_that_it_caught_up(app, smtp_server):
    make_user(role=Role.ADMIN, email="drift@kommune.test")
    make_user(role=Role.ADMIN, email="gammel@kommune.test", active=False)
    people = make_people(digest=False)
    jobs.scheduled_sweep(lambda: START, smtp_server.transport())
    register(people, received_at=START + timedelta(minutes=1))  # full of personal data
    back = START + timedelta(hours=26, minutes=13)  # the assessment fell due meanwhile

    jobs.scheduled_sweep(lambda: back, smtp_server.transport())

    [notice] = _notices()
    assert (notice.recipient_email, notice.status) == ("drift@kommune.test", AlertStatus.SENT)
    subjects = sorted(mail.message["Subject"] for mail in smtp_server.received)
    assert "Fristsporings planlægger var nede i 1 dag og 2 timer og har indhentet det forsømte" in (
        subjects
    )
    # It caught up: the overdue alerts went out in the same run.
    assert sum(subject.startswith("Frist overskredet") for subject in subjects) == 2
    [mail] = [m for m in smtp_server.received if m.rcpt_tos == ("drift@kommune.test",)]
    body = mail.message.get_body(("plain",)).get_content()
    assert "fra torsdag 12. marts 2026 kl. 10:00 til fredag 13. marts 2026 kl. 12:13" in body
    assert "/admin/outbox" in body
    raw = mail.message.as_string()
    assert not any(word in raw for word in ("Mikkel", "Birthe", "010214", "Hemmeligt"))
    assert heartbeat.last_sweep() == back


def test_several_schedulers_starting_after_the_same_outage_write_one_notice(app, smtp_server):
    make_user(role=Role.ADMIN, email="drift@kommune.test")
    jobs.sweep_and_dispatch(lambda: START, smtp_server.transport())
    back = START + timedelta(minutes=30)
    outage = heartbeat.outage_since(back)
    assert outage == START
    # Both read the old heartbeat before either swept: both try to report the outage.
    for _scheduler in range(2):
        jobs.sweep_and_dispatch(lambda: back, smtp_server.transport(), outage_since=outage)
    assert len(_notices()) == 1 and len(smtp_server.received) == 1
    [row] = db.session.scalars(select(SchedulerOutage)).all()
    assert (row.down_since, row.back_at) == (START, back)


def test_a_new_installation_was_never_down(app, smtp_server):
    make_user(role=Role.ADMIN, email="drift@kommune.test")
    assert heartbeat.outage_since(START) is None
    jobs.scheduled_sweep(lambda: START, smtp_server.transport())
    assert _notices() == []


def test_sweep_once_records_the_heartbeat(app, database_url, tmp_path):
    db.session.remove()  # the subprocess must find the database unlocked (SQLite)
    env = os.environ | {
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_INSTANCE_DIR": str(tmp_path),
        "TRACKER_SECRET_KEY": "test",
    }
    command = [str(TRACKER), "sweep", "--once", "--now", "2026-03-12T10:00:00+01:00"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert heartbeat.last_sweep() == START
