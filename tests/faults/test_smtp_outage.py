"""The mail server is down for a while: the outbox backs off (1, 2, 4 minutes), then all goes.

The scheduler's every-minute job runs with a clock passed in, minute by minute, against a
real SMTP server on loopback that refuses connections for the first seven minutes.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from alerting import RECEIVED, make_people, register
from factories import another_app
from smtp_harness import SmtpServer
from sqlalchemy import select

from tracker.alerts import jobs
from tracker.extensions import db
from tracker.models import Alert, AlertStatus
from tracker.operations import readiness

pytestmark = [pytest.mark.postgres]

OVERDUE = RECEIVED + timedelta(hours=25)
DOWN_MINUTES = 7


def test_a_mail_server_down_for_a_while_gets_everything_after_backing_off(
    fault_database: str, tmp_path: Path, figures
):
    app = another_app(fault_database, tmp_path)
    server = SmtpServer()
    server.start()
    tried_at: list[int] = []
    try:
        with app.app_context():
            people = make_people(digest=False)
            for n in range(5):
                register(people, received_at=RECEIVED + timedelta(minutes=n))
            server.stop()  # refuses connections from here
            for minute in range(12):
                if minute == DOWN_MINUTES:
                    server.start()  # the same port again
                now = OVERDUE + timedelta(minutes=minute)
                report = jobs.scheduled_sweep(lambda at=now: at, server.transport())
                if report.sent or report.failed:
                    tried_at.append(minute)
                if minute == DOWN_MINUTES - 1:
                    stuck = readiness.check(now).checks["outbox"]
            rows = db.session.scalars(select(Alert).order_by(Alert.id)).all()
            db.engine.dispose()
    finally:
        server.stop()

    received = Counter(int(m.message["X-Fristsporing-Alert"]) for m in server.received)
    figures(
        f"mail server down {DOWN_MINUTES} minutes: tried at minutes {tried_at}, "
        f"{len(rows)} e-mails, {sum(received.values())} received, "
        f"attempts {sorted({row.attempts for row in rows})}"
    )
    # Backoff after each failed attempt: 1, 2 and 4 minutes; then the server was back.
    assert tried_at == [0, 1, 3, 7]
    assert stuck["pending"] == 10 and stuck["failed"] == 0
    assert {(row.status, row.attempts) for row in rows} == {(AlertStatus.SENT, 4)}
    assert received == Counter({row.id: 1 for row in rows})  # all delivered, each once
