"""Issue 12, bug 10: leaders' e-mails say the deadline is in their team; one e-mail a person;
the administrator reads each e-mail's text on "Udgående post"."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from alerting import RECEIVED, local, make_people, register, run_scheduler, sent_pairs
from factories import login, make_user, new_client
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Alert, Role

ASSESSMENT_WARNING = RECEIVED + timedelta(hours=20)
ASSESSMENT_OVERDUE = RECEIVED + timedelta(hours=24)
TIMELINE = [
    RECEIVED + timedelta(minutes=10),
    ASSESSMENT_WARNING,
    ASSESSMENT_OVERDUE,
    local(2026, 3, 19, 8, 0),
    local(2026, 3, 20, 0, 0),
    local(2026, 3, 23, 8, 0),  # Monday: escalation to the leaders
    local(2026, 4, 1, 8, 0),
]


def test_a_leader_told_about_a_team_deadline_reads_that_it_is_the_teams(app, smtp_server):
    people = make_people(digest=False)
    register(people)
    transport = smtp_server.transport()
    for moment in TIMELINE:
        run_scheduler(moment, transport)
    to_leader = [m for m in smtp_server.received if m.rcpt_tos == ("leder@nord.test",)]
    assert to_leader
    for message in to_leader:
        assert "i dit team" in message.message["Subject"]
        body = message.message.get_body(preferencelist=("plain",)).get_content()
        assert "i dit team" in body and "som leder af teamet" in body


def test_a_leader_who_is_the_caseworker_gets_one_email_a_stage(app, smtp_server):
    people = make_people(digest=False)
    notification = register(people, caseworker=people.leader)
    ref = notification.reference
    transport = smtp_server.transport()
    for moment in TIMELINE:
        run_scheduler(moment, transport)
    to_leader = Counter(s for r, s in sent_pairs(smtp_server) if r == "leder@nord.test")
    assert all(count == 1 for count in to_leader.values())
    for kind in ("Bekræftelse af modtagelse", "Orientering af underretteren"):
        passed = [s for s in to_leader if "overskredet" in s and kind in s and ref in s]
        assert passed == [f"Frist overskredet: {kind}, {ref}"]  # as the caseworker, once


def test_the_administrator_reads_each_emails_text_on_the_outbox_page(app, smtp_server):
    people = make_people(digest=False)
    notification = register(people)
    run_scheduler(ASSESSMENT_WARNING, smtp_server.transport())
    sent = db.session.scalars(select(Alert)).all()
    assert sent and all(alert.body_text for alert in sent)
    assert all(notification.reference in alert.body_text for alert in sent)
    admin = make_user(role=Role.ADMIN, team=None, name="Ada Admin")
    client = new_client(app)
    login(client, admin)
    html = client.get("/admin/outbox/").get_data(as_text=True)
    assert "Læs e-mailen" in html and f"/cases/{notification.id}" in html
    assert "Mikkel" not in html  # the text has no personal data


def test_the_new_caseworker_is_told_by_email_reference_and_link_only(app, smtp_server):
    from tracker.cases import actions, case_life

    people = make_people(digest=False)
    notification = register(people)
    bo = make_user(role=Role.CASEWORKER, team=people.team, email="bo@nord.test")
    actions.reassign(notification, caseworker=bo, by=people.leader, now=RECEIVED)
    case_life.tell_new_caseworker(notification, bo, now=RECEIVED)
    run_scheduler(RECEIVED + timedelta(minutes=1), smtp_server.transport())
    (mail,) = [
        m
        for m in smtp_server.received
        if m.rcpt_tos == ("bo@nord.test",) and "Du har fået sagen" in m.message["Subject"]
    ]
    body = mail.message.get_body(preferencelist=("plain",)).get_content()
    assert notification.reference in body and f"/cases/{notification.id}" in body
    assert "Mikkel" not in mail.data.decode() and "BARN" not in mail.data.decode()
