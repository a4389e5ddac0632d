"""From a real mailbox to a case: the clock on the dashboard, the alarm, registering, dismissing.

Messages arrive in Dovecot (see test_intake_mailbox.py); everything after the poll goes
through the pages and the scheduler's sweep as a user and the scheduler would.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from alerting import local, run_scheduler, sent_pairs
from factories import login, make_team, make_user, new_client
from intake_mail import underretning
from sqlalchemy import select

from tracker.extensions import db
from tracker.intake.poll import poll_all
from tracker.models import Alert, AuditEvent, IntakeItem, IntakeStatus, Notification, Role

ARRIVED = local(2026, 3, 11, 10, 0, 37)  # Wednesday, in opening hours
NOW = ARRIVED + timedelta(minutes=2)


@pytest.fixture
def team(app, mailbox, monkeypatch, clock):
    team = make_team("Modtagelsen")
    monkeypatch.setitem(app.config, "INTAKE_MAILBOXES", (mailbox.settings(team="Modtagelsen"),))
    return team


def arrive(mailbox, number=1, at=ARRIVED) -> IntakeItem:
    mailbox.deliver(underretning(number), arrived_at=at)
    poll_all(lambda: at + timedelta(minutes=1))
    db.session.expire_all()
    return db.session.scalars(select(IntakeItem).order_by(IntakeItem.id.desc())).first()


def test_the_dashboard_shows_the_clock_from_arrival(app, mailbox, team, clock):
    caseworker = make_user(role=Role.CASEWORKER, team=team)
    item = arrive(mailbox)
    clock.set(ARRIVED + timedelta(hours=21))
    client = login(new_client(app), caseworker)

    page = client.get("/dashboard").get_data(as_text=True)

    assert "Ikke registreret (1)" in page
    assert "ons. 11. mar. 2026 kl. 10:00" in page  # arrived
    assert "tors. 12. mar. 2026 kl. 10:00" in page  # the 24 hours are up
    assert "om 3 timer" in page  # seen at 07:00 the next day
    assert f"/intake/{item.id}" in page
    # The dashboard shows no content of the item: not the sender, not the subject.
    assert "Åse" not in page and "Søren" not in page
    # Another team sees nothing of it.
    stranger = login(new_client(app), make_user(role=Role.CASEWORKER))
    assert "intake-items" not in stranger.get("/dashboard").get_data(as_text=True)
    assert stranger.get(f"/intake/{item.id}").status_code == 404


def test_the_alarm_and_the_deadline_alerts_go_to_the_leader(app, mailbox, team, smtp_server):
    leader = make_user(role=Role.LEADER, team=team, email="leder@modtagelsen.test")
    leader.digest_enabled = False
    db.session.commit()
    arrive(mailbox)
    transport = smtp_server.transport()

    for minutes in (2, 59, 61, 62, 20 * 60 + 1, 24 * 60 + 1, 24 * 60 + 2):
        run_scheduler(ARRIVED + timedelta(minutes=minutes), transport)

    mail = "leder@modtagelsen.test"
    assert Counter(sent_pairs(smtp_server)) == Counter(
        {
            (mail, "Ikke registreret: en underretning i indbakken central"): 1,
            (mail, "24-timersfristen nærmer sig, ikke registreret: indbakke central"): 1,
            (mail, "24-timersfristen er overskredet, ikke registreret: indbakke central"): 1,
        }
    )
    alarm = db.session.scalar(select(Alert).where(Alert.stage == "intake_not_registered"))
    assert alarm.due_at == ARRIVED + timedelta(hours=1)
    # The e-mails carry no content of the underretning.
    for message in smtp_server.received:
        text = message.message.as_string()
        assert "Åse" not in text and "soeren" not in text and "Bekymring" not in text


def test_an_item_that_lands_on_friday_evening_raises_the_alarm_on_monday(
    app, mailbox, team, smtp_server
):
    make_user(role=Role.LEADER, team=team)
    arrive(mailbox, at=local(2026, 3, 13, 19, 0))
    run_scheduler(local(2026, 3, 14, 12, 0), smtp_server.transport())
    assert db.session.scalar(select(Alert).where(Alert.stage == "intake_not_registered")) is None
    run_scheduler(local(2026, 3, 16, 9, 0), smtp_server.transport())
    alarm = db.session.scalar(select(Alert).where(Alert.stage == "intake_not_registered"))
    assert alarm.due_at == local(2026, 3, 16, 9, 0)


def test_outside_opening_hours_the_person_on_call_hears_of_the_arrival_too(
    app, mailbox, team, smtp_server
):
    from tracker.people import oncall

    make_user(role=Role.LEADER, team=team, email="leder@modtagelsen.test").digest_enabled = False
    # The rota: the on-call service's functional address from Friday 15:00 to Monday 08:00.
    oncall.add_shift(
        starts_at=local(2026, 3, 13, 15, 0),
        ends_at=local(2026, 3, 16, 8, 0),
        email="vagt@kommune.test",
        label="Socialvagten",
        by=None,
        now=local(2026, 3, 13, 12, 0),
    )
    db.session.commit()
    arrive(mailbox, at=local(2026, 3, 13, 19, 0))  # Friday evening
    transport = smtp_server.transport()

    for at in (local(2026, 3, 14, 15, 1), local(2026, 3, 14, 19, 1), local(2026, 3, 16, 9, 0)):
        run_scheduler(at, transport)

    sent = Counter(sent_pairs(smtp_server))
    warning = "24-timersfristen nærmer sig, ikke registreret: indbakke central"
    overdue = "24-timersfristen er overskredet, ikke registreret: indbakke central"
    alarm = "Ikke registreret: en underretning i indbakken central"
    assert sent == Counter(
        {
            ("leder@modtagelsen.test", warning): 1,
            ("vagt@kommune.test", warning): 1,
            ("leder@modtagelsen.test", overdue): 1,
            ("vagt@kommune.test", overdue): 1,
            # Monday 09:00 is in opening hours: the leader, not the on-call service.
            ("leder@modtagelsen.test", alarm): 1,
        }
    )


def form(**changes) -> dict:
    return {
        "received_date": "2026-03-11",
        "received_time": "10:00",
        "channel": "email",
        "notifier_kind": "professional",
        "notifier_contact": "Søren Ærbø, skolen",
        "child_reference": "BARN-0042",
        "concerns": "neglect",
        "summary": "Åse kommer sulten i skole.",
        "age_group": "6-11",
        **changes,
    }


def test_register_from_an_item_fixes_the_receipt_time(app, mailbox, team, clock):
    caseworker = make_user(role=Role.CASEWORKER, team=team)
    item = arrive(mailbox)
    clock.set(ARRIVED + timedelta(hours=3))
    client = login(new_client(app), caseworker)

    page = client.get(f"/cases/new?intake={item.id}").get_data(as_text=True)
    assert 'value="10:00"' in page and "Åse kommer sulten i skole" in page  # shown beside

    later = client.post(
        f"/cases/new?intake={item.id}",
        data=form(caseworker_id=caseworker.id, received_time="11:00"),
    )
    assert later.status_code == 422
    assert "kan ikke være senere" in later.get_data(as_text=True)

    earlier = client.post(
        f"/cases/new?intake={item.id}",
        data=form(caseworker_id=caseworker.id, received_time="09:30"),
    )
    assert earlier.status_code == 422  # an earlier time needs a reason

    response = client.post(f"/cases/new?intake={item.id}", data=form(caseworker_id=caseworker.id))
    assert response.status_code == 302
    db.session.expire_all()
    notification = db.session.scalars(select(Notification)).one()
    assert notification.received_at == ARRIVED  # to the second, from the server
    item = db.session.get(IntakeItem, item.id)
    assert item.status == IntakeStatus.REGISTERED and item.notification_id == notification.id
    assert item.next_alert_at is None
    actions = [
        e.action
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "intake_item")
        )
    ]
    assert "intake_item.register" in actions and "intake_item.view" in actions
    # The case links to its item; its raw message can be downloaded by those who see the case.
    case_page = client.get(f"/cases/{notification.id}").get_data(as_text=True)
    assert f"/intake/{item.id}/raw" in case_page
    raw = client.get(f"/intake/{item.id}/raw")
    assert raw.status_code == 200 and b"underretningsskema" in raw.data
    # Registered once: the form for it is gone.
    assert client.get(f"/cases/new?intake={item.id}").status_code == 409


def test_register_with_an_earlier_time_and_a_reason(app, mailbox, team, clock):
    caseworker = make_user(role=Role.CASEWORKER, team=team)
    item = arrive(mailbox)
    clock.set(ARRIVED + timedelta(hours=1))
    client = login(new_client(app), caseworker)
    response = client.post(
        f"/cases/new?intake={item.id}",
        data=form(
            caseworker_id=caseworker.id,
            received_time="09:15",
            channel="phone",
            earlier_reason="Skolen ringede kl. 9.15, før mailen kom",
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    notification = db.session.scalars(select(Notification)).one()
    assert notification.received_at == local(2026, 3, 11, 9, 15)
    assert db.session.get(IntakeItem, item.id).earlier_receipt_reason.startswith("Skolen ringede")


def test_only_a_leader_marks_an_item_not_a_notification(app, mailbox, team, clock):
    caseworker = make_user(role=Role.CASEWORKER, team=team)
    leader = make_user(role=Role.LEADER, team=team)
    item = arrive(mailbox)
    worker = login(new_client(app), caseworker)
    assert worker.post(f"/intake/{item.id}/dismiss", data={"reason": "spam"}).status_code == 422

    boss = login(new_client(app), leader)
    assert boss.post(f"/intake/{item.id}/dismiss", data={"reason": ""}).status_code == 422
    response = boss.post(
        f"/intake/{item.id}/dismiss", data={"reason": "Reklame, ikke en underretning"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    item = db.session.get(IntakeItem, item.id)
    assert item.status == IntakeStatus.NOT_A_NOTIFICATION and item.decided_by_id == leader.id
    assert (
        db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "intake_item.dismiss")
        ).user_id
        == leader.id
    )
    assert "intake-items" not in boss.get("/dashboard").get_data(as_text=True)
