"""`tracker serve` really serves (the `make run` path), and refuses the default secret key."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.slow  # starts the tracker command in processes of its own

TRACKER = str(Path(sys.executable).with_name("tracker"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(
        TRACKER_INSTANCE_DIR=str(tmp_path),
        TRACKER_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}",
        **extra,
    )
    return env


def test_serve_answers_and_opens_on_the_login_page(tmp_path):
    env = _environment(tmp_path, TRACKER_SECRET_KEY="a-real-secret-for-this-test")
    subprocess.run([TRACKER, "db", "upgrade"], env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [TRACKER, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                health = requests.get(f"{base}/healthz", timeout=1)
                break
            except requests.ConnectionError:
                assert server.poll() is None, "tracker serve exited instead of serving"
                time.sleep(0.1)
        assert health.json() == {"status": "ok"}
        front = requests.get(f"{base}/", allow_redirects=False, timeout=5)
        assert front.status_code == 302
        assert front.headers["Location"].endswith("/login")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_refuses_the_default_secret_key(tmp_path):
    result = subprocess.run(
        [TRACKER, "serve", "--port", str(_free_port())],
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "default secret key" in result.stderr


SECRET = "s3cr3t-Feed_Token-42"


def _wait_for(base: str, process: subprocess.Popen) -> None:
    for _ in range(300):
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            assert process.poll() is None, "the server exited instead of serving"
            time.sleep(0.1)
    raise AssertionError("the server did not start")


def test_serve_masks_the_calendar_token_in_its_request_log(tmp_path):
    """Failed before: Werkzeug logged GET /calendar/<token>.ics with the token."""
    env = _environment(tmp_path, TRACKER_SECRET_KEY="a-real-secret-for-this-test")
    subprocess.run([TRACKER, "db", "upgrade"], env=env, check=True, capture_output=True)
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [TRACKER, "serve", "--port", str(port)], env=env, stdout=sink, stderr=sink
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(base, server)
            assert requests.get(f"{base}/calendar/{SECRET}.ics", timeout=5).status_code == 404
        finally:
            server.terminate()
            server.wait(timeout=10)
    text = log.read_text()
    assert "GET /calendar/***.ics" in text
    assert SECRET not in text


def test_gunicorn_with_the_tracker_logger_masks_the_calendar_token(tmp_path):
    """The logger class README and docs/deploy.md name for gunicorn's access log."""
    env = _environment(tmp_path, TRACKER_SECRET_KEY="a-real-secret-for-this-test")
    subprocess.run([TRACKER, "db", "upgrade"], env=env, check=True, capture_output=True)
    port = _free_port()
    access_log = tmp_path / "access.log"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(access_log),
            "--logger-class",
            "tracker.web.request_log.GunicornLogger",
            "tracker:create_app()",
        ],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base, server)
        feed = requests.get(
            f"{base}/calendar/{SECRET}.ics?x=1",
            headers={"Referer": f"{base}/calendar/{SECRET}.ics"},
            timeout=5,
        )
        assert feed.status_code == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = access_log.read_text()
    assert "GET /calendar/***.ics?x=1" in text
    assert SECRET not in text
