"""Alerts that reach someone who can act: on call outside opening hours, working-day alerts
at the next opening, the third escalation level once, and "Jeg har den".

Easter 2027 is a holiday weekend with the change to summer time in it: skærtorsdag 25
March, langfredag 26, påskedag 28 (clocks forward at 02:00), 2. påskedag 29. Time is
passed in; a real SMTP server on loopback receives the e-mails.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from alerting import local, make_people, register, run_scheduler, sent_pairs
from factories import login, make_user
from sqlalchemy import select

from tracker.cases import timeline
from tracker.extensions import db
from tracker.models import Alert, AlertAcknowledgement, AuditEvent, Role, TimelineKind
from tracker.operations import readiness
from tracker.people import oncall

GOOD_FRIDAY_EVENING = local(2027, 3, 26, 19, 45)
NOW = GOOD_FRIDAY_EVENING
AFDELINGSLEDER = "afdelingsleder@kommune.test"
SMS = "4512345678@sms.kommune.test"


@pytest.fixture
def escalating(app, tmp_path: Path, monkeypatch):
    """The assessment's next level 12 hours after it is overdue, to the afdelingsleder."""
    policy = tmp_path / "alerts.toml"
    policy.write_text("[assessment]\nnext_level_after_hours = 12\n")
    monkeypatch.setitem(app.config, "ALERT_POLICY_FILE", str(policy))
    monkeypatch.setitem(app.config, "ESCALATION_NEXT_LEVEL_EMAIL", AFDELINGSLEDER)
    return app


def on_call_over_easter(people):
    vagt = make_user(role=Role.CASEWORKER, email="viggo.vagt@kommune.test", name="Viggo Vagt")
    oncall.add_shift(
        starts_at=local(2027, 3, 24, 15, 0), ends_at=local(2027, 3, 30, 8, 0),
        user=vagt, sms_email=SMS, by=people.leader, now=local(2027, 3, 1, 9, 0),
    )  # fmt: skip
    db.session.commit()
    return vagt


def rows(stage: str) -> list[Alert]:
    return list(db.session.scalars(select(Alert).where(Alert.stage == stage).order_by(Alert.id)))


def test_a_friday_evening_assessment_goes_to_the_person_on_call_across_the_clock_change(
    escalating, smtp_server
):
    people = make_people(digest=False)
    vagt = on_call_over_easter(people)
    case = register(people, received_at=GOOD_FRIDAY_EVENING)
    ref = case.reference
    warning = local(2027, 3, 27, 15, 45)  # 4 hours before the 24 are up
    overdue = local(2027, 3, 27, 19, 45)
    next_level = local(2027, 3, 28, 8, 45)  # 12 elapsed hours: 07:45 + the hour put forward
    assert next_level - overdue == timedelta(hours=12)
    transport = smtp_server.transport()
    for moment in (warning - timedelta(minutes=1), warning, warning + timedelta(minutes=1),
                   overdue, overdue + timedelta(minutes=1), next_level - timedelta(minutes=1),
                   next_level, next_level + timedelta(minutes=1)):  # fmt: skip
        run_scheduler(moment, transport)

    assert {(a.recipient_email, a.route, a.due_at) for a in rows("warn_4h")} == {
        ("anna@nord.test", None, warning),
        (vagt.email, "oncall", warning),
        (SMS, "sms", warning),
    }
    assert {(a.recipient_email, a.route) for a in rows("overdue")} == {
        ("anna@nord.test", None), ("leder@nord.test", None), (vagt.email, "oncall"), (SMS, "sms"),
    }  # fmt: skip
    # The next level, once; outside opening hours the person on call hears of it too.
    assert {a.route for a in rows("next_level")} == {"next_level", "oncall", "sms"}
    [third] = [a for a in rows("next_level") if a.route == "next_level"]
    assert (third.recipient_email, third.due_at, third.sent_at) == (
        AFDELINGSLEDER, next_level, next_level,
    )  # fmt: skip
    sent = Counter(sent_pairs(smtp_server))
    assert (
        sent[(AFDELINGSLEDER, f"Frist overskredet og ikke taget: 24-timers vurdering, {ref}")] == 1
    )
    ids = Counter(m.message["X-Fristsporing-Alert"] for m in smtp_server.received)
    assert set(ids.values()) == {1}  # each e-mail once
    by_route = {m.message["X-Fristsporing-Alert"]: m for m in smtp_server.received}
    on_call_mail = by_route[str(rows("warn_4h")[1].id)].message
    assert "vagt" in on_call_mail.get_body(("plain",)).get_content()
    sms = by_route[str(rows("warn_4h")[2].id)].message
    [line] = sms.get_body(("plain",)).get_content().strip().splitlines()
    assert line == f"{ref}: frist lør. 27. mar. kl. 19:45"
    assert sms.get_body(("html",)) is None or sms.is_multipart() is False


def test_a_working_day_deadlines_alert_at_night_waits_for_the_opening_after_easter(
    app, smtp_server
):
    people = make_people(digest=False)
    case = register(people, received_at=local(2027, 3, 16, 10, 0))  # receipt due Wed 24
    ref = case.reference
    transport = smtp_server.transport()
    receipt_overdue = (
        people.caseworker.email,
        f"Frist overskredet: Bekræftelse af modtagelse, {ref}",
    )
    for moment in (local(2027, 3, 25, 0, 0), local(2027, 3, 27, 2, 0), local(2027, 3, 29, 10, 0),
                   local(2027, 3, 30, 7, 59)):  # fmt: skip
        run_scheduler(moment, transport)
        assert receipt_overdue not in sent_pairs(smtp_server), moment
    [row] = [a for a in rows("overdue") if a.deadline.kind == "receipt"]
    tuesday = local(2027, 3, 30, 8, 0)
    assert (row.due_at, row.next_attempt_at, row.send_from) == (
        local(2027, 3, 25),
        tuesday,
        tuesday,
    )
    # Waiting for the opening is not a mail server that takes nothing.
    outbox = readiness.check(local(2027, 3, 29, 10, 0)).checks["outbox"]
    assert outbox["ok"] and outbox["waiting_for_opening"] >= 1
    run_scheduler(local(2027, 3, 30, 8, 0), transport)
    assert Counter(sent_pairs(smtp_server))[receipt_overdue] == 1
    db.session.refresh(row)
    assert row.sent_at == local(2027, 3, 30, 8, 0)  # Tuesday after 2. påskedag, at opening


def test_jeg_har_den_records_who_took_it_and_stops_the_next_level(
    escalating, smtp_server, client, clock
):
    people = make_people(digest=False)
    case = register(people, received_at=GOOD_FRIDAY_EVENING)
    overdue = local(2027, 3, 27, 19, 45)
    run_scheduler(overdue, smtp_server.transport())
    [to_anna] = [a for a in rows("overdue") if a.recipient_id == people.caseworker.id]
    body = next(
        m.message.get_body(("plain",)).get_content()
        for m in smtp_server.received
        if m.message["X-Fristsporing-Alert"] == str(to_anna.id)
    )
    link = f"http://127.0.0.1:5000/alerts/ack/{to_anna.ack_token}"
    assert link in body and case.reference not in to_anna.ack_token

    clock.set(overdue + timedelta(minutes=20))
    assert client.get(f"/alerts/ack/{to_anna.ack_token}").status_code == 302  # sign in first
    login(client, people.caseworker)
    page = client.get(f"/alerts/ack/{to_anna.ack_token}").get_data(as_text=True)
    for secret in (case.child_reference, case.cpr_number, case.summary, case.notifier_contact):
        assert secret not in page
    assert client.post(f"/alerts/ack/{to_anna.ack_token}").status_code == 302
    assert client.post(f"/alerts/ack/{to_anna.ack_token}").status_code == 302  # once only
    assert client.get("/alerts/ack/not-a-token").status_code == 404

    db.session.expire_all()
    [taken] = db.session.scalars(select(AlertAcknowledgement)).all()
    assert (taken.user_id, taken.stage, taken.acknowledged_at) == (
        people.caseworker.id, "overdue", overdue + timedelta(minutes=20),
    )  # fmt: skip
    assert (
        db.session.scalar(
            select(AuditEvent.case_id).where(AuditEvent.action == "alert.acknowledge")
        )
        == case.id
    )
    page = client.get(f"/alerts/ack/{to_anna.ack_token}").get_data(as_text=True)
    assert "Taget af" in page
    [entry] = [e for e in timeline.entries_for(case) if e.kind == TimelineKind.ALERT_ACKNOWLEDGED]
    assert (entry.actor_id, entry.deadline_id, entry.occurred_at) == (
        people.caseworker.id, to_anna.deadline_id, overdue + timedelta(minutes=20),
    )  # fmt: skip
    case_page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "24-timers vurdering: fristen er overskredet" in case_page

    run_scheduler(overdue + timedelta(hours=12), smtp_server.transport())
    run_scheduler(overdue + timedelta(hours=13), smtp_server.transport())
    assert rows("next_level") == []  # the next stage is stopped
    dashboard = client.get("/dashboard?who=all&status=overdue").get_data(as_text=True)
    assert "taget af" in dashboard


def test_a_next_level_waiting_to_be_sent_is_withdrawn_when_the_alert_is_taken(
    escalating, smtp_server
):
    from tracker.alerts import acknowledge

    people = make_people(digest=False)
    register(people, received_at=GOOD_FRIDAY_EVENING)
    overdue = local(2027, 3, 27, 19, 45)
    run_scheduler(overdue, smtp_server.transport())
    with smtp_server.refusing():
        run_scheduler(overdue + timedelta(hours=12), smtp_server.transport())
    [waiting] = rows("next_level")
    [to_anna] = [a for a in rows("overdue") if a.recipient_id == people.caseworker.id]
    acknowledge.acknowledge(
        to_anna, by=people.caseworker, now=overdue + timedelta(hours=12, minutes=1)
    )
    db.session.commit()
    run_scheduler(overdue + timedelta(hours=13), smtp_server.transport())
    db.session.refresh(waiting)
    assert waiting.status == "cancelled"
    assert all(m.rcpt_tos != [AFDELINGSLEDER] for m in smtp_server.received)
