"""The sweep's part for intake: an arrival nobody registered is alerted like a deadline.

An unregistered item has the 24-hour assessment deadline from its arrival, with the alert
policy's stages for the assessment (warning, overdue, escalation), and one more: the
alarm when it is still not registered INTAKE_REGISTER_WITHIN_MINUTES of opening hours
after arrival. Every stage goes to the intake team's leaders and the person on call
(tracker.intake.recipients). The e-mail names the mailbox and times, never the sender,
the subject or the text. A registered or dismissed item stops (next_alert_at None).

Like every use case this never commits; tracker.alerts.jobs does.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from flask_babel import force_locale, gettext
from sqlalchemy import select, update

from tracker.alerts.sweep import insert_new_alerts
from tracker.domain.intake import alarm_at, assessment_due_at
from tracker.domain.policy import AlertPolicy, Phase, PlannedAlert, due_alerts, planned_alerts
from tracker.domain.rules import DeadlineKind
from tracker.extensions import db
from tracker.intake.recipients import intake_recipients
from tracker.models import AlertStatus, IntakeItem, IntakeStatus
from tracker.models.alerts import INTAKE_STAGE_PREFIX, SUBJECT_LENGTH
from tracker.people.oncall import opening_hours

ALARM_STAGE = INTAKE_STAGE_PREFIX + "not_registered"
BATCH_SIZE = 500


def alarm_time(arrived_at: datetime, config: Mapping[str, Any]) -> datetime:
    """Return when an item arrived at `arrived_at` raises the alarm if still unregistered."""
    return alarm_at(
        arrived_at,
        timedelta(minutes=config["INTAKE_REGISTER_WITHIN_MINUTES"]),
        opening_hours(config),
    )


def schedule(arrived_at: datetime, policy: AlertPolicy, config) -> list[PlannedAlert]:
    """Return an unregistered item's alert stages, in time order."""
    due = assessment_due_at(arrived_at)
    stages = [
        PlannedAlert(INTAKE_STAGE_PREFIX + a.stage, a.phase, a.at, a.audiences, a.moot_from)
        for a in planned_alerts(DeadlineKind.ASSESSMENT, None, due, policy)
    ]
    alarm = PlannedAlert(ALARM_STAGE, Phase.ESCALATION, alarm_time(arrived_at, config), ())
    stages.append(alarm)
    stages.sort(key=lambda stage: stage.at)
    return stages


def sweep_intake(now: datetime, policy: AlertPolicy, config) -> int:
    """Write the due alerts of unregistered items to the outbox; return how many rows."""
    items = db.session.execute(
        select(IntakeItem.id, IntakeItem.arrived_at, IntakeItem.team_id, IntakeItem.mailbox)
        .where(
            IntakeItem.next_alert_at <= now,
            IntakeItem.status == IntakeStatus.UNREGISTERED,
        )
        .order_by(IntakeItem.next_alert_at, IntakeItem.id)
        .limit(BATCH_SIZE)
        .with_for_update(skip_locked=True)
    ).all()
    rows: list[dict[str, Any]] = []
    advances = []
    with force_locale(config["BABEL_DEFAULT_LOCALE"]):
        for item_id, arrived_at, team_id, mailbox in items:
            stages = schedule(arrived_at, policy, config)
            for stage in due_alerts(stages, now):
                subject = intake_subject(stage, mailbox)
                for user_id, email in intake_recipients(team_id, now):
                    rows.append(_row(item_id, stage, user_id, email, subject, now))
            later = [stage.at for stage in stages if stage.at > now]
            advances.append({"id": item_id, "next_alert_at": min(later, default=None)})
    written = insert_new_alerts(rows)
    if advances:
        db.session.execute(update(IntakeItem), advances)
    return written


def intake_subject(stage: PlannedAlert, mailbox: str) -> str:
    """Return the subject of an intake alert: which mailbox and what is wrong; no content."""
    if stage.stage == ALARM_STAGE:
        text = gettext(
            "Not registered: an underretning in the mailbox %(mailbox)s", mailbox=mailbox
        )
    elif stage.phase is Phase.WARNING:
        text = gettext(
            "24-hour deadline approaching, not registered: mailbox %(mailbox)s", mailbox=mailbox
        )
    else:
        text = gettext(
            "24-hour deadline passed, not registered: mailbox %(mailbox)s", mailbox=mailbox
        )
    return text[:SUBJECT_LENGTH]


def _row(item_id, stage: PlannedAlert, user_id, email, subject, now) -> dict[str, Any]:
    return {
        "intake_item_id": item_id,
        "stage": stage.stage,
        "recipient_id": user_id,
        "recipient_email": email,
        "subject": subject,
        "created_at": now,
        "due_at": stage.at,
        "status": AlertStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
    }
