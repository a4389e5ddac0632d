"""Load test: the tracker at national scale on this machine, with its baselines in the same run.

PostgreSQL seeded with --size notifications (bench/dashboard.py's seeder; 1,500,000 is ten
years of national volume), two gunicorn instances of two workers each, two `tracker
scheduler` processes and an aiosmtpd sink (bench/load_sink.py). --users simulated
caseworkers and leaders (bench/load_users.py) sign in and, for --duration seconds, open
case lists and cases, complete deadlines, tick action-card steps, register underretninger
and view the dashboard, each followed by a static page of the dashboard's size served by
the same app. Then --burst seconds of registrations as fast as --burst-clients clients can
send them, and as long against a minimal Flask app doing one INSERT into the same database
(bench/load_app.py). Meanwhile --alerts deadlines fall due; at the end the script checks
that every alert due in the run was sent exactly once (in the sink and in the database)
and prints the alert latency (sink acceptance minus due time).

Loopback only; bounded in time (every wait has a limit) and stops by itself; the database
tracker_load_<pid> is created and dropped. Needs PostgreSQL at TRACKER_BENCH_POSTGRES_URL.
Run: .venv/bin/python bench/load.py [--size 1500000] [--users 50] [--duration 300]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import requests
from dashboard import (
    PASSWORD,
    create_database,
    drop_database,
    free_port,
    migrate,
    seed,
    sqlalchemy_url,
    wait_until_ready,
)
from load_report import print_alerts, print_pages, sink_log
from load_setup import (
    accounts,
    alerts_since,
    arm_alerts,
    make_app,
    open_cases,
    unsent,
    write_history,
)
from load_users import Account, User, burst, run_users
from procmem import PeakMemory

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STATIC_COPY = ROOT / "tracker/static/load-test-dashboard-copy.html"
ALERT_WAIT = 200  # seconds after the load for the last alerts (the sweep runs every minute)


def start(command: list[str], env: dict, log) -> subprocess.Popen:
    """Start a server in its own process group, output to `log`."""
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen) -> None:
    """Stop a server and its workers: SIGTERM to its group, SIGKILL after 30 s."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def gunicorn(app: str, port: int, workers: int, env: dict, log, *extra: str) -> subprocess.Popen:
    command = [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    return start([*command, "--log-level", "warning", *extra, app], env, log)


def wait_for_port(port: int, seconds: float = 30) -> None:
    import socket

    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_500_000, help="notifications seeded")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=300, help="seconds of mixed load")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time, seconds")
    parser.add_argument("--alerts", type=int, default=600, help="deadlines due in the run")
    parser.add_argument("--burst", type=int, default=20, help="seconds of each burst")
    parser.add_argument("--burst-clients", type=int, default=8)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    load = os.getloadavg()
    print(f"load test, {date.today()}, {os.cpu_count()} CPUs, load average at start "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {args.size:,} notifications, "
          f"{args.users} users for {args.duration} s (think {args.think} s), "
          f"{args.alerts} deadlines falling due", flush=True)  # fmt: skip
    name = f"tracker_load_{os.getpid()}"
    url = create_database(name)
    processes: list[subprocess.Popen] = []
    logs = tempfile.TemporaryDirectory(prefix="tracker-load-")
    try:
        run(args, url, processes, Path(logs.name))
    finally:
        for process in reversed(processes):
            stop(process)
        STATIC_COPY.unlink(missing_ok=True)
        drop_database(name)
        logs.cleanup()


def run(args, url: str, processes: list, logs: Path) -> None:
    from tracker.people.passwords import hash_password

    migrate(url)
    seed(url, args.size)
    chosen = accounts(url, args.users, hash_password(PASSWORD))
    teams = {row[3] for row in chosen}
    cases = open_cases(url, teams)
    with __import__("psycopg").connect(url) as conn:
        from load_app import CREATE_TABLE

        conn.execute(CREATE_TABLE)
    started = time.perf_counter()
    history = write_history(make_app(sqlalchemy_url(url)), datetime.now(UTC))
    print(f"  alert history: {history:,} alerts due before the run, written by the sweep and "
          f"marked sent, in {time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip

    sink_port, ports, insert_port = free_port(), [free_port(), free_port()], free_port()
    sink_file = logs / "sink.tsv"
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": sqlalchemy_url(url),
        "TRACKER_SECRET_KEY": "load-" + os.urandom(8).hex(),
        "TRACKER_BASE_URL": f"http://127.0.0.1:{ports[0]}",
        "TRACKER_SMTP_HOST": "127.0.0.1",
        "TRACKER_SMTP_PORT": str(sink_port),
        "LOAD_DATABASE_URL": sqlalchemy_url(url),
    }
    out = open(logs / "servers.log", "a")  # noqa: SIM115 (closed with the temporary folder)
    sink_cmd = [sys.executable, str(ROOT / "bench/load_sink.py"), str(sink_port), str(sink_file)]
    processes.append(start(sink_cmd, env, out))
    for port in ports:
        processes.append(gunicorn("tracker:create_app()", port, 2, env, out))
    insert_app = gunicorn(
        "load_app:create_app()", insert_port, 4, env, out, "--pythonpath", "bench"
    )
    processes.append(insert_app)
    for port in ports:
        wait_until_ready(f"http://127.0.0.1:{port}")
    wait_for_port(insert_port)
    wait_for_port(sink_port)

    users = []
    for i, (user_id, email, role, team) in enumerate(chosen):
        base = f"http://127.0.0.1:{ports[i % 2]}"
        account = Account(user_id, email, role, team)
        users.append(User(account, base, PASSWORD, list(cases[team]), seed=i))
    signed = burst_sign_in(users)
    print(f"  {signed} of {len(users)} users signed in", flush=True)
    leader = next(user for user in users if user.account.role == "leader")
    STATIC_COPY.write_bytes(leader.session.get(leader.base + "/dashboard").content)
    static_path = "/static/" + STATIC_COPY.name

    t0 = time.time()
    armed = arm_alerts(url, args.alerts, t0 + 5, t0 + args.duration - 5, teams)
    schedulers = [start([str(BIN / "tracker"), "scheduler"], env, out) for _ in range(2)]
    processes.extend(schedulers)
    memory = PeakMemory([process.pid for process in schedulers], step=0.2)
    print(f"  {armed} deadlines fall due during the run; two schedulers started", flush=True)

    stats = run_users(users, t0 + args.duration, args.think, static_path)
    load_end = time.time()
    load = os.getloadavg()
    registered = sum(c for c in stats.statuses.get("register", Counter()).values())

    caseworkers = [user for user in users if user.account.role == "caseworker"] or users
    reg_ok, reg_failed, reg_time = burst(
        args.burst_clients,
        args.burst,
        lambda i: caseworkers[i % len(caseworkers)].register(page="burst_register"),
    )
    sessions = [requests.Session() for _ in range(args.burst_clients)]
    insert_url = f"http://127.0.0.1:{insert_port}/insert"
    form = caseworkers[0].registration()

    def insert(i: int) -> bool:
        try:
            answer = sessions[i].post(insert_url, data=form, timeout=60)
        except requests.RequestException:
            return False
        return answer.status_code == 201

    ins_ok, ins_failed, ins_time = burst(args.burst_clients, args.burst, insert)
    period_end = time.time()

    t0_at, end_at = datetime.fromtimestamp(t0, UTC), datetime.fromtimestamp(period_end, UTC)
    waited_from = time.time()
    while unsent(url, end_at) and time.time() - waited_from < ALERT_WAIT:
        time.sleep(2)
    time.sleep(3)  # the sink's last lines
    memory.stop()
    for process in schedulers:
        stop(process)

    print(f"\nmixed load, {args.duration} s, {args.users} users "
          f"(load average at its end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}):")  # fmt: skip
    print_pages(stats, load_end - t0)
    print(f"  registrations in the mixed load: {registered} ({registered / (load_end - t0):.2f}/s)")
    reg_rate, ins_rate = reg_ok / reg_time, ins_ok / ins_time
    answers = Counter()
    for user in users:
        answers.update(user.stats.statuses.get("burst_register", Counter()))
    print(f"\nregistrations, {args.burst_clients} clients for {args.burst} s: "
          f"{reg_rate:.1f}/s ({reg_ok} ok, {reg_failed} failed; answers {dict(answers)}); "
          f"one-INSERT Flask endpoint "
          f"on the same database: {ins_rate:.1f}/s ({ins_ok} ok, {ins_failed} failed); "
          f"ratio {reg_rate / ins_rate:.2f} (target >= 0.6)")  # fmt: skip
    print_alerts(alerts_since(url, t0_at), sink_log(sink_file), t0_at, end_at)
    peaks = ", ".join(f"{memory.peak_mb(p.pid):.0f} MB" for p in schedulers)
    print(f"peak memory of the two schedulers (VmHWM): {peaks}")
    out.close()


def burst_sign_in(users: list[User]) -> int:
    """Sign every user in, eight at a time; return how many succeeded."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        return sum(pool.map(lambda user: user.sign_in(), users))


if __name__ == "__main__":
    main()
