"""Serve the app to a real browser: a migrated SQLite file, a fixed clock, a server thread.

Shared by the browser tests through the fixtures in tests/browser/conftest.py; the constants
are imported directly (`from live import NOW`).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The app's clock: Wednesday 11 March 2026, 16:30 in Copenhagen.
NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)


def require_chromium() -> None:
    """Skip (or fail on CI) when Debian's Chromium is not installed."""
    if shutil.which(CHROMIUM):
        return
    reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@contextmanager
def serve_app(directory: Path, populate: Callable[[], None]) -> Iterator[str]:
    """Serve the app on 127.0.0.1 from a thread after `populate()` filled its database.

    populate() runs inside an app context on the freshly migrated database and commits.
    Yields the base URL.
    """
    from flask_migrate import upgrade

    from config import TestConfig
    from tracker import create_app
    from tracker.extensions import db

    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'browser.db'}",
        "INSTANCE_PATH": str(directory / "instance"),
        "WTF_CSRF_ENABLED": True,
        "CLOCK": staticmethod(lambda: NOW),
    }
    app = create_app(type("BrowserConfig", (TestConfig,), settings))
    with app.app_context():
        upgrade()
        populate()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()
