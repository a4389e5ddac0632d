"""Mail is failing: tell the administrators once, and say so on /readyz and "Udgående post".

Trouble is an e-mail that failed (a permanent refusal, waiting for "Send igen"), or one
that is still being retried after a failure and was written longer than
MAIL_ALARM_AFTER_MINUTES ago (the mail server has been down that long). When trouble
begins a MailTrouble row is opened (unique while open: several schedulers tell once) and
each active administrator gets one e-mail; it goes through the same outbox, so it arrives
when mail does, but /readyz and "Udgående post" show the trouble at once. When no e-mail
is in trouble any more, the row is closed, and the next trouble is told again.

Like every use case this never commits; tracker.alerts.jobs does.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tracker.alerts.admin_notices import notify_administrators
from tracker.extensions import db
from tracker.models import MAIL_TROUBLE_STAGE, Alert, AlertStatus, MailTrouble
from tracker.models.alerts import SUBJECT_LENGTH, WAITING_SINCE

OPEN = "open"


def alarm_after() -> timedelta:
    """Return how long an e-mail may keep failing before the administrators are told."""
    return timedelta(minutes=current_app.config["MAIL_ALARM_AFTER_MINUTES"])


def troubled_since(now: datetime, after: timedelta) -> datetime | None:
    """Return when the oldest e-mail in trouble was written, or None when none is."""
    return db.session.scalar(
        select(func.min(WAITING_SINCE)).where(
            Alert.stage != MAIL_TROUBLE_STAGE,
            or_(
                Alert.status == AlertStatus.FAILED,
                and_(
                    Alert.status == AlertStatus.PENDING,
                    Alert.last_error.is_not(None),
                    now - after >= WAITING_SINCE,
                ),
            ),
        )
    )


def open_trouble() -> MailTrouble | None:
    """Return the trouble going on now (the administrators were told), if any."""
    return db.session.scalar(select(MailTrouble).where(MailTrouble.open_key == OPEN))


def watch(now: datetime, after: timedelta | None = None) -> int:
    """Open or close the trouble as the outbox stands at `now`; return how many were told."""
    since = troubled_since(now, after or alarm_after())
    if since is None:
        db.session.execute(
            update(MailTrouble)
            .where(MailTrouble.open_key == OPEN)
            .values(open_key=None, ended_at=now)
            .execution_options(synchronize_session=False)
        )
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    opened = db.session.execute(
        insert(MailTrouble)
        .values(noticed_at=now, open_key=OPEN)
        .on_conflict_do_nothing()
        .returning(MailTrouble.id)
    ).first()
    if opened is None:
        return 0  # told already
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "da")):
        subject = gettext("Fristsporing's e-mails are failing: see Outgoing mail")
    return notify_administrators(
        MAIL_TROUBLE_STAGE, subject[:SUBJECT_LENGTH], due_at=since, now=now
    )
