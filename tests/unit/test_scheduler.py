"""The scheduler's wiring: which jobs, when, and with which safety settings (never started)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask, current_app, has_app_context

from tracker.alerts.scheduler import DIGEST_JOB_ID, INTAKE_JOB_ID, SWEEP_JOB_ID, build_scheduler
from tracker.domain.local_time import COPENHAGEN


def noop() -> None:
    pass


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=COPENHAGEN)


def jobs_by_id(scheduler):
    return {job.id: job for job in scheduler.get_jobs()}


def test_the_scheduler_has_the_sweep_and_the_digest_with_safe_settings():
    jobs = jobs_by_id(build_scheduler(Flask("test"), noop, noop))

    assert set(jobs) == {SWEEP_JOB_ID, DIGEST_JOB_ID}
    for job in jobs.values():
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.misfire_grace_time == 3600
    sweep = jobs[SWEEP_JOB_ID].trigger
    assert isinstance(sweep, IntervalTrigger)
    assert sweep.interval == timedelta(minutes=1)
    assert isinstance(jobs[DIGEST_JOB_ID].trigger, CronTrigger)


def test_the_first_sweep_runs_when_asked_and_the_sweep_is_never_paused():
    start = datetime(2026, 4, 15, 8, 0, tzinfo=UTC)
    job = jobs_by_id(build_scheduler(Flask("test"), noop, noop, start_at=start))[SWEEP_JOB_ID]
    assert job.next_run_time == start

    # Without start_at the trigger decides; APScheduler marks a paused job with None.
    job = jobs_by_id(build_scheduler(Flask("test"), noop, noop))[SWEEP_JOB_ID]
    assert getattr(job, "next_run_time", "decided on start") is not None


def test_the_digest_fires_at_07_30_copenhagen_on_weekdays_across_dst():
    trigger = jobs_by_id(build_scheduler(Flask("test"), noop, noop))[DIGEST_JOB_ID].trigger
    # Friday after the digest -> Monday; summer time began on the Sunday in between.
    monday = trigger.get_next_fire_time(None, local(2026, 3, 27, 8, 0))
    assert monday == local(2026, 3, 30, 7, 30)
    assert monday.astimezone(UTC) == datetime(2026, 3, 30, 5, 30, tzinfo=UTC)
    assert trigger.get_next_fire_time(None, local(2026, 3, 30, 7, 31)) == local(2026, 3, 31, 7, 30)
    # In winter time 07:30 is 06:30 UTC.
    friday = trigger.get_next_fire_time(None, local(2026, 1, 8, 9, 0))
    assert friday.astimezone(UTC) == datetime(2026, 1, 9, 6, 30, tzinfo=UTC)


def test_each_run_gets_its_own_app_context():
    app = Flask("test")
    seen = []
    jobs = jobs_by_id(build_scheduler(app, lambda: seen.append(current_app.name), noop))

    jobs[SWEEP_JOB_ID].func()
    jobs[SWEEP_JOB_ID].func()

    assert seen == ["test", "test"]
    assert not has_app_context()


def test_the_intake_mailboxes_are_polled_every_minute_when_configured():
    jobs = jobs_by_id(build_scheduler(Flask("test"), noop, noop, intake_job=noop))
    assert set(jobs) == {SWEEP_JOB_ID, DIGEST_JOB_ID, INTAKE_JOB_ID}
    intake = jobs[INTAKE_JOB_ID]
    assert intake.trigger.interval == timedelta(minutes=1)
    assert (intake.coalesce, intake.max_instances) == (True, 1)
