"""Poll every intake mailbox: the edge that commits (the scheduler's job, `tracker intake poll`).

For each mailbox: fetch what is in the intake folder, store each message as an item with
the server's arrival time (a message already stored is skipped), commit, and only then
move the messages to the done folder. A mailbox that cannot be read is recorded on its
state row (shown on /readyz and the administrators' intake page), and the administrators
are e-mailed once per outage, when it has lasted REPORT_AFTER. Logs name the mailbox and
counts, never a sender, a subject or a text.
"""

from __future__ import annotations

import logging
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, gettext
from imapclient.exceptions import IMAPClientError
from sqlalchemy import select

from tracker.alerts.admin_notices import notify_administrators
from tracker.extensions import db
from tracker.intake.items import Arrival, store_arrival
from tracker.intake.mailboxes import MailboxSettings, mailboxes_from_config, open_mailbox
from tracker.intake.message import MESSAGE_TYPE, parse_message
from tracker.models import INTAKE_DOWN_STAGE, IntakeMailboxState, IntakeSource, Team
from tracker.models.alerts import SUBJECT_LENGTH
from tracker.models.intake import ERROR_LENGTH

log = logging.getLogger(__name__)

# A mailbox failing this long is reported to the administrators (a single blip is not).
REPORT_AFTER = timedelta(minutes=5)
MAILBOX_ERRORS = (IMAPClientError, OSError, ssl.SSLError, socket.timeout, LookupError)


@dataclass
class PollReport:
    """What one poll did: new items per mailbox, and the mailboxes that failed."""

    new: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


class MailboxTeamMissing(LookupError):
    """The mailbox's team is not set, or no team has that name."""


def poll_all(clock: Callable[[], datetime]) -> PollReport:
    """Poll each configured mailbox in turn; one failing does not stop the others."""
    report = PollReport()
    for settings in mailboxes_from_config(current_app.config):
        poll_mailbox(settings, clock, report)
    return report


def poll_mailbox(settings: MailboxSettings, clock, report: PollReport) -> None:
    """Poll one mailbox: store, commit, move; record how it went."""
    try:
        team_id = _team_id(settings)
        with open_mailbox(settings) as session:
            fetched = session.fetch_all()
            now = clock()
            new = 0
            for message in fetched:
                new += _store(settings, team_id, message.arrived_at, message.raw, now) is not None
            db.session.commit()
            session.move_done([message.uid for message in fetched])
    except MAILBOX_ERRORS as exc:
        db.session.rollback()
        error = f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]
        report.failed[settings.name] = error
        log.warning("Intake mailbox %s could not be read: %s", settings.name, type(exc).__name__)
        _record_failure(settings.name, clock(), error)
        db.session.commit()
        return
    report.new[settings.name] = new
    if new:
        log.info("Intake mailbox %s: %d new items", settings.name, new)
    _record_success(settings.name, clock())
    db.session.commit()


def _team_id(settings: MailboxSettings) -> int:
    if not settings.team:
        raise MailboxTeamMissing("no team: set _TEAM or TRACKER_INTAKE_CENTRAL_TEAM")
    team_id = db.session.scalar(select(Team.id).where(Team.name == settings.team))
    if team_id is None:
        raise MailboxTeamMissing(f"no team is named {settings.team!r}")
    return team_id


def _store(settings: MailboxSettings, team_id: int, arrived_at, raw: bytes, now) -> int | None:
    parsed = parse_message(raw)
    arrival = Arrival(
        source=IntakeSource.MAILBOX.value,
        mailbox=settings.name,
        message_id=parsed.message_id,
        arrived_at=arrived_at,
        team_id=team_id,
        raw=raw,
        raw_type=MESSAGE_TYPE,
        sender=parsed.sender,
        subject=parsed.subject,
        body_text=parsed.body_text,
        attachments=parsed.attachments,
    )
    return store_arrival(arrival, now=now)


def _state(name: str) -> IntakeMailboxState:
    state = db.session.get(IntakeMailboxState, name)
    if state is None:
        state = IntakeMailboxState(name=name)
        db.session.add(state)
    return state


def _record_success(name: str, now: datetime) -> None:
    state = _state(name)
    state.last_poll_at = now
    state.last_ok_at = now
    state.failing_since = None
    state.last_error = None


def _record_failure(name: str, now: datetime, error: str) -> None:
    state = _state(name)
    state.last_poll_at = now
    state.last_error = error
    if state.failing_since is None:
        state.failing_since = now
    if now - state.failing_since >= REPORT_AFTER and state.reported_since != state.failing_since:
        state.reported_since = state.failing_since
        notify_administrators(
            INTAKE_DOWN_STAGE, mailbox_down_subject(name), due_at=state.failing_since, now=now
        )


def mailbox_down_subject(name: str) -> str:
    """Return the notice's subject; the mailbox's name is its last word (compose reads it)."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "da")):
        subject = gettext("Fristsporing cannot read the intake mailbox %(name)s", name=name)
    return subject[:SUBJECT_LENGTH]
