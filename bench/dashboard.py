"""Benchmark the overdue dashboard and the compliance report on PostgreSQL at two sizes.

For each size (15,000 and 1,500,000 notifications: five weeks and about ten years of
national volume, at the national rate and ending now, so that the current workload is the
same and only the history grows) the script creates a dedicated database, applies the
migrations, seeds notifications and their deadlines with COPY through psycopg, serves the app with
gunicorn, signs in as a team leader and requests the dashboard's overdue view and
the report 200 times each. It prints p50/p95 per request (measured at the client,
over loopback: the server's time plus a fraction of a millisecond) and the ratio
of the two sizes, then drops the database. The data is realistic in shape: ~100
teams, most old deadlines completed (a tenth of them late), a few thousand open.

Run: .venv/bin/python bench/dashboard.py [--sizes 15000,1500000] [--requests 200] [--explain]
Needs PostgreSQL at TRACKER_BENCH_POSTGRES_URL (default postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import requests

from tracker.domain.local_time import COPENHAGEN, end_of_local_day
from tracker.domain.working_days import add_working_days

ROOT = Path(__file__).resolve().parent.parent

ADMIN_URL = os.environ.get(
    "TRACKER_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TEAMS = 100
CASEWORKERS_PER_TEAM = 8
YEARS = 10
# National intake: about 1,500,000 notifications in ten years, some 410 a day. Every size
# is seeded at this rate, ending now, so both sizes carry the same current workload (the
# open deadlines a dashboard shows) and differ only in history: 15,000 is about five
# weeks, 1,500,000 ten years.
PER_DAY = 1_500_000 / (YEARS * 365)
PASSWORD = "bench-password-1234"
LEADER_EMAIL = "leder1@bench.dk"
SEED = 20260401
CHANNELS = ["email", "digital_form", "phone", "letter", "police", "in_person", "other"]
NOTIFIERS = ["professional"] * 6 + ["citizen"] * 2 + ["anonymous", "police"]
CONCERNS = ["neglect", "violence", "child_wellbeing", "school_absence", "parental_mental_health"]
AGES = ["0-5", "6-11", "12-14", "15-17", None]


def create_database(name: str) -> str:
    """Create an empty database and return its SQLAlchemy URL."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


def drop_database(name: str) -> None:
    """Drop the benchmark database."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlalchemy_url(url: str) -> str:
    """Return the URL with the psycopg 3 driver named."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def migrate(url: str) -> None:
    """Apply the migrations with the tracker command."""
    env = {**os.environ, "TRACKER_DATABASE_URL": sqlalchemy_url(url)}
    subprocess.run(
        [str(ROOT / ".venv/bin/tracker"), "db", "upgrade"], env=env, check=True, capture_output=True
    )


def ts(value: datetime) -> str:
    """Format an aware instant for COPY."""
    return value.strftime("%Y-%m-%d %H:%M:%S+00")


def seed_people(conn: psycopg.Connection) -> dict[int, list[int]]:
    """Create the teams, one leader and eight caseworkers each; return caseworker ids per team."""
    from tracker.people.passwords import hash_password

    now = ts(datetime.now(UTC))
    password_hash = hash_password(PASSWORD)
    team_rows = [(t, f"Team {t}", now) for t in range(1, TEAMS + 1)]
    with conn.cursor().copy("COPY teams (id, name, created_at) FROM STDIN") as copy:
        for row in team_rows:
            copy.write_row(row)
    caseworkers: dict[int, list[int]] = {}
    user_id = 0
    columns = "id, email, name, role, team_id, active, password_hash, session_version, "
    columns += "digest_enabled, created_at"
    with conn.cursor().copy(f"COPY users ({columns}) FROM STDIN") as copy:
        for team in range(1, TEAMS + 1):
            user_id += 1
            copy.write_row(
                (
                    user_id,
                    f"leder{team}@bench.dk",
                    f"Leder {team}",
                    "leader",
                    team,
                    True,
                    password_hash if team == 1 else None,
                    1,
                    True,
                    now,
                )
            )
            for n in range(CASEWORKERS_PER_TEAM):
                user_id += 1
                caseworkers.setdefault(team, []).append(user_id)
                copy.write_row(
                    (
                        user_id,
                        f"r{team}-{n}@bench.dk",
                        f"Rådgiver {team}-{n}",
                        "caseworker",
                        team,
                        True,
                        None,
                        1,
                        True,
                        now,
                    )
                )
    return caseworkers


NOTIFICATION_COLUMNS = (
    "id, reference, received_at, registered_at, registered_by_id, channel, notifier_kind, "
    "child_reference, age_group, summary, team_id, caseworker_id, status"
)
DEADLINE_COLUMNS = (
    "id, notification_id, kind, legal_paragraph, legal_text, starts_at, due_date, overdue_from, "
    "trace, completed_at, completed_by_id, team_id, caseworker_id"
)


class Seeder:
    """Generates notifications and deadlines as COPY text, relative to `now`."""

    def __init__(self, count: int, now: datetime, caseworkers: dict[int, list[int]]):
        self.count, self.now, self.caseworkers = count, now, caseworkers
        self.rng = random.Random(SEED)
        self.deadline_id = 0
        self.open_deadlines = 0

    def completion(self, starts_at: datetime, overdue_from: datetime) -> datetime | None:
        """Decide when (if at all) a deadline was completed: old ones nearly always."""
        rng = self.rng
        age = self.now - overdue_from
        still_open = 0.0003 if age > timedelta(days=30) else 0.12
        if rng.random() < still_open:
            return None
        span = (overdue_from - starts_at).total_seconds()
        if rng.random() < 0.1:  # late
            done = overdue_from + timedelta(seconds=rng.uniform(60, span * 0.5 + 3600))
        else:
            done = starts_at + timedelta(seconds=rng.uniform(span * 0.05, span * 0.99))
        return done if done <= self.now else None

    def deadline_line(self, notification_id, kind, starts_at, due_date, overdue_from, team, worker):
        """Return one COPY line of a deadline."""
        self.deadline_id += 1
        done = self.completion(starts_at, overdue_from)
        if done is None:
            self.open_deadlines += 1
        return (
            "\t".join(
                [
                    str(self.deadline_id),
                    str(notification_id),
                    kind,
                    "§",
                    "-",
                    ts(starts_at),
                    due_date.isoformat(),
                    ts(overdue_from),
                    "[]",
                    ts(done) if done else "\\N",
                    str(worker) if done else "\\N",
                    str(team),
                    str(worker),
                ]
            )
            + "\n"
        )

    def batch(self, first: int, last: int) -> tuple[str, str]:
        """Return the COPY text of notifications first..last-1 and of their deadlines."""
        rng, span = self.rng, int(min(YEARS * 365, self.count / PER_DAY) * 86400)
        notes, deadlines = io.StringIO(), io.StringIO()
        for nid in range(first, last):
            received = self.now - timedelta(seconds=rng.randrange(span))
            team = rng.randrange(1, TEAMS + 1)
            worker = rng.choice(self.caseworkers[team])
            notifier = rng.choice(NOTIFIERS)
            age = rng.choice(AGES)
            rng.choice(CONCERNS)  # drawn as before, so the seed gives the same data
            notes.write(
                "\t".join(
                    [
                        str(nid),
                        f"B-{nid:09d}",
                        ts(received),
                        ts(received),
                        str(worker),
                        rng.choice(CHANNELS),
                        notifier,
                        f"BARN-{rng.randrange(self.count // 2 + 1)}",
                        age or "\\N",
                        "-",
                        str(team),
                        str(worker),
                        "open",
                    ]
                )
                + "\n"
            )
            due = received + timedelta(hours=24)
            deadlines.write(
                self.deadline_line(
                    nid,
                    "assessment",
                    received,
                    due.astimezone(COPENHAGEN).date(),
                    due,
                    team,
                    worker,
                )
            )
            if notifier != "anonymous":
                day = add_working_days(received.astimezone(COPENHAGEN).date(), 6)
                deadlines.write(
                    self.deadline_line(
                        nid, "receipt", received, day, end_of_local_day(day), team, worker
                    )
                )
                if notifier == "professional":
                    deadlines.write(
                        self.deadline_line(
                            nid, "orientation", received, day, end_of_local_day(day), team, worker
                        )
                    )
            if rng.random() < 0.3:
                day = (received + timedelta(days=122)).astimezone(COPENHAGEN).date()
                deadlines.write(
                    self.deadline_line(
                        nid, "investigation", received, day, end_of_local_day(day), team, worker
                    )
                )
        return notes.getvalue(), deadlines.getvalue()


def seed(url: str, count: int) -> float:
    """Seed `count` notifications with their deadlines; return the seconds it took."""
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        # Foreign-key triggers off while loading: the generator makes the references right.
        conn.execute("SET session_replication_role = replica")
        caseworkers = seed_people(conn)
        seeder = Seeder(count, datetime.now(UTC), caseworkers)
        step = 50_000
        for first in range(1, count + 1, step):
            notes, deadlines = seeder.batch(first, min(first + step, count + 1))
            with conn.cursor().copy(f"COPY notifications ({NOTIFICATION_COLUMNS}) FROM STDIN") as c:
                c.write(notes)
            with conn.cursor().copy(f"COPY deadlines ({DEADLINE_COLUMNS}) FROM STDIN") as c:
                c.write(deadlines)
        for table in ("teams", "users", "notifications", "deadlines"):
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            conn.execute(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))")
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(
        f"  seeded {count:,} notifications, {seeder.deadline_id:,} deadlines "
        f"({seeder.open_deadlines:,} open) in {time.perf_counter() - started:.0f} s"
    )
    return time.perf_counter() - started


def free_port() -> int:
    """Return a free local TCP port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(url: str) -> tuple[subprocess.Popen, str]:
    """Start gunicorn on the database; return the process and its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": sqlalchemy_url(url),
        "TRACKER_SECRET_KEY": "bench-" + os.urandom(8).hex(),
        "TRACKER_BASE_URL": f"http://127.0.0.1:{port}",
    }
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "tracker:create_app()",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    return process, f"http://127.0.0.1:{port}"


def wait_until_ready(base: str) -> None:
    """Wait for the health check to answer."""
    for _ in range(300):
        try:
            requests.get(f"{base}/healthz", timeout=5).raise_for_status()
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def signed_in(base: str) -> requests.Session:
    """Return a session signed in as team 1's leader through the real form."""
    session = requests.Session()
    page = session.get(f"{base}/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = session.post(
        f"{base}/login",
        data={"csrf_token": token, "email": LEADER_EMAIL, "password": PASSWORD},
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in failed: {answer.status_code}")
    return session


def timings(session: requests.Session, url: str, count: int) -> list[float]:
    """Request a page `count` times (after 5 warm-ups); return milliseconds per request."""
    for _ in range(5):
        session.get(url).raise_for_status()
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = session.get(url)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times


def percentile(values: list[float], p: float) -> float:
    """Return the p-th percentile (0..100), linear between ranks."""
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def explain(url: str) -> None:
    """Print EXPLAIN (ANALYZE, BUFFERS) of the dashboard's overdue query for team 1."""
    from sqlalchemy.dialects import postgresql

    from tracker.reporting.dashboard import DashboardFilters, StatusFilter, deadlines_statement

    now = datetime.now(UTC)
    statement = deadlines_statement(
        DashboardFilters(team_ids=(1,), status=StatusFilter.OVERDUE), now, 51
    )
    sql = str(
        statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    )
    with psycopg.connect(url) as conn:
        plan = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}").fetchall()
    print("\n".join(row[0] for row in plan))


PAGES = {"dashboard": "/dashboard?status=overdue", "report": "/reports/compliance"}


def run_size(count: int, requests_each: int, show_plan: bool) -> dict[str, list[float]]:
    """Seed, serve and measure one size; drop its database afterwards."""
    name = f"tracker_bench_{count}_{os.getpid()}"
    url = create_database(name)
    process = None
    try:
        migrate(url)
        seed(url, count)
        if show_plan:
            explain(url)
        process, base = serve(url)
        wait_until_ready(base)
        session = signed_in(base)
        return {page: timings(session, base + path, requests_each) for page, path in PAGES.items()}
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        drop_database(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="15000,1500000")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--explain", action="store_true", help="print the dashboard query plan")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"{os.cpu_count()} CPUs; gunicorn with 2 workers; {args.requests} requests a page")
    results = {}
    for count in sizes:
        print(f"{count:,} notifications:")
        results[count] = run_size(count, args.requests, args.explain and count == max(sizes))
        for page, times in results[count].items():
            p50, p95 = percentile(times, 50), percentile(times, 95)
            print(f"  {page:10s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms", flush=True)
    if len(sizes) >= 2:
        small, large = min(sizes), max(sizes)
        for page in PAGES:
            ratio = percentile(results[large][page], 95) / percentile(results[small][page], 95)
            print(f"p95 ratio {large:,} / {small:,} for {page}: {ratio:.2f}")


if __name__ == "__main__":
    main()
