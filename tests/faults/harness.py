"""What the fault tests (and bench/faults.py) run against: a PostgreSQL of their own, the
web app under gunicorn, and a bounded load of clients on loopback.

The PostgreSQL instance is created with initdb in a temporary folder and listens on its
own loopback port, so a test can stop, restart or stall it without touching the shared
server on 5432. PostgreSQL refuses to run as root: when the tests run as root the
server's commands run as the `postgres` user (runuser), in a folder that user owns.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def postgres_bin() -> Path | None:
    """Return the folder of initdb/pg_ctl (Debian keeps them out of PATH), or None."""
    found = shutil.which("pg_config")
    if found:
        bindir = subprocess.run([found, "--bindir"], capture_output=True, text=True).stdout
        if (Path(bindir.strip()) / "initdb").exists():
            return Path(bindir.strip())
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return versions[0].parent if versions else None


class PostgresInstance:
    """A throw-away PostgreSQL server: initdb, start, stop, restart, stall; always cleaned up."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self.folder = Path(tempfile.mkdtemp(prefix="fristsporing-faults-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def initdb(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses={HOST} -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: "fast" ends every connection, as a restart or a failover does."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def is_running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def url(self, database: str = "postgres", driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://postgres@{HOST}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(driver="postgresql"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def cleanup(self) -> None:
        if self.data.exists():
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


def start_postgres() -> PostgresInstance | None:
    """Create and start an instance; None when PostgreSQL's server programs are missing."""
    bindir = postgres_bin()
    if bindir is None:
        return None
    instance = PostgresInstance(bindir)
    try:
        instance.initdb()
        instance.start()
    except BaseException:
        instance.cleanup()
        raise
    return instance


@dataclass
class Web:
    """gunicorn serving the app; stopped by stop() (SIGTERM to its process group)."""

    process: subprocess.Popen
    base: str

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


def serve(database_url: str, instance_dir: Path, *, workers: int = 2, **settings: str) -> Web:
    """Start gunicorn on the database with TRACKER_ settings; return when /healthz answers."""
    port = free_port()
    env = os.environ | {
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_SECRET_KEY": "faults-" + os.urandom(8).hex(),
        "TRACKER_BASE_URL": f"http://{HOST}:{port}",
        "TRACKER_INSTANCE_DIR": str(instance_dir),
        **{f"TRACKER_{name}": value for name, value in settings.items()},
    }
    command = [
        str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"{HOST}:{port}",
        "--timeout", "30", "--log-level", "warning", "tracker:create_app()",
    ]  # fmt: skip
    log = open(instance_dir / "gunicorn.log", "ab")  # noqa: SIM115 - kept open for the server
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )
    web = Web(process, f"http://{HOST}:{port}")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{web.base}/healthz", timeout=2).status_code == 200:
                return web
        except requests.RequestException:
            time.sleep(0.1)
    web.stop()
    raise RuntimeError("gunicorn did not start")


def signed_in(base: str, email: str, password: str) -> requests.Session:
    """Return a browser-like session signed in through the real login form."""
    session = requests.Session()
    page = session.get(f"{base}/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = session.post(
        f"{base}/login",
        data={"csrf_token": token, "email": email, "password": password},
        allow_redirects=False,
        timeout=10,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in failed: {answer.status_code}")
    return session


@dataclass
class Answer:
    at: float  # seconds since the load started
    kind: str  # "page", "register", "ready"
    status: int  # 0: no HTTP answer at all
    seconds: float
    body: str = ""
    headers: dict = field(default_factory=dict)


class Load:
    """Clients requesting pages and registering notifications until stopped (or a limit).

    Bounded: at most `max_seconds` and `max_requests` in all; loopback only.
    """

    def __init__(
        self,
        base: str,
        page_session: requests.Session,
        token: str,
        *,
        clients: int = 4,
        max_seconds: float = 120,
        max_requests: int = 20_000,
        pause: float = 0,
    ) -> None:
        self.base, self.page_session, self.token = base, page_session, token
        self.clients, self.max_seconds, self.max_requests = clients, max_seconds, max_requests
        self.pause = pause  # seconds a client waits between its requests
        self.answers: list[Answer] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.started = 0.0

    def __enter__(self) -> Load:
        self.started = time.monotonic()
        for number in range(self.clients):
            thread = threading.Thread(target=self._client, args=(number,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def _client(self, number: int) -> None:
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {self.token}"
        count = 0
        while not self._stop.is_set() and self.elapsed() < self.max_seconds:
            with self._lock:
                if len(self.answers) >= self.max_requests:
                    return
            count += 1
            if self.pause:
                self._stop.wait(self.pause)
            if number % 2 == 0:
                self._request("page", self.page_session.get, f"{self.base}/dashboard")
            elif count % 10 == 0:
                self._request("ready", requests.get, f"{self.base}/readyz")
            else:
                self._request(
                    "register", api.post, f"{self.base}/api/v1/notifications", json=notification()
                )

    def _request(self, kind: str, method, url: str, **kwargs) -> None:
        at = self.elapsed()
        started = time.monotonic()
        try:
            response = method(url, timeout=60, allow_redirects=False, **kwargs)
            answer = Answer(
                at, kind, response.status_code, time.monotonic() - started,
                response.text if response.status_code >= 500 else "", dict(response.headers),
            )  # fmt: skip
        except requests.RequestException as exc:
            answer = Answer(at, kind, 0, time.monotonic() - started, type(exc).__name__)
        with self._lock:
            self.answers.append(answer)

    def statuses(self, since: float = 0, until: float = float("inf")) -> Counter:
        return Counter(a.status for a in self.answers if since <= a.at < until)


def notification() -> dict:
    """One registration's JSON, as a case system would send it (an hour ago)."""
    from datetime import UTC, datetime, timedelta

    received = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds")
    return {
        "received_at": received,
        "channel": "email",
        "notifier_kind": "professional",
        "notifier_contact": "Skolen, 12 34 56 78",
        "child_reference": "SAG-FAULT-1",
        "concerns": ["neglect"],
        "summary": "Fejltest: registreret under belastning.",
    }
