"""Retention of intake items: their content goes with the case, or after the retention time.

An item registered as a case is purged when the case is anonymised
(tracker.operations.retention); one marked "ikke en underretning" RETENTION_MONTHS after
that decision. Purging clears the sender, subject, text, attachment list and the raw
message; the item's times, mailbox, status and links stay for the statistics and the log.
An item still waiting for registration is never purged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update

from tracker import audit
from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.intake.items import OBJECT_TYPE
from tracker.models import IntakeItem, IntakeStatus

BATCH_SIZE = 500


def purge_items_of_cases(case_ids: Sequence[int], now: datetime) -> int:
    """Purge the items registered as these (anonymised) cases; return how many."""
    ids = db.session.scalars(
        select(IntakeItem.id).where(
            IntakeItem.notification_id.in_(case_ids), IntakeItem.purged_at.is_(None)
        )
    ).all()
    return _purge(ids, now)


def dismissed_before(before: datetime):
    """Select the items marked "ikke en underretning" before `before` and not yet purged."""
    return select(IntakeItem.id).where(
        IntakeItem.status == IntakeStatus.NOT_A_NOTIFICATION,
        IntakeItem.decided_at < before,
        IntakeItem.purged_at.is_(None),
    )


def purge_dismissed_batch(now: datetime, before: datetime, size: int = BATCH_SIZE) -> int:
    """Purge up to `size` items dismissed before `before`; return how many."""
    ids = db.session.scalars(dismissed_before(before).order_by(IntakeItem.id).limit(size)).all()
    return _purge(ids, now)


def _purge(ids: Sequence[int], now: datetime) -> int:
    if not ids:
        return 0
    db.session.execute(
        update(IntakeItem)
        .where(IntakeItem.id.in_(ids))
        .values(sender=None, subject=None, body_text="", attachments=[], raw=None, purged_at=now)
        .execution_options(synchronize_session=False)
    )
    rows = db.session.execute(
        select(IntakeItem.id, IntakeItem.team_id, IntakeItem.notification_id).where(
            IntakeItem.id.in_(ids)
        )
    ).all()
    for item_id, team_id, case_id in rows:
        audit.record(
            AuditAction.INTAKE_ITEM_PURGE,
            actor=None,  # the system, on the municipality's retention setting
            at=now,
            object_type=OBJECT_TYPE,
            object_id=item_id,
            team_id=team_id,
            case_id=case_id,
        )
    return len(ids)
