"""Hand-made notifications and deadlines in any state, for the dashboard and report tests.

Rows are written directly (not through the use cases) so a test can place a
deadline exactly: its start, due time and completion. Use inside a test that takes
the `app` fixture.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from tracker.domain.local_time import end_of_local_day, local_date
from tracker.extensions import db
from tracker.models import Deadline, Notification, NotificationConcern

_numbers = itertools.count(1)


def make_notification(team, caseworker=None, *, received_at: datetime, **fields) -> Notification:
    """Create a notification (without deadlines) and flush it."""
    number = next(_numbers)
    values = dict(
        reference=f"U-{received_at.year}-{number:06d}",
        received_at=received_at,
        registered_at=received_at,
        registered_by_id=(caseworker or fields.pop("registered_by")).id,
        channel="email",
        notifier_kind="professional",
        notifier_contact=None,
        child_reference=f"BARN-{number}",
        concerns=("neglect",),
        summary="Fortroligt resumé",
        team_id=team.id,
        caseworker_id=caseworker.id if caseworker else None,
    )
    values.update(fields)
    categories = values.pop("concerns")
    notification = Notification(**values)
    notification.concerns = [
        NotificationConcern(position=i, category=c) for i, c in enumerate(categories)
    ]
    db.session.add(notification)
    db.session.flush()
    return notification


def make_deadline(
    team,
    caseworker=None,
    *,
    kind: str = "assessment",
    starts_at: datetime,
    overdue_from: datetime | None = None,
    due_date: date | None = None,
    completed_at: datetime | None = None,
    not_applicable: str | None = None,
    notification: Notification | None = None,
) -> Deadline:
    """Create one deadline (and a notification for it unless given); flush, don't commit."""
    if overdue_from is None:
        overdue_from = (
            starts_at + timedelta(hours=24)
            if kind == "assessment"
            else end_of_local_day(due_date or local_date(starts_at) + timedelta(days=8))
        )
    if due_date is None:
        due_date = local_date(overdue_from - timedelta(microseconds=1))
    notification = notification or make_notification(team, caseworker, received_at=starts_at)
    deadline = Deadline(
        notification_id=notification.id,
        kind=kind,
        legal_paragraph="§",
        legal_text="",
        starts_at=starts_at,
        due_date=due_date,
        overdue_from=overdue_from,
        trace=[],
        completed_at=completed_at,
        completed_by_id=caseworker.id if completed_at and caseworker else None,
        not_applicable_reason=not_applicable,
        team_id=team.id,
        caseworker_id=caseworker.id if caseworker else None,
    )
    db.session.add(deadline)
    db.session.flush()
    return deadline
