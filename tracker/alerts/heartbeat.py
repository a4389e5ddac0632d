"""The scheduler watches itself: each completed sweep is recorded, and a gap is an outage.

`/readyz` and `tracker check` read the last completed sweep: longer than STALE_AFTER ago
means no scheduler is getting through. A scheduler that starts after such a gap tells
the active administrators, once (SchedulerOutage.down_since is unique, so several
schedulers starting together write one notice), how long no sweep ran and that it has
caught up. The notice goes through the outbox like every other e-mail and, like them,
names no person and no case.

Like every use case this never commits; tracker.alerts.jobs does.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from tracker.alerts.admin_notices import notify_administrators
from tracker.extensions import db
from tracker.models import OUTAGE_STAGE, Heartbeat, SchedulerOutage
from tracker.models.alerts import SUBJECT_LENGTH
from tracker.text.wording import duration_phrase

SWEEP = "sweep"
# No completed sweep for this long: the scheduler is down (it sweeps every minute).
STALE_AFTER = timedelta(minutes=5)


def _insert(model):
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def record_sweep(now: datetime) -> None:
    """Record that a sweep completed at `now`."""
    statement = _insert(Heartbeat).values(name=SWEEP, beat_at=now)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[Heartbeat.name], set_={"beat_at": statement.excluded.beat_at}
        )
    )


def last_sweep() -> datetime | None:
    """Return when the last sweep completed, or None if none ever did."""
    return db.session.scalar(select(Heartbeat.beat_at).where(Heartbeat.name == SWEEP))


def is_stale(last: datetime | None, now: datetime) -> bool:
    """Tell whether a last sweep at `last` means the scheduler is down at `now`."""
    return last is None or now - last > STALE_AFTER


def outage_since(now: datetime) -> datetime | None:
    """Return the last sweep before an outage that is still going on at `now`, else None.

    None too when no sweep ever completed: a new installation was never down.
    """
    last = last_sweep()
    return last if last is not None and is_stale(last, now) else None


def report_outage(down_since: datetime, back_at: datetime) -> int:
    """Record the outage and put one notice per active administrator in the outbox.

    Returns how many notices were written: none when another scheduler already reported
    this outage.
    """
    recorded = db.session.execute(
        _insert(SchedulerOutage)
        .values(down_since=down_since, back_at=back_at)
        .on_conflict_do_nothing()
        .returning(SchedulerOutage.id)
    ).first()
    if recorded is None:
        return 0
    # The notice's facts, read back when it is composed: the outage's two ends.
    subject = outage_subject(back_at - down_since)
    return notify_administrators(OUTAGE_STAGE, subject, due_at=down_since, now=back_at)


def outage_subject(duration: timedelta) -> str:
    """Return the notice's subject: how long the scheduler was down."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "da")):
        subject = gettext(
            "Fristsporing's scheduler was down for %(duration)s and has caught up",
            duration=duration_phrase(duration),
        )
    return subject[:SUBJECT_LENGTH]
