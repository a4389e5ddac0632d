"""Is the tracker ready? What `/readyz` answers and `tracker check` prints, for monitoring.

Ready means: the database answers, its schema is at the newest migration, and a scheduler
completed a sweep within the last heartbeat.STALE_AFTER (5 minutes). The outbox is
reported too (e-mails waiting, the oldest waiting one, those written at night that wait
for the next opening, failed ones, the oldest failed):
an e-mail waiting longer than OUTBOX_STALE_AFTER means the mail server has not taken
mail for that long, and makes the tracker not ready as well. Failed e-mails are shown
for the administrators (Udgående post) but do not make it unready: they stay until retried.

Nothing here names a person or a case: counts, times and revision ids only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from tracker.alerts import heartbeat, mail_trouble
from tracker.extensions import db
from tracker.models import Alert, AlertStatus, IntakeMailboxState
from tracker.models.alerts import WAITING_SINCE

# An e-mail still waiting this long after it was written: the mail server is not taking mail.
OUTBOX_STALE_AFTER = timedelta(hours=1)


@dataclass
class Readiness:
    """The checks' results: each a dict for JSON, and the problems in Danish."""

    checked_at: datetime
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        """Return the answer of /readyz."""
        return {
            "status": "ready" if self.ready else "not_ready",
            "checked_at": _iso(self.checked_at),
            **self.checks,
            "problems": self.problems,
        }

    def lines(self) -> list[str]:
        """Return what `tracker check` prints: one line a check, then the problems."""
        out = [f"{'Klar' if self.ready else 'IKKE KLAR'} ({_iso(self.checked_at)})"]
        for name, check in self.checks.items():
            facts = ", ".join(f"{k}={_plain(v)}" for k, v in check.items() if k != "ok")
            out.append(f"  {name}: {'ok' if check.get('ok') else 'FEJL'}  {facts}".rstrip())
        out.extend(f"  - {problem}" for problem in self.problems)
        return out


def check(now: datetime) -> Readiness:
    """Run every check at `now`; the database's own errors become problems, never raised."""
    result = Readiness(checked_at=now)
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "da")):
        if _database(result):
            for step in (_migrations, _scheduler, _outbox, _intake):
                _run(step, result, now)
    db.session.rollback()
    return result


def _run(step, result: Readiness, now: datetime) -> None:
    name = step.__name__.lstrip("_")
    try:
        step(result, now)
    except SQLAlchemyError as exc:
        db.session.rollback()
        result.checks[name] = {"ok": False, "error": type(exc.orig or exc).__name__}
        result.problems.append(gettext("%(check)s: could not be checked", check=name))


def _database(result: Readiness) -> bool:
    started = time.monotonic()
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        error = getattr(exc, "orig", None) or exc
        result.checks["database"] = {"ok": False, "error": type(error).__name__}
        result.problems.append(gettext("database: not reachable"))
        return False
    seconds = round(time.monotonic() - started, 3)
    result.checks["database"] = {"ok": True, "seconds": seconds}
    return True


def _migrations(result: Readiness, now: datetime) -> None:
    directory = current_app.extensions["migrate"].directory
    head = sorted(ScriptDirectory(directory).get_heads())
    current = sorted(MigrationContext.configure(db.session.connection()).get_current_heads())
    ok = current == head
    result.checks["migrations"] = {"ok": ok, "current": current, "head": head}
    if not ok:
        result.problems.append(
            gettext("migrations: the database is not at the newest revision (tracker db upgrade)")
        )


def _scheduler(result: Readiness, now: datetime) -> None:
    last = heartbeat.last_sweep()
    stale = heartbeat.is_stale(last, now)
    result.checks["scheduler"] = {
        "ok": not stale,
        "last_sweep_at": _iso(last),
        "seconds_since": None if last is None else int((now - last).total_seconds()),
    }
    if last is None:
        result.problems.append(gettext("scheduler: no sweep has ever completed"))
    elif stale:
        minutes = int((now - last).total_seconds() // 60)
        result.problems.append(gettext("scheduler: no sweep for %(num)d minutes", num=minutes))


def _outbox(result: Readiness, now: datetime) -> None:
    counts = {
        status: (count, oldest)
        for status, count, oldest in db.session.execute(
            # An e-mail waiting for the next opening (send_from) is not stuck before then.
            select(Alert.status, func.count(), func.min(WAITING_SINCE))
            .where(
                Alert.status.in_([AlertStatus.PENDING, AlertStatus.FAILED]),
                now >= WAITING_SINCE,
            )
            .group_by(Alert.status)
        ).all()
    }
    pending, oldest_pending = counts.get(AlertStatus.PENDING, (0, None))
    failed, oldest_failed = counts.get(AlertStatus.FAILED, (0, None))
    deferred = db.session.scalar(
        select(func.count()).where(Alert.status == AlertStatus.PENDING, now < WAITING_SINCE)
    )
    stuck = oldest_pending is not None and now - oldest_pending > OUTBOX_STALE_AFTER
    trouble = mail_trouble.open_trouble()
    result.checks["outbox"] = {
        "ok": not stuck and trouble is None,
        "failing_since": _iso(trouble.noticed_at if trouble else None),
        "pending": pending,
        "waiting_for_opening": deferred,
        "oldest_pending_at": _iso(oldest_pending),
        "failed": failed,
        "oldest_failed_at": _iso(oldest_failed),
    }
    if stuck:
        minutes = int((now - oldest_pending).total_seconds() // 60)
        result.problems.append(
            gettext("outbox: an e-mail has waited %(num)d minutes to be sent", num=minutes)
        )
    if trouble is not None:
        result.problems.append(
            gettext("outbox: e-mails are failing; the administrators were told (Outgoing mail)")
        )


def _intake(result: Readiness, now: datetime) -> None:
    """The intake mailboxes: each configured one read lately and without error (no content)."""
    names = [box["name"] for box in current_app.config["INTAKE_MAILBOXES"]]
    if not names:
        return
    states = {
        state.name: state
        for state in db.session.scalars(
            select(IntakeMailboxState).where(IntakeMailboxState.name.in_(names))
        )
    }
    mailboxes = {}
    for name in names:
        state = states.get(name)
        last_poll = state.last_poll_at if state else None
        failing = state is not None and state.failing_since is not None
        # Polled every minute by the scheduler: as long without a poll, the scheduler's down.
        unread = heartbeat.is_stale(last_poll, now)
        mailboxes[name] = {
            "ok": not failing and not unread,
            "last_ok_at": _iso(state.last_ok_at if state else None),
            "failing_since": _iso(state.failing_since if state else None),
        }
        if failing:
            result.problems.append(
                gettext("intake: the mailbox %(name)s cannot be read", name=name)
            )
        elif unread:
            result.problems.append(
                gettext("intake: the mailbox %(name)s has not been read lately", name=name)
            )
    result.checks["intake"] = {
        "ok": all(box["ok"] for box in mailboxes.values()),
        "mailboxes": mailboxes,
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(value) or "-"
    return "-" if value is None else str(value)
