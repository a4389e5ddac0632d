"""The on-call rota (vagtplan): who is on call when, kept by leaders and administrators.

A shift is a person (a user) or a functional address (the socialvagt's mailbox) for a
period; an optional e-mail-to-SMS address gets a one-line text. Shifts are never changed
or deleted: a shift withdrawn keeps its row with who withdrew it and when.

Every schema change here comes with an Alembic revision in migrations/versions.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.column_types import UTCDateTime

ADDRESS_LENGTH = 254
LABEL_LENGTH = 120


class OnCallShift(db.Model):
    """One period of the rota: from `starts_at` until `ends_at` (UTC), who is on call."""

    __tablename__ = "on_call_shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A person on call, or (user_id None) a functional address with a label.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    email: Mapped[str | None] = mapped_column(String(ADDRESS_LENGTH))
    label: Mapped[str | None] = mapped_column(String(LABEL_LENGTH))
    # An e-mail-to-SMS gateway's address for this shift's person: a one-line text.
    sms_email: Mapped[str | None] = mapped_column(String(ADDRESS_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user = relationship("User", foreign_keys=[user_id])

    __table_args__ = (Index("ix_on_call_shifts_period", "starts_at", "ends_at"),)

    @property
    def address(self) -> str:
        """Return where the shift's e-mails go: the person's address or the functional one."""
        return self.user.email if self.user is not None else (self.email or "")
