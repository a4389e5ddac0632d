"""Demo on-call rota and a Friday-evening case whose alert went to the person on call.

The rota covers today (the socialvagt's functional address until 08:00, Bo Bertelsen
from 15:00 until tomorrow 08:00, with an SMS address) and the last weekend (Carl
Christensen from Friday 15:00 until Monday 08:00). The Friday-evening case's 24-hour
assessment was overdue on the Saturday evening: the sweep is run as of then, for that
deadline only, so its outbox holds the alert addressed to Carl, on call, and his SMS.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from tracker.alerts import sweep
from tracker.cases import actions
from tracker.cli.demo_cases import SECTORS
from tracker.domain.local_time import COPENHAGEN, local_date
from tracker.domain.rules import DeadlineKind
from tracker.extensions import db
from tracker.models import Notification, OnCallShift, User
from tracker.people import oncall

FRIDAY_EVENING = time(19, 45)
FRIDAY_CHILD = "SAG-2026-0500"


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=COPENHAGEN)


def last_friday_evening(now: datetime) -> datetime:
    """Return the latest Friday 19:45 whose assessment (24 hours) was overdue before now."""
    day = local_date(now)
    while True:
        if day.weekday() == 4 and _at(day, FRIDAY_EVENING) + timedelta(days=1) < now:
            return _at(day, FRIDAY_EVENING)
        day -= timedelta(days=1)


def create_demo_rota(now: datetime, users: dict[str, User]) -> int:
    """Create today's and the last weekend's shifts unless the rota has any; how many."""
    if db.session.scalar(select(func.count()).select_from(OnCallShift)):
        return 0
    today = local_date(now)
    friday = last_friday_evening(now).date()
    shifts = [
        dict(
            starts_at=_at(today - timedelta(days=1), time(15)), ends_at=_at(today, time(8)),
            email="socialvagt@kommune.demo", label="Socialvagten",
        ),
        dict(
            starts_at=_at(today, time(15)), ends_at=_at(today + timedelta(days=1), time(8)),
            user=users["bo@nord.demo"], sms_email="4520000000@sms.kommune.demo",
        ),
        dict(
            starts_at=_at(friday, time(15)), ends_at=_at(friday + timedelta(days=3), time(8)),
            user=users["carl@syd.demo"], sms_email="4530000000@sms.kommune.demo",
        ),
    ]  # fmt: skip
    for shift in shifts:
        oncall.add_shift(by=None, now=now, **shift)
    return len(shifts)


def create_friday_evening_case(now: datetime, users: dict[str, User], policy) -> None:
    """Register a case last Friday 19:45 and sweep it as of its Saturday-evening deadline."""
    if db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.child_reference == FRIDAY_CHILD)
    ):
        return
    received_at = last_friday_evening(now)
    owner = users["anna@nord.demo"]
    data = actions.NotificationInput(
        received_at=received_at,
        channel="phone",
        notifier_kind="police",
        notifier_contact="Nordjyllands Politi, vagthavende. Fiktiv demo-tekst.",
        child_reference=FRIDAY_CHILD,
        cpr_number=None,
        child_birth_date=None,
        age_group="12-14",
        concerns=("violence",),
        summary="Politiet rykkede ud til husspektakler fredag aften. Fiktiv demo-tekst.",
        team_id=owner.team_id,
        caseworker_id=owner.id,
        notifier_sector=SECTORS["police"],
    )
    notification = actions.register_notification(
        data, registered_by=owner, now=received_at + timedelta(minutes=15)
    )
    db.session.flush()
    assessment = next(d for d in notification.deadlines if d.kind == DeadlineKind.ASSESSMENT)
    sweep.sweep_batch(assessment.overdue_from, policy, deadline_ids=[assessment.id])
