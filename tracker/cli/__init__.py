"""Commands of the `tracker` CLI group, registered on the app."""

from __future__ import annotations

import os

import click
from flask import Flask, current_app

from config import DEFAULT_SECRET_KEY, local_base_url
from tracker.cli import demo, intake, people


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve_command(host: str, port: int) -> None:
    """Serve the web app on one machine (use gunicorn in production)."""
    app = current_app._get_current_object()
    if app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY and not app.debug:
        raise click.ClickException(
            "Refusing to start with the default secret key: set TRACKER_SECRET_KEY "
            "(or TRACKER_DEBUG=1 for development)."
        )
    if not os.environ.get("TRACKER_BASE_URL"):
        # Links in the feed and e-mails point where this server is.
        app.config["BASE_URL"] = local_base_url(host, port)
    # Not app.run(): Flask ignores it inside a `flask`-style CLI command and returns at once.
    from werkzeug.serving import run_simple

    from tracker.web.request_log import MaskingRequestHandler

    run_simple(
        host,
        port,
        app,
        use_debugger=app.debug,
        use_reloader=False,
        threaded=True,
        request_handler=MaskingRequestHandler,
    )


def init_app(app: Flask) -> None:
    """Register the commands on the app's CLI group."""
    from tracker.cli import database, operations, rules, scheduler  # noqa: F401  (database: `db` commands)
    from tracker.cli.calc import calc_command

    app.cli.add_command(serve_command)
    people.init_app(app)
    demo.init_app(app)
    app.cli.add_command(calc_command)
    scheduler.init_app(app)
    operations.init_app(app)
    rules.init_app(app)
    intake.init_app(app)
