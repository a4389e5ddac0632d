"""The case timeline: one append-only row per thing that happened on a case.

Registration, a deadline met, a decision, a step of the action card done, a
reassignment, a correction, closing ... each is a TimelineEntry with who (None =
the system), when it happened (entered by the person) and when it was written.
Nothing is changed or deleted in the app: a mistake is corrected by a new entry
of kind CORRECTION that points at the old one (`corrects_id`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.column_types import UTCDateTime

STEP_KEY_LENGTH = 60
KIND_LENGTH = 40


class TimelineKind(StrEnum):
    """What a timeline entry records (screen names in tracker.text.labels)."""

    REGISTERED = "registered"
    STEP_DONE = "step_done"
    DEADLINE_MET = "deadline_met"
    DEADLINE_NOT_APPLICABLE = "deadline_not_applicable"
    DEADLINE_MOVED = "deadline_moved"
    INVESTIGATION_STARTED = "investigation_started"
    OUTCOME = "outcome"
    DECISION = "decision"
    REASSIGNED = "reassigned"
    CORRECTION = "correction"
    NOTE = "note"
    CLOSED = "closed"
    REOPENED = "reopened"
    ALERT_ACKNOWLEDGED = "alert_acknowledged"
    RULES_APPLIED = "rules_applied"


class TimelineEntry(db.Model):
    """One thing that happened on a case: what, when, who, and a short note."""

    __tablename__ = "timeline_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by ix_timeline_entries_notification_occurred below (the case's entries in order).
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"))
    kind: Mapped[str] = mapped_column(String(KIND_LENGTH))
    # When the person says it happened (defaults to when it was written).
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the system
    step_key: Mapped[str | None] = mapped_column(String(STEP_KEY_LENGTH))
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("timeline_entries.id"))
    note: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict | None] = mapped_column(JSON)

    notification = relationship("Notification", back_populates="timeline")
    actor = relationship("User", foreign_keys=[actor_id])
    deadline = relationship("Deadline", foreign_keys=[deadline_id])
    corrects: Mapped[TimelineEntry | None] = relationship(
        remote_side=[id], foreign_keys=[corrects_id]
    )

    __table_args__ = (
        Index("ix_timeline_entries_notification_occurred", "notification_id", "occurred_at"),
    )
