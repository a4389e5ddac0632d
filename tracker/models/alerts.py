"""The outbox: one Alert row per e-mail the scheduler owes someone (deadline alerts, digests).

A row is written by the sweep (or the digest) in the same transaction that advances the
deadline, and sent by dispatch after that commit. Unique keys make a second row for the
same (deadline, stage, recipient), or a second digest for the same person and day,
impossible, whichever process tries.

Every schema change here comes with an Alembic revision in migrations/versions.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.column_types import UTCDateTime

STAGE_LENGTH = 32
ERROR_LENGTH = 500
SUBJECT_LENGTH = 200
DIGEST_STAGE = "digest"
# The administrators' notice that the scheduler was down and has caught up (no deadline).
OUTAGE_STAGE = "scheduler_outage"
# The administrators' notice that someone made more repeat lookups than allowed (no deadline).
LOOKUP_LIMIT_STAGE = "lookup_limit"
# The administrators' notice that an intake mailbox cannot be reached (no deadline).
INTAKE_DOWN_STAGE = "intake_mailbox_down"
# Alerts about an unregistered intake item (tracker.intake.alerts) have stages starting so.
INTAKE_STAGE_PREFIX = "intake_"
# The administrators' notice that e-mails are failing or waiting too long (no deadline).
MAIL_TROUBLE_STAGE = "mail_trouble"
ROUTE_LENGTH = 16
TOKEN_LENGTH = 32


class AlertRoute(StrEnum):
    """Why an alert goes to its recipient, beyond being the caseworker or a team leader."""

    # Outside opening hours: the person (or functional address) on call (tracker.people.oncall).
    ON_CALL = "oncall"
    # The on-call person's e-mail-to-SMS address: one line, the reference and the due time.
    SMS = "sms"
    # The escalation level after the team leaders (afdelingsleder): an address from config.
    NEXT_LEVEL = "next_level"


# The e-mail telling a caseworker that a case was given to them (no deadline).
REASSIGNED_STAGE = "reassigned"


class AlertStatus(StrEnum):
    """Where an e-mail stands: waiting (or retrying), sent, given up, or no longer needed."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    # The deadline was closed before the e-mail went out: telling of it would be noise.
    CANCELLED = "cancelled"


class Alert(db.Model):
    """One e-mail to one person about one stage of one deadline, or one day's digest."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"))
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id"))
    # An alert about an arrival nobody has registered yet (tracker.intake.alerts).
    intake_item_id: Mapped[int | None] = mapped_column(ForeignKey("intake_items.id"))
    stage: Mapped[str] = mapped_column(String(STAGE_LENGTH))
    # The local date a digest is for; None for deadline alerts.
    digest_date: Mapped[date | None] = mapped_column(Date)
    # None for an address that is no user's: a functional on-call address, an SMS gateway,
    # the next escalation level.
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Why this recipient (an AlertRoute), None for the caseworker and the team's leaders.
    route: Mapped[str | None] = mapped_column(String(ROUTE_LENGTH))
    # The opaque id of the e-mail's "Jeg har den" link (deadline alerts only).
    ack_token: Mapped[str | None] = mapped_column(String(TOKEN_LENGTH), unique=True)
    # Copied when the row is written: the e-mail goes where it was meant to go then.
    recipient_email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(SUBJECT_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the stage fell due under the policy (the digest: its morning; an outage notice:
    # the last sweep before the outage, with created_at the first sweep after it).
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default=AlertStatus.PENDING)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When it may first go: the next opening for a working-day deadline's alert written
    # at night; None: at once (created_at). The outbox's waiting time counts from then.
    send_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a dispatcher may next take it: now, after a backoff, or when a claim's lease ends.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set while a dispatcher is sending it; a crashed dispatcher's claim simply runs out.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(ERROR_LENGTH))
    message_id: Mapped[str | None] = mapped_column(String(255))
    # The plain text of the e-mail as last composed for sending (no personal data, by
    # construction): what an administrator reads on "Udgående post".
    body_text: Mapped[str | None] = mapped_column(Text)

    deadline = relationship("Deadline")
    intake_item = relationship("IntakeItem")
    recipient = relationship("User")

    __table_args__ = (
        UniqueConstraint("deadline_id", "stage", "recipient_id", name="uq_alerts_deadline_stage"),
        UniqueConstraint("recipient_id", "digest_date", name="uq_alerts_recipient_digest_date"),
        UniqueConstraint(
            "intake_item_id", "stage", "recipient_id", name="uq_alerts_intake_item_stage"
        ),
        # An address that is no user's gets each stage of a deadline once, too.
        Index(
            "uq_alerts_deadline_stage_address",
            "deadline_id",
            "stage",
            "recipient_email",
            unique=True,
            postgresql_where=text("recipient_id IS NULL"),
            sqlite_where=text("recipient_id IS NULL"),
        ),
        # Dispatch: pending e-mails in the order they may be taken.
        Index(
            "ix_alerts_pending_next_attempt_at",
            "next_attempt_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        # The admin page: newest first.
        Index("ix_alerts_created_at", "created_at"),
        # /readyz: the failed e-mails, few among millions sent.
        Index(
            "ix_alerts_failed_created_at",
            "created_at",
            postgresql_where=text("status = 'failed'"),
            sqlite_where=text("status = 'failed'"),
        ),
    )

    def __repr__(self) -> str:
        return f"<Alert {self.id} {self.stage} {self.status}>"


# Since when an e-mail has been waiting to go (for /readyz and the mail alarm).
WAITING_SINCE = func.coalesce(Alert.send_from, Alert.created_at)


class AlertAcknowledgement(db.Model):
    """Someone took a deadline's alert ("Jeg har den"): who, when, which stage.

    One per (deadline, stage): the first who takes it has it. It stops the escalation
    stages of that deadline that were not yet due when it was taken.
    """

    __tablename__ = "alert_acknowledgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"))
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id"), index=True)
    stage: Mapped[str] = mapped_column(String(STAGE_LENGTH))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user = relationship("User")

    __table_args__ = (
        UniqueConstraint("deadline_id", "stage", name="uq_alert_acknowledgements_deadline_stage"),
    )
