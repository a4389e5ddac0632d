"""Benchmark the alert sweep and dispatch on PostgreSQL.

1. Sweep: seed 10,000 notifications (one deadline each) of which 1,000 deadlines are due,
   time one sweep; grow the table to 1,500,000 notifications with the same 1,000 due and
   time one sweep again. Prints both and the ratio (target <= 2: the sweep reads through
   the partial index on next_alert_at, so the table's size should not matter).
2. `tracker sweep --once` as its own process over the full table: the same 1,000 due
   deadlines (2,000 alerts) and, as it is past 07:30 on a hverdag, the day's digests of
   every caseworker with open deadlines (thousands each). Its e-mails per second and the
   peak RSS of that process alone, its VmHWM sampled from /proc (target <= 150 MB; wait4
   would include this script's own memory, see bench/procmem.py).
3. Dispatch: 10,000 pending e-mails sent to a local aiosmtpd sink (a separate process),
   e-mails per second, next to a bare smtplib loop over one connection sending the same
   number of messages of the same size (target >= 0.5 of it). The bare loop sends one
   e-mail built once with the standard library (EmailMessage, as a typical smtplib program
   would) with `send_message`; for reference a second loop sends prebuilt bytes with
   `sendmail`, the floor of what any SMTP client in Python can do over one connection.

Everything talks to 127.0.0.1 only. The database tracker_bench_alerts (or
TRACKER_BENCH_DB) is created and dropped by the script.
Run: .venv/bin/python bench/alerts.py [--size 1500000] [--due 1000] [--mails 10000]
Needs PostgreSQL at TRACKER_BENCH_POSTGRES_URL (default postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import os
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

import psycopg
from procmem import PeakMemory, vm_hwm_kb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ADMIN_URL = os.environ.get(
    "TRACKER_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
# Its own name, so two runs on one server do not drop each other's database.
DB_NAME = os.environ.get("TRACKER_BENCH_DB", "tracker_bench_alerts")
NOW = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
TEAMS = 100
SWEEP_TIMEOUT = 900  # seconds: `tracker sweep --once` is killed after this
WORKERS_PER_TEAM = 10


def db_url(driver: str = "postgresql") -> str:
    base = ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{DB_NAME}".replace("postgresql://", f"{driver}://", 1)


def recreate_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def make_app():
    from config import Config
    from tracker import create_app

    settings = type(
        "BenchConfig",
        (Config,),
        {"SQLALCHEMY_DATABASE_URI": db_url("postgresql+psycopg"), "MAIL_SMTP_HOST": None},
    )
    return create_app(settings)


def seed_people(conn: psycopg.Connection) -> None:
    with conn.cursor().copy("COPY teams (id, name, created_at) FROM STDIN") as copy:
        for team in range(1, TEAMS + 1):
            copy.write_row((team, f"Team {team}", NOW))
    columns = "id, email, name, role, team_id, active, session_version, digest_enabled, created_at"
    with conn.cursor().copy(f"COPY users ({columns}) FROM STDIN") as copy:
        user_id = 0
        for team in range(1, TEAMS + 1):
            for n in range(WORKERS_PER_TEAM + 1):
                user_id += 1
                role = "leader" if n == 0 else "caseworker"
                row = (user_id, f"u{user_id}@bench.test", f"U {user_id}", role, team, True, 1)
                copy.write_row((*row, True, NOW))
    conn.execute("SELECT setval('teams_id_seq', %s)", (TEAMS,))
    conn.execute("SELECT setval('users_id_seq', %s)", (user_id,))


def caseworker_of(n: int) -> tuple[int, int]:
    team = n % TEAMS + 1
    worker = (team - 1) * (WORKERS_PER_TEAM + 1) + 2 + n % WORKERS_PER_TEAM
    return team, worker


def seed_notifications(conn: psycopg.Connection, first: int, last: int, due: set[int]) -> None:
    """Write notifications first..last with one assessment deadline each; `due` are due now."""
    n_cols = (
        "id, reference, received_at, registered_at, registered_by_id, channel, notifier_kind,"
        " child_reference, summary, team_id, caseworker_id, status"
    )
    with conn.cursor().copy(f"COPY notifications ({n_cols}) FROM STDIN") as copy:
        for n in range(first, last + 1):
            team, worker = caseworker_of(n)
            received = NOW - timedelta(minutes=n % 500_000)
            copy.write_row(
                (n, f"B-{n:09d}", received, received, worker, "email", "professional",
                 f"C{n}", "x", team, worker, "open")
            )  # fmt: skip
    d_cols = (
        "id, notification_id, kind, legal_paragraph, legal_text, starts_at, due_date,"
        " overdue_from, trace, team_id, caseworker_id, next_alert_at, completed_at,"
        " completed_by_id"
    )
    with conn.cursor().copy(f"COPY deadlines ({d_cols}) FROM STDIN") as copy:
        for n in range(first, last + 1):
            copy.write_row(deadline_row(n, n in due))


def deadline_row(n: int, is_due: bool) -> tuple:
    team, worker = caseworker_of(n)
    if is_due:  # received 30 hours ago: its overdue alert is due
        received = NOW - timedelta(hours=30)
        next_at, completed = received + timedelta(hours=20), None
    elif n % 2:  # done long ago: nothing left to alert
        received = NOW - timedelta(days=400 + n % 3000)
        next_at, completed = None, received + timedelta(hours=3)
    else:  # open, its next alert in the future
        received = NOW - timedelta(hours=n % 19)
        next_at, completed = received + timedelta(hours=20), None
    overdue = received + timedelta(hours=24)
    return (
        n, n, "assessment", "§ 137", "24 timer", received, overdue.date(), overdue, "[]",
        team, worker, next_at, completed, worker if completed else None,
    )  # fmt: skip


def due_ids(count: int, size: int) -> set[int]:
    step = max(size // count, 1)
    return {1 + i * step for i in range(count)}


def timed_sweep(app) -> tuple[float, int]:
    from tracker.alerts import jobs

    with app.app_context():
        started = time.perf_counter()
        written = jobs.sweep(NOW)
        return time.perf_counter() - started, written


def rearm(conn: psycopg.Connection, due: set[int]) -> None:
    """Make the same deadlines due again, as before the last sweep."""
    conn.execute("DELETE FROM alerts")
    conn.execute(
        "UPDATE deadlines SET next_alert_at = %s WHERE id = ANY(%s)",
        (NOW - timedelta(hours=10), sorted(due)),
    )
    conn.commit()


def bench_sweep(app, size: int, due_count: int) -> set[int]:
    small = min(10_000, size)
    due = due_ids(due_count, small)
    with psycopg.connect(db_url(), autocommit=False) as conn:
        seed_people(conn)
        started = time.perf_counter()
        seed_notifications(conn, 1, small, due)
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
        conn.autocommit = False
        print(f"seeded {small:,} notifications in {time.perf_counter() - started:.1f} s")
        timed_sweep(app)  # the first run pays for connecting and compiling statements
        rearm(conn, due)
        small_time, written = timed_sweep(app)
        print(f"sweep, {small:,} notifications, {len(due):,} due: {small_time * 1000:.0f} ms"
              f" ({written:,} alerts written)")  # fmt: skip
        rearm(conn, due)
        started = time.perf_counter()
        for first in range(small + 1, size + 1, 100_000):
            seed_notifications(conn, first, min(first + 99_999, size), set())
            conn.commit()
        conn.execute("SELECT setval('notifications_id_seq', %s)", (size,))
        conn.execute("SELECT setval('deadlines_id_seq', %s)", (size,))
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
        print(f"seeded up to {size:,} notifications in {time.perf_counter() - started:.1f} s")
        large_time, written = timed_sweep(app)
        print(f"sweep, {size:,} notifications, {len(due):,} due: {large_time * 1000:.0f} ms"
              f" ({written:,} alerts written)")  # fmt: skip
        print(f"ratio large/small: {large_time / small_time:.2f} (target <= 2)")
    return due


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_sink() -> tuple[subprocess.Popen, int]:
    port = free_port()
    sink = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Sink"]
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return sink, port
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the SMTP sink did not start")


def seed_pending_mails(conn: psycopg.Connection, count: int) -> None:
    """Queue `count` pending e-mails about open deadlines (one per deadline and caseworker)."""
    conn.execute("DELETE FROM alerts")
    conn.execute(
        """
        INSERT INTO alerts (deadline_id, notification_id, stage, recipient_id, recipient_email,
                            subject, created_at, due_at, status, attempts, next_attempt_at)
        SELECT d.id, d.notification_id, 'overdue', d.caseworker_id, u.email,
               'Frist overskredet: 24-timers vurdering, B-' || d.id, %(now)s, %(now)s,
               'pending', 0, %(now)s
        FROM deadlines d JOIN users u ON u.id = d.caseworker_id
        WHERE d.completed_at IS NULL ORDER BY d.id LIMIT %(count)s
        """,
        {"now": NOW, "count": count},
    )
    conn.commit()


def stdlib_email(message, sender: str) -> EmailMessage:
    """Build the e-mail with the standard library's EmailMessage (the bare loop's message)."""
    email = EmailMessage()
    email["Message-ID"] = message.message_id
    email["Date"] = format_datetime(NOW)
    email["From"] = sender
    email["To"] = ", ".join(message.to)
    email["Subject"] = message.subject
    email["Auto-Submitted"] = "auto-generated"
    email["X-Auto-Response-Suppress"] = "All"
    for name, value in message.headers.items():
        email[name] = value
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    email["Content-Language"] = "da"
    return email


def bench_dispatch(app, count: int, port: int) -> None:
    from tracker.alerts import jobs
    from tracker.mail.transport import SmtpTransport
    from tracker.mail.wire import Sender, wire_email

    with psycopg.connect(db_url()) as conn:
        seed_pending_mails(conn, count)
    transport = SmtpTransport("127.0.0.1", port, sender="Fristsporing <f@bench.test>")
    with app.app_context():
        started = time.perf_counter()
        report = jobs.dispatch(lambda: NOW, transport)
        ours = time.perf_counter() - started
        # The same e-mail, built once, sent `count` times over one connection.
        from tracker.alerts import compose
        from tracker.extensions import db
        from tracker.models import Alert

        sample = db.session.scalars(db.select(Alert.id).limit(1)).all()
        composed = compose.compose(sample, NOW, app.config).messages[0][1]
        message = stdlib_email(composed, "Fristsporing <f@bench.test>")
        wire = wire_email(composed, Sender.parse("Fristsporing <f@bench.test>"), NOW).data
    assert report.sent == count, report
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for _ in range(count):
            smtp.send_message(message)
    bare = time.perf_counter() - started
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for _ in range(count):
            smtp.sendmail("f@bench.test", list(composed.to), wire)
    raw = time.perf_counter() - started
    size = len(message.as_bytes(policy=SMTP))
    print(f"dispatch: {count / ours:,.0f} e-mails/s ({count:,} in {ours:.1f} s, "
          f"{report.batches} batches, {len(wire):,} bytes each); "
          f"bare smtplib loop (send_message, {size:,} bytes): {count / bare:,.0f} e-mails/s; "
          f"ratio {bare / ours:.2f} (target >= 0.5)")  # fmt: skip
    print(f"for reference, prebuilt bytes with sendmail over one connection: "
          f"{count / raw:,.0f} e-mails/s; ratio {raw / ours:.2f}")  # fmt: skip


def bench_rss(due: set[int], port: int) -> None:
    """Run `tracker sweep --once` as its own process: its peak RSS and e-mails per second."""
    with psycopg.connect(db_url()) as conn:
        rearm(conn, due)
    env = os.environ | {
        "TRACKER_DATABASE_URL": db_url("postgresql+psycopg"),
        "TRACKER_SMTP_HOST": "127.0.0.1",
        "TRACKER_SMTP_PORT": str(port),
        "TRACKER_SECRET_KEY": "bench",
    }
    tracker = Path(sys.executable).with_name("tracker")
    with tempfile.TemporaryFile("w+") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(tracker), "sweep", "--once", "--now", NOW.isoformat()],
            env=env, stdout=output, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        timer = threading.Timer(SWEEP_TIMEOUT, process.kill)  # bounded in time
        timer.start()
        # VmHWM of that process, sampled (see bench/procmem.py): wait4's ru_maxrss would
        # start from this script's own size, which fork and exec hand on to the child.
        memory = PeakMemory([process.pid])
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        memory.stop()
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        lines = output.read().strip().splitlines()
    if process.returncode != 0:
        raise RuntimeError(f"tracker sweep --once failed ({process.returncode}): {lines[-5:]}")
    summary = lines[-1]  # "Sent 2060, failed 0, cancelled 0 (11 batches)."
    sent = int(summary.split()[1].rstrip(","))
    peak_mb = memory.peak_mb(process.pid)
    own_mb = vm_hwm_kb(os.getpid()) / 1024
    print(f"tracker sweep --once ({len(due):,} deadlines due of the full table, and the day's"
          f" digests): {summary} in {elapsed:.1f} s, {sent / elapsed:,.0f} e-mails/s;"
          f" peak RSS of that process alone (VmHWM) {peak_mb:.0f} MB (target <= 150);"
          f" wait4 said {usage.ru_maxrss / 1024:.0f} MB, this script's own peak being"
          f" {own_mb:.0f} MB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_500_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--mails", type=int, default=10_000)
    args = parser.parse_args()
    print(f"alerts benchmark, {date.today()}, PostgreSQL at {ADMIN_URL.rsplit('@', 1)[-1]}")
    recreate_database()
    sink = None
    try:
        from flask_migrate import upgrade

        app = make_app()
        with app.app_context():
            upgrade()
        due = bench_sweep(app, args.size, args.due)
        sink, port = start_sink()
        bench_rss(due, port)
        bench_dispatch(app, args.mails, port)
    finally:
        if sink is not None:
            sink.terminate()
            sink.wait()
        with make_app().app_context():
            from tracker.extensions import db

            db.engine.dispose()
        drop_database()


if __name__ == "__main__":
    main()
