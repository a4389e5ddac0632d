"""scripts/backup-restore-check: a dump of the database restores with every row, on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alerting import make_people, register
from sqlalchemy import text

from tracker.alerts import jobs
from tracker.extensions import db

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "backup-restore-check"


class Sent:
    def open(self):
        return self

    def send(self, message):
        from tracker.mail.transport import SENT

        return SENT

    def close(self):
        pass


def test_a_dump_restores_into_a_scratch_database_with_every_row(app, database_url):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the backup check is for PostgreSQL (pg_dump and pg_restore)")
    people = make_people()
    for _ in range(3):
        register(people)
    jobs.sweep_and_dispatch(lambda: people.team.created_at.replace(year=2027), Sent())

    done = subprocess.run(
        [sys.executable, str(SCRIPT), database_url], capture_output=True, text=True, timeout=300
    )

    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1].startswith("OK: ") and "equal after the restore" in lines[-1]
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:-1]}
    assert rows["public.notifications"] == ["3", "3"]
    assert rows["public.audit_events"][0] == rows["public.audit_events"][1] != "0"
    assert int(rows["public.alerts"][0]) >= 6
    assert "public.alembic_version" in rows and "public.heartbeats" in rows
    scratch = lines[0].split("restored into ")[1].split()[0]
    left = db.session.execute(
        text("SELECT count(*) FROM pg_database WHERE datname = :name"), {"name": scratch}
    ).scalar()
    assert left == 0  # the scratch database was dropped
