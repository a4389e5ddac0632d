"""The long fault runs: a 60-second PostgreSQL outage under web load, and a 30-second hang.

The same machinery as tests/faults/ (a PostgreSQL of its own, initdb in a temporary
folder on its own loopback port; gunicorn; a bounded load of clients), for the lengths
the tests are too short for. Prints figures; asserts nothing.

Run: .venv/bin/python bench/faults.py [--outage 60] [--hang 30] [--clients 4]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests" / "faults"), str(ROOT / "tests")]

from harness import Load, serve, signed_in, start_postgres  # noqa: E402

SUCCESS = {"page": {200}, "register": {201}, "ready": {200}}
EMAIL, PASSWORD = "anna@nord.bench", "fejlbench-adgangskode-1234"


def seed(url: str, instance: Path) -> str:
    from factories import another_app, make_team, make_user
    from flask_migrate import upgrade

    from tracker.alerts import heartbeat
    from tracker.clock import now
    from tracker.extensions import db
    from tracker.models import Role
    from tracker.people import tokens

    app = another_app(url, instance)
    with app.app_context():
        upgrade()
        anna = make_user(role=Role.CASEWORKER, team=make_team("Team Nord"), email=EMAIL,
                         password=PASSWORD)  # fmt: skip
        _row, token = tokens.create_token(anna, "Fejlbench", by=None, now=now())
        heartbeat.record_sweep(now())
        db.session.commit()
        db.engine.dispose()
    return token


def summary(label: str, load: Load, start: float, end: float, until: float) -> None:
    """Figures of the answers from `start` to `end` (the fault), and up to `until` after."""
    answers = [a for a in load.answers if start <= a.at < until]
    statuses = Counter(a.status for a in answers)
    during = [a for a in answers if a.at < end]
    after = [a for a in answers if a.at >= end]
    ok_after = sum(a.status in SUCCESS[a.kind] for a in after)
    slowest = max((a.seconds for a in during), default=0)
    first_ok = min((a.at - end for a in after if a.status in SUCCESS[a.kind]), default=None)
    print(f"{label}: {len(answers)} requests; statuses {dict(sorted(statuses.items()))}")
    print(f"  during: {len(during)} answers, slowest {slowest:.2f} s; "
          f"after: {ok_after}/{len(after)} successful, the first "
          f"{'-' if first_ok is None else f'{first_ok:.2f} s'} after the end")  # fmt: skip
    print(f"  500 answers: {statuses[500]} (target 0); unanswered: {statuses[0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage", type=float, default=60)
    parser.add_argument("--hang", type=float, default=30)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    postgres = start_postgres()
    if postgres is None:
        raise SystemExit("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    with tempfile.TemporaryDirectory(prefix="fristsporing-faults-") as folder:
        instance = Path(folder)
        try:
            url = postgres.create_database("faults")
            token = seed(url, instance)
            web = serve(url, instance, DATABASE_CONNECT_TIMEOUT="2", DATABASE_STATEMENT_TIMEOUT="2")
            try:
                session = signed_in(web.base, EMAIL, PASSWORD)
                load = Load(
                    web.base,
                    session,
                    token,
                    clients=args.clients,
                    pause=0.05,
                    max_seconds=args.outage + args.hang + 60,
                    max_requests=100_000,
                )
                with load:
                    time.sleep(3)
                    stopped = load.elapsed()
                    postgres.stop("fast")
                    time.sleep(args.outage)
                    postgres.start()
                    back = load.elapsed()
                    time.sleep(5)
                    hang_start = load.elapsed()
                    hang(url, args.hang)
                    hang_end = load.elapsed()
                    time.sleep(5)
                    finished = load.elapsed()
                summary(f"PostgreSQL stopped for {back - stopped:.0f} s", load, stopped, back,
                        hang_start)  # fmt: skip
                summary(f"tables locked for {hang_end - hang_start:.0f} s (statement timeout 2 s)",
                        load, hang_start, hang_end, finished)  # fmt: skip
            finally:
                web.stop()
        finally:
            postgres.cleanup()


def hang(url: str, seconds: float) -> None:
    """Hold an exclusive lock on the tables every request reads, for `seconds`."""
    import psycopg

    done = threading.Event()
    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        conn.execute("LOCK TABLE users, notifications, deadlines IN ACCESS EXCLUSIVE MODE")
        done.wait(timeout=seconds)


if __name__ == "__main__":
    main()
