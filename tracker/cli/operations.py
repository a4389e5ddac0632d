"""Commands for the IT department: `tracker check` (readiness) and `tracker purge` (retention)."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import DBAPIError

from tracker import clock
from tracker.extensions import db
from tracker.intake import retention as intake_retention
from tracker.operations import readiness, retention


@click.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print /readyz's JSON instead of lines.")
@with_appcontext
def check_command(as_json: bool) -> None:
    """Tell whether the tracker is ready (as /readyz); exit status 1 when it is not."""
    result = readiness.check(clock.now())
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(result.lines()))
    if not result.ready:
        raise SystemExit(1)


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would be anonymised and deleted.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Anonymise closed cases and delete old access-log rows, as the retention settings say.

    Closed cases closed more than TRACKER_RETENTION_MONTHS ago lose their personal data and
    free text; access-log rows older than TRACKER_AUDIT_RETENTION_MONTHS are deleted (as the
    schema owner: the runtime role may not delete from the log). Unset or 0: kept.
    """
    config = current_app.config
    months = int(config.get("RETENTION_MONTHS") or 0)
    audit_months = int(config.get("AUDIT_RETENTION_MONTHS") or 0)
    if months <= 0 and audit_months <= 0:
        raise click.UsageError(
            "Nothing to purge: set TRACKER_RETENTION_MONTHS (closed cases) and/or "
            "TRACKER_AUDIT_RETENTION_MONTHS (the access log) to the months the "
            "municipality keeps them."
        )
    now = clock.now()
    planned = retention.plan(now, months, audit_months)
    db.session.rollback()
    _echo_plan(planned, dry_run)
    if dry_run:
        return
    cases = 0
    if planned.cases_closed_before is not None:
        while True:  # a batch a transaction: each case is anonymised whole, or not yet
            done = retention.anonymise_batch(now, planned.cases_closed_before)
            db.session.commit()
            if not done:
                break
            cases += done
        # Intake items marked "ikke en underretning" as long ago as those cases were closed.
        while intake_retention.purge_dismissed_batch(now, planned.cases_closed_before):
            db.session.commit()
    rows = 0
    if planned.audit_before is not None:
        try:
            rows = retention.purge_audit_log(planned.audit_before)
            db.session.commit()
        except DBAPIError as exc:
            db.session.rollback()
            raise click.ClickException(
                "The access log could not be purged (run this as the schema owner, see "
                f"docs/deploy.md): {type(exc.orig or exc).__name__}"
            ) from None
    done = retention.Plan(planned.cases_closed_before, cases, planned.audit_before, rows)
    retention.record_run(now, done)
    db.session.commit()
    click.echo(f"Anonymised {cases} closed cases; deleted {rows} access-log rows.")


def _echo_plan(planned: retention.Plan, dry_run: bool) -> None:
    would = "would be" if dry_run else "to be"
    if planned.cases_closed_before is None:
        click.echo("Closed cases: kept (TRACKER_RETENTION_MONTHS is not set).")
    else:
        before = planned.cases_closed_before.date().isoformat()
        click.echo(f"Closed cases closed before {before}: {planned.cases} {would} anonymised.")
    if planned.audit_before is None:
        click.echo("Access log: kept (TRACKER_AUDIT_RETENTION_MONTHS is not set).")
    else:
        before = planned.audit_before.date().isoformat()
        click.echo(f"Access-log rows before {before}: {planned.audit_rows} {would} deleted.")


def init_app(app) -> None:
    """Register the operations commands."""
    app.cli.add_command(check_command)
    app.cli.add_command(purge_command)
