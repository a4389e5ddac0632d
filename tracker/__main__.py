"""The `tracker` console script: Flask's CLI group bound to create_app."""

from __future__ import annotations

from flask.cli import FlaskGroup


def _create_app():
    from tracker import create_app

    return create_app()


cli = FlaskGroup(create_app=_create_app, help="Fristsporing: frister for underretninger.")


def main() -> None:
    """Run the `tracker` command."""
    cli.main(prog_name="tracker")
