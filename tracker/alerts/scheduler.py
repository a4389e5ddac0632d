"""APScheduler wiring for the `tracker scheduler` process: which job runs when, nothing else.

The jobs themselves (the sweep and dispatch, the daily digest) live in the use-case
layer; each run gets its own app context, so its database session is removed after.
Web processes never build a scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from tracker.domain.local_time import COPENHAGEN

log = logging.getLogger(__name__)

SWEEP_JOB_ID = "sweep"
DIGEST_JOB_ID = "digest"
INTAKE_JOB_ID = "intake"

JOB_OPTIONS = {
    # Runs missed while the process was busy or suspended collapse into one: the sweep works
    # from state, so one late run does everything the missed runs would have done.
    "coalesce": True,
    # A sweep that outlasts its minute must not overlap the next one in this process.
    "max_instances": 1,
    # APScheduler's default of 1 second silently skips a run that starts late (a slow sweep,
    # a busy machine, a suspended VM); an hour lets the late run still happen.
    "misfire_grace_time": 3600,
}


def digest_trigger() -> CronTrigger:
    """Return the digest's trigger: 07:30 Copenhagen time, Monday to Friday.

    Helligdage are skipped inside the job, with the project's calendar. A run this
    process missed (it was down at 07:30) is caught up by the every-minute sweep
    (tracker.digest.create_missed_digests).
    """
    return CronTrigger(day_of_week="mon-fri", hour=7, minute=30, timezone=COPENHAGEN)


def build_scheduler(
    app: Flask,
    sweep_job: Callable[[], object],
    digest_job: Callable[[], object],
    *,
    start_at: datetime | None = None,
    intake_job: Callable[[], object] | None = None,
) -> BlockingScheduler:
    """Return a (not started) scheduler running the sweep every minute and the daily digest.

    `start_at` is the first sweep's time; the command passes "now", so a scheduler that
    was stopped catches up at once instead of a minute later.
    """
    scheduler = BlockingScheduler(timezone=COPENHAGEN, job_defaults=dict(JOB_OPTIONS))
    # APScheduler reads next_run_time=None as "paused", so it is passed only when given.
    first_run = {} if start_at is None else {"next_run_time": start_at}
    scheduler.add_job(
        in_app_context(app, sweep_job),
        IntervalTrigger(minutes=1, timezone=COPENHAGEN),
        id=SWEEP_JOB_ID,
        name="Send due deadline alerts",
        **first_run,
        **JOB_OPTIONS,
    )
    if intake_job is not None:  # only when intake mailboxes are configured
        scheduler.add_job(
            in_app_context(app, intake_job),
            IntervalTrigger(minutes=1, timezone=COPENHAGEN),
            id=INTAKE_JOB_ID,
            name="Poll the intake mailboxes",
            **first_run,
            **JOB_OPTIONS,
        )
    scheduler.add_job(
        in_app_context(app, digest_job),
        digest_trigger(),
        id=DIGEST_JOB_ID,
        name="Send the daily deadline digest",
        **JOB_OPTIONS,
    )
    return scheduler


def in_app_context(app: Flask, job: Callable[[], object]) -> Callable[[], None]:
    """Wrap a job so each run has its own app context (and so its own database session)."""

    def run() -> None:
        with app.app_context():
            job()

    run.__name__ = getattr(job, "__name__", "job")
    run.__qualname__ = run.__name__
    return run
