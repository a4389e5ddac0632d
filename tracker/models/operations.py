"""What the running system records about itself: the scheduler's heartbeat and its outages.

Every schema change here comes with an Alembic revision in migrations/versions.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models.column_types import UTCDateTime


class Heartbeat(db.Model):
    """When a recurring job last completed (name "sweep": the scheduler's every-minute sweep)."""

    __tablename__ = "heartbeats"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SchedulerOutage(db.Model):
    """A time the scheduler was down: from its last completed sweep until one ran again.

    `down_since` is unique: however many schedulers start after the same outage, it is
    recorded, and the administrators told, once.
    """

    __tablename__ = "scheduler_outages"

    id: Mapped[int] = mapped_column(primary_key=True)
    down_since: Mapped[datetime] = mapped_column(UTCDateTime, unique=True)
    back_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MailTrouble(db.Model):
    """A time e-mails were failing or waiting too long, and the administrators were told.

    `open_key` is "open" while it lasts and None after: unique, so however many
    schedulers notice the same trouble, it is recorded, and the administrators told, once.
    """

    __tablename__ = "mail_troubles"

    id: Mapped[int] = mapped_column(primary_key=True)
    noticed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    open_key: Mapped[str | None] = mapped_column(String(8), unique=True)
