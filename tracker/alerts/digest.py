"""The daily digest: each morning on hverdage, one e-mail per caseworker listing their deadlines.

One outbox row per (person, local date), unique in the database, so the digest is sent
once a day however often the job runs. The list itself is read when the e-mail is sent,
so it is current: the most urgent deadlines (DIGEST_MAX_DEADLINES) and how many more
there are, never every open deadline of a caseworker who has thousands. People can turn
the digest off (User.digest_enabled); deadline alerts cannot be turned off.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from flask import current_app
from flask_babel import force_locale, format_date, gettext
from sqlalchemy import func, select

from tracker.alerts.recipients import ALERTED_ROLES
from tracker.alerts.sweep import insert_new_alerts
from tracker.domain.local_time import end_of_local_day, local_date, to_local
from tracker.domain.working_days import add_working_days, is_working_day
from tracker.extensions import db
from tracker.models import DIGEST_STAGE, Alert, AlertStatus, Deadline, Notification, User

# Local time the digest is due on hverdage; the scheduler's cron job fires then.
DIGEST_TIME = time(7, 30)


def digest_horizon(now: datetime, working_days: int) -> datetime:
    """Return the end of the last local day the digest looks ahead to."""
    return end_of_local_day(add_working_days(local_date(now), working_days))


def open_deadlines_query(horizon: datetime):
    """Return a query of open deadlines due before `horizon`, most urgent first."""
    return (
        select(Deadline)
        .where(
            Deadline.is_open,
            Deadline.overdue_from.is_not(None),
            Deadline.overdue_from <= horizon,
        )
        .order_by(Deadline.overdue_from, Deadline.id)
    )


def deadlines_for_digest(
    user_id: int, now: datetime, working_days: int, *, limit: int | None = None
) -> list[tuple]:
    """Return (deadline, case reference) of one caseworker's deadlines, most urgent first.

    With `limit`, only that many: a caseworker may have thousands open.
    """
    query = (
        _digest_query(user_id, now, working_days)
        .add_columns(Notification.reference)
        .join(Notification, Notification.id == Deadline.notification_id)
        .limit(limit)
    )
    return list(db.session.execute(query).all())


def count_for_digest(user_id: int, now: datetime, working_days: int) -> int:
    """Return how many deadlines one caseworker's digest would list without a limit."""
    query = _digest_query(user_id, now, working_days).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(query))


def _digest_query(user_id: int, now: datetime, working_days: int):
    query = _owned_in_own_team(open_deadlines_query(digest_horizon(now, working_days)))
    return query.where(Deadline.caseworker_id == user_id)


def can_receive_digest(user) -> bool:
    """Tell whether a person can ever get the daily overview (only those who own deadlines)."""
    return user.role in ALERTED_ROLES


def _owned_in_own_team(query):
    # A caseworker moved to another team or role keeps their old cases until a leader
    # reassigns them, but can no longer open them: they are not theirs to be reminded of.
    return query.join(User, User.id == Deadline.caseworker_id).where(
        User.team_id == Deadline.team_id, User.role.in_(ALERTED_ROLES)
    )


def create_digests(now: datetime, *, working_days: int) -> int:
    """Add today's digest to the outbox for every caseworker with deadlines; return how many.

    Nothing on a day that is not a hverdag (weekends and helligdage), nothing for people
    who turned it off or have no deadlines in view, and never twice for the same day.
    One outbox row a person: what this holds grows with the people, not the deadlines.
    """
    today = local_date(now)
    if not is_working_day(today):
        return 0
    horizon = digest_horizon(now, working_days)
    people = db.session.execute(
        select(User.id, User.email)
        .where(
            User.active.is_(True),
            User.digest_enabled.is_(True),
            User.id.in_(
                _owned_in_own_team(open_deadlines_query(horizon))
                .with_only_columns(Deadline.caseworker_id)
                .order_by(None)
                .distinct()
            ),
        )
        .order_by(User.id)
    ).all()
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = gettext("Your deadlines, %(date)s", date=format_date(today, "EEEE d. MMMM"))
    rows = [_digest_row(user_id, email, subject, today, now) for user_id, email in people]
    return insert_new_alerts(rows)


def create_missed_digests(now: datetime, *, working_days: int) -> int:
    """Create today's digests if it is past 07:30 and the day's run has not happened.

    The every-minute sweep calls this, so a scheduler that was down at 07:30 (longer than
    the cron job's grace) still sends the day's digest when it comes back. "Not happened"
    means no digest row for today yet: once any exists, nobody gets a late one.
    """
    today = local_date(now)
    if to_local(now).time() < DIGEST_TIME or not is_working_day(today):
        return 0
    if db.session.scalar(
        select(Alert.id).where(Alert.stage == DIGEST_STAGE, Alert.digest_date == today).limit(1)
    ):
        return 0
    return create_digests(now, working_days=working_days)


def _digest_row(user_id: int, email: str, subject: str, today, now: datetime) -> dict[str, Any]:
    return {
        "stage": DIGEST_STAGE,
        "digest_date": today,
        "recipient_id": user_id,
        "recipient_email": email,
        "subject": subject,
        "created_at": now,
        "due_at": now,
        "status": AlertStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
    }
