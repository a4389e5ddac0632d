"""The demo notifications: about forty, every state a caseworker meets, made once."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from tracker.cases.action_cards import cards_for_app, choose_card
from tracker.cases.repeats import repeats_of
from tracker.cli.demo import create_demo_people
from tracker.cli.demo_cases import (
    CHILD_WITH_INDSATS,
    REPEATED_CHILD,
    create_demo_notifications,
)
from tracker.domain.status import DeadlineStatus
from tracker.extensions import db
from tracker.models import Deadline, Notification, TimelineEntry
from tracker.text.wording import status_of

NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)


def test_demo_notifications_cover_every_state_and_are_made_once(app):
    users = create_demo_people(NOW)
    created = create_demo_notifications(NOW, users)
    db.session.commit()
    assert 35 <= created <= 45
    statuses = {status_of(d, NOW) for d in db.session.scalars(select(Deadline))}
    assert statuses == set(DeadlineStatus)  # open, due soon, overdue, met, late, n/a, § 47
    kinds = set(db.session.scalars(select(Deadline.kind)))
    assert kinds == {
        "assessment",
        "receipt",
        "orientation",
        "plan",
        "investigation",
        "follow_up",
        "threat_assessment",
        "reassessment",
    }
    reassessment = db.session.scalars(select(Deadline).where(Deadline.kind == "reassessment")).one()
    assert reassessment.notification.child_reference == CHILD_WITH_INDSATS
    assert reassessment.notification.notifier_kind == "police"
    closed = db.session.scalar(
        select(func.count()).select_from(Notification).where(Notification.status == "closed")
    )
    assert closed >= 2
    teams = set(db.session.scalars(select(Notification.team_id)))
    assert len(teams) == 2
    assert all(n.cpr_number is None for n in db.session.scalars(select(Notification)))
    assert repeats_of(REPEATED_CHILD, team_ids=list(teams)).total == 5

    # The difference the action cards make: an honour case handed over to the police, an
    # adult with local tasks and no barnets lov deadline, a neglect case on the general card.
    handed_over = db.session.scalars(
        select(TimelineEntry).where(TimelineEntry.step_key == "police_handover")
    ).all()
    assert handed_over and all(e.details["ends_duty"] for e in handed_over)
    for notification in db.session.scalars(select(Notification)):
        kinds_of_case = {d.kind for d in notification.deadlines}
        if notification.age_group == "18-22":
            assert kinds_of_case <= {"threat_assessment", "adult_follow_up"}
        else:
            assert "threat_assessment" not in kinds_of_case
    cards = cards_for_app()
    used = {choose_card(cards, n).key for n in db.session.scalars(select(Notification))}
    assert {"general", "under-18-myndighed", "over-18-myndighed"} <= used

    assert create_demo_notifications(NOW, users) == 0
    db.session.commit()
    total = db.session.scalar(select(func.count()).select_from(Notification))
    assert total == created


def test_the_demo_has_todays_rota_and_a_friday_evening_alert_to_the_person_on_call(app):
    from tracker.cli.demo import create_demo_data
    from tracker.domain.local_time import local_date
    from tracker.models import Alert
    from tracker.people import oncall

    create_demo_data(NOW)  # Wednesday 11 March 2026
    db.session.commit()
    create_demo_data(NOW)  # made once
    db.session.commit()
    today = {s.starts_at for s in oncall.shifts_between(NOW.replace(hour=0), NOW.replace(hour=23))}
    assert len(today) == 2
    friday = db.session.scalar(
        select(Notification).where(Notification.child_reference == "SAG-2026-0500")
    )
    assert (local_date(friday.received_at).isoformat(), friday.received_at.hour) == (
        "2026-03-06", 18,  # Friday 19:45 in Copenhagen
    )  # fmt: skip
    to_on_call = db.session.scalars(
        select(Alert).where(Alert.notification_id == friday.id, Alert.route == "oncall")
    ).all()
    assert [a.recipient_email for a in to_on_call] == ["carl@syd.demo"]
    assert db.session.scalar(select(func.count()).select_from(Alert).where(Alert.route == "sms"))
