"""The one place the app reads the time: `now()`, which tests can replace.

Set app.config["CLOCK"] to a callable returning an aware UTC datetime to fix the
time a request, command or job sees (tests, demos). The domain never calls this;
the edge passes `now` in.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, has_app_context


def now() -> datetime:
    """Return the current time as an aware UTC datetime (app.config["CLOCK"] if set)."""
    if has_app_context():
        clock = current_app.config.get("CLOCK")
        if clock is not None:
            value = clock()
            if value.tzinfo is None:
                raise ValueError("CLOCK must return an aware datetime")
            return value.astimezone(UTC)
    return datetime.now(UTC)
