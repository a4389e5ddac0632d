"""The scheduler's commands: `tracker scheduler`, `tracker sweep --once`, `tracker digest`."""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.alerts import jobs
from tracker.domain.local_time import COPENHAGEN


def _parse_now(value: str | None) -> jobs.Clock:
    if value is None:
        return jobs.app_clock
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"not an ISO time: {value!r}", param_hint="--now") from None
    # A time without a zone is Copenhagen wall-clock time, as people say it.
    fixed = (moment if moment.tzinfo else moment.replace(tzinfo=COPENHAGEN)).astimezone(UTC)
    return lambda: fixed


def _log_to_console() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


NOW_HELP = "Act as if it were this ISO time (tests, operations); default: the clock."


@click.command("sweep")
@click.option("--once", is_flag=True, required=True, help="Run one sweep and dispatch, then exit.")
@click.option("--now", "now", default=None, help=NOW_HELP)
@with_appcontext
def sweep_command(once: bool, now: str | None) -> None:
    """Write the alerts that are due to the outbox and send the outbox, once."""
    _log_to_console()
    report = jobs.sweep_and_dispatch(_parse_now(now))
    click.echo(
        f"Sent {report.sent}, failed {report.failed}, cancelled {report.cancelled} "
        f"({report.batches} batches)."
    )


@click.command("digest")
@click.option("--now", "now", default=None, help=NOW_HELP)
@with_appcontext
def digest_command(now: str | None) -> None:
    """Add today's digests to the outbox (on hverdage) and send the outbox, once."""
    _log_to_console()
    report = jobs.digest_and_dispatch(_parse_now(now))
    click.echo(f"Sent {report.sent}, failed {report.failed}, cancelled {report.cancelled}.")


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the scheduler: the sweep every minute and the digest at 07:30 on hverdage."""
    from tracker.alerts.scheduler import build_scheduler

    _log_to_console()
    app = current_app._get_current_object()
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        click.echo("SQLite database: run one scheduler process only.", err=True)
    from tracker.intake.poll import poll_all

    scheduler = build_scheduler(
        app,
        jobs.scheduled_sweep,
        jobs.digest_and_dispatch,
        start_at=datetime.now(UTC),
        intake_job=(lambda: poll_all(jobs.app_clock)) if app.config["INTAKE_MAILBOXES"] else None,
    )
    click.echo("Scheduler running (Ctrl-C stops it).")
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()


def init_app(app) -> None:
    """Register the scheduler's commands."""
    app.cli.add_command(sweep_command)
    app.cli.add_command(digest_command)
    app.cli.add_command(scheduler_command)
