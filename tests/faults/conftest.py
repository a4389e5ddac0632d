"""Fixtures of the fault tests: a PostgreSQL server of their own, and figures for the report.

`own_postgres` is one throw-away server for the whole run (initdb in a temporary folder,
its own loopback port); tests stop, restart and stall it, and must leave it running.
Each test gets a fresh database on it from `fault_database`. Figures a test records with
`figures` are printed at the end of the run, after pytest's summary.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "integration"))  # smtp_harness

from harness import PostgresInstance, start_postgres

REQUIRE_POSTGRES = os.environ.get("TRACKER_REQUIRE_POSTGRES") == "1"

_FIGURES: list[str] = []


@pytest.fixture(scope="session")
def own_postgres() -> Iterator[PostgresInstance]:
    """Start a PostgreSQL server of the tests' own; stop it and delete its files after."""
    instance = start_postgres()
    if instance is None:
        reason = "PostgreSQL's server programs (initdb, pg_ctl) are not installed"
        if REQUIRE_POSTGRES:
            pytest.fail(f"TRACKER_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    try:
        yield instance
    finally:
        instance.cleanup()


@pytest.fixture
def fault_database(own_postgres: PostgresInstance, tmp_path_factory) -> Iterator[str]:
    """Return the URL of a fresh, migrated database on the tests' own server."""
    from factories import another_app
    from flask_migrate import upgrade

    from tracker.extensions import db

    if not own_postgres.is_running():  # a test that failed half-way left it stopped
        own_postgres.start()
    url = own_postgres.create_database(f"faults_{uuid.uuid4().hex[:8]}")
    app = another_app(url, tmp_path_factory.mktemp("migrate"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def figures():
    """Return a function that records one line of figures for the end of the run."""

    def record(line: str) -> None:
        _FIGURES.append(line)
        print(line)

    return record


def pytest_terminal_summary(terminalreporter) -> None:
    if _FIGURES:
        terminalreporter.section("fault figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
