"""The data layer: SQLAlchemy 2.0 typed models.

Every schema change here comes with an Alembic revision in migrations/versions.
"""

from __future__ import annotations

from tracker.extensions import db
from tracker.types import UTCDateTime

__all__ = ["UTCDateTime", "db"]
