"""`tracker intake poll`: read the intake mailboxes once (the scheduler does it every minute)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from tracker import clock

intake_group = AppGroup("intake", help="Intake: the underretning mailboxes.")


@intake_group.command("poll")
def poll_command() -> None:
    """Poll every configured mailbox once; exit status 1 if one could not be read."""
    from tracker.intake.mailboxes import mailboxes_from_config
    from tracker.intake.poll import poll_all

    try:
        configured = mailboxes_from_config(current_app.config)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if not configured:
        click.echo("No intake mailboxes are configured (TRACKER_INTAKE_MAILBOXES).")
        return
    report = poll_all(clock.now)
    for name, count in report.new.items():
        click.echo(f"{name}: {count} new")
    for name, error in report.failed.items():
        click.echo(f"{name}: FEJL {error}", err=True)
    if report.failed:
        raise SystemExit(1)


def init_app(app) -> None:
    """Register the intake commands."""
    app.cli.add_command(intake_group)
