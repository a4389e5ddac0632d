"""Data for bench/load.py: accounts, the alert history, and alerts that come due in the run.

The database is seeded by bench/dashboard.py's seeder (ten years of national volume at
1,500,000 notifications). Then, as if a scheduler had run all those years, every alert
already due is written by the tracker's own sweep and marked sent; and `count` open
assessment deadlines of teams nobody in the run works in are moved so that they become
overdue at spread-out moments inside the run: those overdue alerts (to the caseworker
and the team's leaders) are what the run's schedulers must send, each exactly once.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import psycopg

from tracker.domain.local_time import COPENHAGEN


def make_app(url: str):
    """Return the tracker app on the load database, with no SMTP (the outbox only)."""
    from config import Config
    from tracker import create_app

    settings = type(
        "LoadConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "MAIL_SMTP_HOST": None}
    )
    return create_app(settings)


def accounts(url: str, users: int, password_hash: str) -> list[tuple[int, str, str, int]]:
    """Pick the run's people (one leader per four caseworkers) and give them a password.

    Returns (id, email, role, team) rows, leaders first within each team. They work in
    the first users // 5 teams (at least one).
    """
    teams = max(1, users // 5)
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT id, email, role, team_id FROM users WHERE team_id <= %s "
            "ORDER BY team_id, role = 'caseworker', id",
            (teams,),
        ).fetchall()
        per_team: dict[int, list[tuple]] = {}
        for row in rows:
            per_team.setdefault(row[3], []).append(row)
        chosen: list[tuple] = []
        while len(chosen) < users:
            before = len(chosen)
            for team_rows in per_team.values():
                taken = sum(1 for row in chosen if row[3] == team_rows[0][3])
                if taken < len(team_rows) and len(chosen) < users:
                    chosen.append(team_rows[taken])
            if len(chosen) == before:
                raise ValueError(f"not enough people in {teams} teams for {users} users")
        conn.execute(
            "UPDATE users SET password_hash = %s WHERE id = ANY(%s)",
            (password_hash, [row[0] for row in chosen]),
        )
    return chosen


def open_cases(url: str, teams: set[int], per_team: int = 200) -> dict[int, list[int]]:
    """Return up to `per_team` open cases of each team, newest first (the case list's)."""
    cases: dict[int, list[int]] = {}
    with psycopg.connect(url) as conn:
        for team in sorted(teams):
            rows = conn.execute(
                "SELECT id FROM notifications WHERE team_id = %s AND status = 'open' "
                "ORDER BY received_at DESC LIMIT %s",
                (team, per_team),
            ).fetchall()
            cases[team] = [row[0] for row in rows]
    return cases


def write_history(app, now: datetime) -> int:
    """Write every alert due by `now` with the tracker's sweep and mark it sent; return how many."""
    from tracker.alerts import digest, jobs
    from tracker.extensions import db

    with app.app_context():
        db.session.execute(
            db.text("UPDATE deadlines SET next_alert_at = :now WHERE completed_at IS NULL"),
            {"now": now},
        )
        db.session.commit()
        written = jobs.sweep(now)
        days = app.config["DIGEST_WORKING_DAYS"]
        written += digest.create_missed_digests(now, working_days=days)
        db.session.execute(
            db.text("UPDATE alerts SET status = 'sent', sent_at = due_at, attempts = 1")
        )
        db.session.commit()
        db.engine.dispose()
    return written


def arm_alerts(url: str, count: int, start: float, end: float, busy_teams: set[int]) -> int:
    """Move `count` open assessment deadlines to fall due between `start` and `end` (unix)."""
    rng = random.Random(14)
    with psycopg.connect(url) as conn:
        ids = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM deadlines WHERE kind = 'assessment' AND completed_at IS NULL "
                "AND NOT (team_id = ANY(%s)) ORDER BY id",
                (sorted(busy_teams),),
            )
        ]
        chosen = sorted(rng.sample(ids, min(count, len(ids))))
        rows = []
        for deadline_id in chosen:
            due = datetime.fromtimestamp(rng.uniform(start, end), UTC)
            rows.append((deadline_id, due, due - timedelta(hours=24), due.astimezone(COPENHAGEN)))
        with conn.cursor() as cur:
            cur.execute("DELETE FROM alerts WHERE deadline_id = ANY(%s)", (chosen,))
            cur.executemany(
                "UPDATE deadlines SET overdue_from = %s, starts_at = %s, due_date = %s, "
                "next_alert_at = %s WHERE id = %s",
                [(due, starts, local.date(), due, i) for i, due, starts, local in rows],
            )
    return len(chosen)


def alerts_since(url: str, start: datetime) -> list[tuple[int, str | None, str, datetime]]:
    """Return (id, message_id, status, due_at) of the alerts due from `start` on."""
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT id, message_id, status, due_at FROM alerts WHERE due_at >= %s ORDER BY id",
            (start,),
        ).fetchall()


def unsent(url: str, end: datetime) -> int:
    """Count what is still to do for the alerts due by `end`: deadlines not yet swept
    (Deadline.is_open's condition) and e-mails waiting in the outbox."""
    with psycopg.connect(url) as conn:
        deadlines = conn.execute(
            "SELECT count(*) FROM deadlines WHERE next_alert_at <= %s "
            "AND completed_at IS NULL AND not_applicable_reason IS NULL",
            (end,),
        ).fetchone()[0]
        pending = conn.execute(
            "SELECT count(*) FROM alerts WHERE due_at <= %s AND status = 'pending'", (end,)
        ).fetchone()[0]
    return deadlines + pending
