"""Intake items are purged with their case, or after the retention time when dismissed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from factories import make_team, make_user
from sqlalchemy import select
from test_retention import _case, _purge

from tracker.extensions import db
from tracker.intake import items
from tracker.models import AuditEvent, IntakeItem, IntakeSource, IntakeStatus, Role

ARRIVED = datetime(2024, 3, 11, 8, 55, tzinfo=UTC)


def _item(team, number: int) -> IntakeItem:
    arrival = items.Arrival(
        source=IntakeSource.MAILBOX.value,
        mailbox="central",
        message_id=f"<{number}@skole.dk>",
        arrived_at=ARRIVED,
        team_id=team.id,
        raw=b"Subject: Mikkel\r\n\r\nMikkel kommer sulten i skole.",
        raw_type="message/rfc822",
        sender="Birthe <birthe@skole.dk>",
        subject="Mikkel",
        body_text="Mikkel kommer sulten i skole.",
        attachments=[{"filename": "skema.pdf", "content_type": "application/pdf", "size": 3}],
    )
    item_id = items.store_arrival(arrival, now=ARRIVED)
    db.session.commit()
    return db.session.get(IntakeItem, item_id)


def test_items_go_with_their_case_and_dismissed_ones_after_the_retention(app):
    team = make_team("Team Nord")
    worker = make_user(role=Role.CASEWORKER, team=team)
    leader = make_user(role=Role.LEADER, team=team)
    closed = ARRIVED + timedelta(days=2)
    registered, dismissed, waiting = _item(team, 1), _item(team, 2), _item(team, 3)
    case = _case(team, worker, child="SAG-1", received=ARRIVED, closed=closed)
    items.link_registration(registered, case, earlier_reason=None, by=worker, now=ARRIVED)
    items.dismiss(dismissed, "Reklame", by=leader, now=ARRIVED + timedelta(hours=1))
    db.session.commit()

    result = _purge(app)

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    for item_id in (registered.id, dismissed.id):
        item = db.session.get(IntakeItem, item_id)
        assert (item.sender, item.subject, item.body_text, item.raw) == (None, None, "", None)
        assert item.attachments == [] and item.purged_at is not None
        assert item.arrived_at == ARRIVED  # the times stay, for the statistics
    # An item nobody has registered yet is never purged.
    kept = db.session.get(IntakeItem, waiting.id)
    assert kept.status == IntakeStatus.UNREGISTERED and kept.body_text.startswith("Mikkel")
    purged = db.session.scalars(
        select(AuditEvent.object_id).where(AuditEvent.action == "intake_item.purge")
    ).all()
    assert sorted(purged) == sorted([str(registered.id), str(dismissed.id)])
