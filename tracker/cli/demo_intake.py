"""Demo intake items: underretninger that arrived in Team Nord's mailbox and wait to be registered.

Fictional people and texts only. Each has its own arrival time before `now`, so the
dashboard shows their running 24-hour clocks ("ikke registreret"). Idempotent: an item's
Message-ID is fixed, and a second run stores nothing new.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from tracker.intake.items import Arrival, store_arrival
from tracker.intake.message import MESSAGE_TYPE, parse_message
from tracker.models import IntakeSource, Team

DEMO_MAILBOX = "central"
# (minutes before now, sender, subject, text)
DEMO_ITEMS = [
    (
        25,
        "Skolelærer Pia Prik <pia@skole.demo>",
        "Bekymring for elev i 4.B",
        "Eleven (fiktiv) kommer ofte uden madpakke og virker træt. Ring gerne til mig.",
    ),
    (
        5 * 60,
        "Sundhedsplejerske Ib Iversen <ib@sundhed.demo>",
        "Underretning efter hjemmebesøg",
        "Ved hjemmebesøget i dag var der råb fra lejligheden ved siden af (fiktivt eksempel).",
    ),
    (
        22 * 60,
        "Nabo <nabo@mail.demo>",
        "Bekymring",
        "Jeg hører ofte et barn græde om natten i opgangen (fiktivt eksempel).",
    ),
]


def create_demo_intake(now: datetime, team: Team) -> int:
    """Store the demo items in `team` (if not there already); return how many were new."""
    new = 0
    for number, (minutes, sender, subject, text) in enumerate(DEMO_ITEMS, start=1):
        arrived_at = now - timedelta(minutes=minutes)
        raw = _message(number, sender, subject, text, arrived_at)
        parsed = parse_message(raw)
        arrival = Arrival(
            source=IntakeSource.DEMO.value,
            mailbox=DEMO_MAILBOX,
            message_id=parsed.message_id,
            arrived_at=arrived_at,
            team_id=team.id,
            raw=raw,
            raw_type=MESSAGE_TYPE,
            sender=parsed.sender,
            subject=parsed.subject,
            body_text=parsed.body_text,
            attachments=parsed.attachments,
        )
        new += store_arrival(arrival, now=now) is not None
    return new


def _message(number: int, sender: str, subject: str, text: str, arrived_at: datetime) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "underretning@kommune.demo"
    message["Subject"] = subject
    message["Date"] = format_datetime(arrived_at)
    message["Message-ID"] = f"<demo-intake-{number}@kommune.demo>"
    message.set_content(text)
    return bytes(message)
