"""Issue 12, bug 9: links go where the app is (host and port), unless TRACKER_BASE_URL is set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from config import local_base_url

ROOT = Path(__file__).resolve().parents[2]


def base_url_with(**variables: str) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    environment.update(variables)
    result = subprocess.run(
        [sys.executable, "-c", "import config; print(config.Config.BASE_URL)"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_the_base_url_follows_host_and_port():
    assert base_url_with(TRACKER_PORT="5101") == "http://127.0.0.1:5101"
    everywhere = "0.0.0.0"  # noqa: S104  (a host name to read, nothing is bound)
    assert base_url_with(TRACKER_HOST=everywhere, TRACKER_PORT="8080") == "http://localhost:8080"
    assert base_url_with() == "http://127.0.0.1:5000"


def test_tracker_base_url_wins():
    url = base_url_with(TRACKER_BASE_URL="https://frister.kommune.dk", TRACKER_PORT="5101")
    assert url == "https://frister.kommune.dk"


def test_make_run_tells_the_server_and_the_scheduler_the_port():
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=5101"], cwd=ROOT, capture_output=True, text=True
    ).stdout.replace("\\\n", " ")
    line = next(text for text in plan.splitlines() if "tracker serve" in text)
    assert "TRACKER_PORT=5101" in line and "--port 5101" in line
    assert line.index("TRACKER_PORT=5101") < line.index("tracker scheduler")


def test_a_bind_all_host_becomes_this_machine():
    assert local_base_url("::", 5000) == "http://localhost:5000"
