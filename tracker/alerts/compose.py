"""Compose the e-mails of claimed outbox rows: deadline alerts and daily digests, in Danish.

An e-mail names only the deadline kind, the case reference, the due time (local), the
time left or overdue and a link to the case: never the child, a CPR number, an address,
the notifier or the summary. The text is written when the e-mail is sent, so a retry
hours later says how things stand then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import force_locale, format_date, format_datetime
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.alerts import acknowledge
from tracker.alerts.digest import count_for_digest, deadlines_for_digest
from tracker.alerts.outbox import make_message
from tracker.alerts.recipients import may_be_alerted
from tracker.domain.intake import assessment_due_at
from tracker.domain.kinds import is_due_at_an_instant
from tracker.domain.policy import ESCALATION_STAGES
from tracker.extensions import db
from tracker.mail.message import OutgoingMessage, message_id_domain
from tracker.mail.render import render_email
from tracker.models import (
    DIGEST_STAGE,
    INTAKE_DOWN_STAGE,
    LOOKUP_LIMIT_STAGE,
    MAIL_TROUBLE_STAGE,
    OUTAGE_STAGE,
    REASSIGNED_STAGE,
    Alert,
    AlertRoute,
    Deadline,
    Notification,
)
from tracker.text.labels import KIND_LABELS
from tracker.text.wording import deadline_time_phrase, duration_phrase, time_left_phrase

CLOSED = "the deadline was closed before the e-mail was sent"
NOTHING_DUE = "no open deadlines in view when the digest was sent"
RECIPIENT_GONE = "the recipient was deactivated before the e-mail was sent"
NOT_WAITING = "the intake item was registered or dismissed before the e-mail was sent"
TAKEN = "someone took the deadline's overdue alert (Jeg har den): no escalation"
NOT_RESPONSIBLE = (
    "the recipient was no longer the deadline's caseworker or a leader of its team"
    " when the e-mail was sent"
)


@dataclass
class ComposedBatch:
    """The e-mails to send, (alert id, message) in order, and the rows no longer needed."""

    messages: list[tuple[int, OutgoingMessage]] = field(default_factory=list)
    cancelled: dict[str, list[int]] = field(default_factory=dict)

    def cancel(self, alert_id: int, reason: str) -> None:
        self.cancelled.setdefault(reason, []).append(alert_id)

    def add(self, alert: Alert, text: str, html: str | None, domain: str) -> None:
        """Add an alert's e-mail, and keep its text on the row for "Udgående post"."""
        alert.body_text = text
        self.messages.append((alert.id, make_message(alert, text, html, domain)))


def compose(alert_ids: Sequence[int], now: datetime, config: Mapping[str, Any]) -> ComposedBatch:
    """Compose the e-mail of each claimed row, or say why it is no longer needed."""
    alerts = db.session.scalars(
        select(Alert)
        .where(Alert.id.in_(alert_ids))
        .options(
            joinedload(Alert.deadline).joinedload(Deadline.notification),
            joinedload(Alert.recipient),
            joinedload(Alert.intake_item),
        )
        .order_by(Alert.id)
    ).all()
    domain = message_id_domain(config["BASE_URL"])
    base_url = config["BASE_URL"].rstrip("/")
    batch = ComposedBatch()
    with force_locale(config["BABEL_DEFAULT_LOCALE"]):
        for alert in alerts:
            if alert.recipient is not None and not alert.recipient.active:
                batch.cancel(alert.id, RECIPIENT_GONE)
            elif alert.stage == DIGEST_STAGE:
                _compose_digest(alert, now, config, base_url, domain, batch)
            elif alert.stage == OUTAGE_STAGE:
                text, html = render_email("scheduler_outage", **outage_context(alert, base_url))
                batch.add(alert, text, html, domain)
            elif alert.stage == MAIL_TROUBLE_STAGE:
                context = {**outage_context(alert, base_url), "since": alert.due_at}
                text, html = render_email("mail_trouble", **context)
                batch.add(alert, text, html, domain)
            elif alert.stage == LOOKUP_LIMIT_STAGE:
                text, html = render_email("lookup_limit", **lookup_limit_context(alert, base_url))
                batch.add(alert, text, html, domain)
            elif alert.stage == INTAKE_DOWN_STAGE:
                text, html = render_email(
                    "intake_mailbox_down", **mailbox_down_context(alert, base_url)
                )
                batch.add(alert, text, html, domain)
            elif alert.intake_item_id is not None:
                if not alert.intake_item.is_unregistered:
                    batch.cancel(alert.id, NOT_WAITING)
                    continue
                text, html = render_email("intake_alert", **intake_context(alert, now, base_url))
                batch.add(alert, text, html, domain)
            elif alert.stage == REASSIGNED_STAGE:
                _compose_reassigned(alert, base_url, domain, batch)
            elif alert.deadline is None or not alert.deadline.is_open:
                batch.cancel(alert.id, CLOSED)
            elif alert.route is None and not _still_responsible(alert):
                # Reassigned or moved since the sweep: the sweep alerts whoever is now.
                batch.cancel(alert.id, NOT_RESPONSIBLE)
            elif _taken(alert):
                batch.cancel(alert.id, TAKEN)
            elif alert.route == AlertRoute.SMS:
                # One line, the reference and the due time (the subject): nothing else.
                batch.add(alert, alert.subject + "\n", None, domain)
            else:
                text, html = render_email("alert", **alert_context(alert, now, base_url))
                batch.add(alert, text, html, domain)
    return batch


def alert_context(alert: Alert, now: datetime, base_url: str) -> dict[str, Any]:
    """Return what the alert template may show: no personal data, by construction."""
    deadline = alert.deadline
    return {
        "stage": alert.stage,
        "route": alert.route,
        "ack_url": f"{base_url}/alerts/ack/{alert.ack_token}" if alert.ack_token else None,
        # A leader told about a deadline that is not their own: say it is their team's.
        "as_leader": alert.route is None and alert.recipient_id != deadline.caseworker_id,
        **deadline_context(deadline, deadline.notification.reference, now, base_url),
    }


def deadline_context(deadline: Deadline, reference: str, now: datetime, base_url: str) -> dict:
    """Return the e-mail's facts about one deadline: kind, case reference, due, time, link."""
    return {
        "kind_label": str(KIND_LABELS.get(deadline.kind, deadline.kind)),
        "reference": reference,
        "due_local": due_local(deadline),
        "time_phrase": deadline_time_phrase(deadline, now),
        "case_url": f"{base_url}/cases/{deadline.notification_id}",
    }


def outage_context(alert: Alert, base_url: str) -> dict[str, str]:
    """Return the scheduler-outage notice's facts: from when, until when, how long."""
    moment = "EEEE d. MMMM yyyy 'kl.' HH:mm"
    return {
        "down_since": format_datetime(alert.due_at, moment),
        "back_at": format_datetime(alert.created_at, moment),
        "duration": duration_phrase(alert.created_at - alert.due_at),
        "outbox_url": f"{base_url}/admin/outbox",
    }


def lookup_limit_context(alert: Alert, base_url: str) -> dict[str, str]:
    """Return the too-many-lookups notice's facts: who (the subject), when, where to look."""
    return {
        "headline": alert.subject,
        "at": format_datetime(alert.due_at, "EEEE d. MMMM yyyy 'kl.' HH:mm"),
        "audit_url": f"{base_url}/audit/",
    }


def intake_context(alert: Alert, now: datetime, base_url: str) -> dict[str, str]:
    """Return an intake alert's facts: the mailbox, arrival, due time and a link; no content."""
    item = alert.intake_item
    moment = "EEEE d. MMMM yyyy 'kl.' HH:mm"
    due = assessment_due_at(item.arrived_at)
    return {
        "headline": alert.subject,
        "mailbox": item.mailbox,
        "arrived": format_datetime(item.arrived_at, moment),
        "due": format_datetime(due, moment),
        "phrase": time_left_phrase(due, now),
        "item_url": f"{base_url}/intake/{item.id}",
    }


def mailbox_down_context(alert: Alert, base_url: str) -> dict[str, str]:
    """Return the mailbox-down notice's facts: which mailbox (the subject says it), since when."""
    return {
        "mailbox": alert.subject.rsplit(" ", 1)[-1],
        "since": format_datetime(alert.due_at, "EEEE d. MMMM yyyy 'kl.' HH:mm"),
        "status_url": f"{base_url}/admin/intake",
    }


def due_local(deadline: Deadline) -> str:
    """Say when a deadline falls due: the local time for the 24 hours, else its last day."""
    if is_due_at_an_instant(deadline.kind):
        return format_datetime(deadline.overdue_from, "EEEE d. MMMM yyyy 'kl.' HH:mm")
    return format_date(deadline.due_date, "EEEE d. MMMM yyyy")


def _compose_digest(alert, now, config, base_url, domain, batch: ComposedBatch) -> None:
    working_days = config["DIGEST_WORKING_DAYS"]
    # The most urgent deadlines only: a caseworker may have thousands open.
    limit = config["DIGEST_MAX_DEADLINES"]
    listed = deadlines_for_digest(alert.recipient_id, now, working_days, limit=limit)
    if not listed:
        batch.cancel(alert.id, NOTHING_DUE)
        return
    more = 0
    if len(listed) == limit:
        more = count_for_digest(alert.recipient_id, now, working_days) - limit
    text, html = render_email(
        "digest",
        items=[deadline_context(d, reference, now, base_url) for d, reference in listed],
        working_days=working_days,
        more=more,
        # The dashboard opens on the person's own open deadlines, most urgent first.
        dashboard_url=f"{base_url}/dashboard?who=mine",
    )
    batch.add(alert, text, html, domain)


def _compose_reassigned(alert: Alert, base_url: str, domain: str, batch: ComposedBatch) -> None:
    notification = db.session.get(Notification, alert.notification_id)
    if notification is None or notification.caseworker_id != alert.recipient_id:
        batch.cancel(alert.id, NOT_RESPONSIBLE)  # given to someone else again meanwhile
        return
    text, html = render_email(
        "reassigned",
        reference=notification.reference,
        case_url=f"{base_url}/cases/{notification.id}",
    )
    batch.add(alert, text, html, domain)


def _taken(alert: Alert) -> bool:
    if alert.stage not in ESCALATION_STAGES:
        return False
    # Taken before it went: whoever took it is on it, the next level need not hear of it.
    return alert.deadline_id in acknowledge.escalation_stopped_since([alert.deadline_id])


def _still_responsible(alert: Alert) -> bool:
    recipient, deadline = alert.recipient, alert.deadline
    return may_be_alerted(
        recipient.id, recipient.role, recipient.team_id, deadline.caseworker_id, deadline.team_id
    )
