"""A scheduler that was down at 07:30 still sends the day's digest: the sweep catches up.

Every test runs on SQLite and PostgreSQL; time is passed in, never slept on.
"""

from __future__ import annotations

from datetime import timedelta

from alerting import RECEIVED, local, make_people, register, run_scheduler, sent_pairs
from factories import make_user

from tracker.alerts import jobs
from tracker.extensions import db
from tracker.models import Role

DIGEST = ("anna@nord.test", "Dine frister, mandag 16. marts")
MINUTE = timedelta(minutes=1)


def _digests(smtp_server) -> list[tuple[str, str]]:
    return [pair for pair in sent_pairs(smtp_server) if pair[1].startswith("Dine frister")]


def test_the_first_sweep_after_a_missed_0730_sends_the_days_digest_once(app, smtp_server):
    people = make_people()
    register(people)
    transport = smtp_server.transport()

    run_scheduler(local(2026, 3, 16, 7, 29), transport)  # before the digest's time
    assert _digests(smtp_server) == []

    # Down from 07:30 to 08:30: the cron job's run (and its hour of grace) is lost.
    run_scheduler(local(2026, 3, 16, 8, 31), transport)
    run_scheduler(local(2026, 3, 16, 8, 32), transport)
    run_scheduler(local(2026, 3, 16, 14, 0), transport)
    assert _digests(smtp_server) == [DIGEST]


def test_the_sweep_adds_no_digest_once_the_mornings_run_has_happened(app, smtp_server):
    people = make_people()
    register(people)
    transport = smtp_server.transport()
    db.session.commit()
    jobs.digest_and_dispatch(lambda: local(2026, 3, 16, 7, 30), transport)

    # Someone whose first deadline comes into view later that day waits for tomorrow.
    bo = make_user(role=Role.CASEWORKER, team=people.team, email="bo@nord.test")
    register(people, caseworker=bo, received_at=RECEIVED + timedelta(days=5))
    run_scheduler(local(2026, 3, 16, 11, 0), transport)
    assert _digests(smtp_server) == [DIGEST]


def test_no_catch_up_digest_at_the_weekend(app, smtp_server):
    register(make_people())
    run_scheduler(local(2026, 3, 14, 9, 0), smtp_server.transport())  # Saturday
    assert _digests(smtp_server) == []
