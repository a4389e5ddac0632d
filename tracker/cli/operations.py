"""Commands for the IT department: `tracker check` (readiness) and `tracker purge` (retention)."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from tracker import clock, readiness


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


def init_app(app) -> None:
    """Register the operations commands."""
    app.cli.add_command(check_command)
