"""Intake: what arrived (by mailbox or a form's webhook) before anyone registered it.

An intake item is personal data like a case: it belongs to a team, every view is audited,
and retention purges its content with the case (tracker.operations.retention).

Every schema change here comes with an Alembic revision in migrations/versions.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.cases import REASON_LENGTH
from tracker.models.column_types import UTCDateTime

MAILBOX_NAME_LENGTH = 64
MESSAGE_ID_LENGTH = 255
SENDER_LENGTH = 500
SUBJECT_LENGTH = 500
ERROR_LENGTH = 500


class IntakeStatus(StrEnum):
    """Where an item stands: waiting, registered as a case, or not an underretning at all."""

    UNREGISTERED = "unregistered"
    REGISTERED = "registered"
    NOT_A_NOTIFICATION = "not_a_notification"


class IntakeSource(StrEnum):
    """How the item came: a polled mailbox, the API (a form's webhook), the demo."""

    MAILBOX = "mailbox"
    API = "api"
    DEMO = "demo"


class IntakeItem(db.Model):
    """One arrival, with its own time: the server's INTERNALDATE or the form's submission time."""

    __tablename__ = "intake_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(10))
    # The mailbox's name in the settings ("api" for the API); with message_id it is unique.
    mailbox: Mapped[str] = mapped_column(String(MAILBOX_NAME_LENGTH))
    message_id: Mapped[str] = mapped_column(String(MESSAGE_ID_LENGTH))
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    sender: Mapped[str | None] = mapped_column(String(SENDER_LENGTH))
    subject: Mapped[str | None] = mapped_column(String(SUBJECT_LENGTH))
    body_text: Mapped[str] = mapped_column(Text, default="")
    # [{"filename", "content_type", "size"}]; the files themselves are inside `raw`.
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Stored as received: the message's bytes, or the API's JSON body.
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)
    raw_type: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default=IntakeStatus.UNREGISTERED)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id"), unique=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # "ikke en underretning": why (spam, a misdirected mail).
    dismiss_reason: Mapped[str | None] = mapped_column(String(REASON_LENGTH))
    # Registered with a receipt time before the arrival (a phone call came first): why.
    earlier_receipt_reason: Mapped[str | None] = mapped_column(String(REASON_LENGTH))
    # When the sweep next looks at the item's alerts; None once it is decided.
    next_alert_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when retention removed the content (sender, subject, text, attachments, raw).
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    team = relationship("Team")
    notification = relationship("Notification")
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    __table_args__ = (
        UniqueConstraint("mailbox", "message_id", name="uq_intake_items_mailbox_message_id"),
        # The dashboard: a team's unregistered items, oldest first.
        Index("ix_intake_items_team_status_arrived", "team_id", "status", "arrived_at"),
        Index(
            "ix_intake_items_next_alert_at",
            "next_alert_at",
            postgresql_where=text("next_alert_at IS NOT NULL"),
            sqlite_where=text("next_alert_at IS NOT NULL"),
        ),
    )

    @property
    def is_unregistered(self) -> bool:
        return self.status == IntakeStatus.UNREGISTERED


class IntakeMailboxState(db.Model):
    """How the polling of one mailbox goes: last try, last success, and an outage if any.

    No message content: the error is the exception's class and the server's words.
    """

    __tablename__ = "intake_mailbox_states"

    name: Mapped[str] = mapped_column(String(MAILBOX_NAME_LENGTH), primary_key=True)
    last_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(ERROR_LENGTH))
    # The failing_since the administrators were e-mailed about (once per outage).
    reported_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
