"""Deadline alerts end to end: sweep, outbox and dispatch to a real SMTP server on loopback.

Every test runs on SQLite and PostgreSQL; time is passed in, never slept on.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from alerting import RECEIVED, local, make_people, register, run_scheduler, sent_pairs
from sqlalchemy import select

from tracker.cases import actions
from tracker.extensions import db
from tracker.models import Alert, AlertStatus, Deadline, Notification

ASSESSMENT_WARNING = RECEIVED + timedelta(hours=20)  # 4 hours before the 24 are up
ASSESSMENT_OVERDUE = RECEIVED + timedelta(hours=24)
MINUTE = timedelta(minutes=1)


def alerts() -> list[Alert]:
    return list(db.session.scalars(select(Alert).order_by(Alert.id)))


def test_warning_overdue_and_escalation_arrive_once_each(app, smtp_server):
    people = make_people(digest=False)
    notification = register(people)
    ref = notification.reference
    transport = smtp_server.transport()
    anna, leader = "anna@nord.test", "leder@nord.test"

    # Every minute from registration to after the escalation would be slow; each stage's
    # minute and a repeat of it are what matters.
    timeline = [
        RECEIVED + 10 * MINUTE,
        ASSESSMENT_WARNING,
        ASSESSMENT_WARNING + MINUTE,
        ASSESSMENT_OVERDUE,
        ASSESSMENT_OVERDUE + MINUTE,
        local(2026, 3, 19, 8, 0),  # the morning of the receipt deadline's last hverdag
        local(2026, 3, 19, 8, 1),
        local(2026, 3, 20, 0, 0),  # receipt and orientation overdue
        local(2026, 3, 23, 8, 0),  # Monday: escalation to the leaders
        local(2026, 3, 23, 8, 1),
        local(2026, 4, 1, 8, 0),
    ]
    for moment in timeline:
        run_scheduler(moment, transport)

    assert Counter(sent_pairs(smtp_server)) == Counter(
        {
            (anna, f"Frist nærmer sig: 24-timers vurdering, {ref}"): 1,
            (anna, f"Frist overskredet: 24-timers vurdering, {ref}"): 1,
            (leader, f"Frist overskredet i dit team: 24-timers vurdering, {ref}"): 1,
            (anna, f"Frist nærmer sig: Bekræftelse af modtagelse, {ref}"): 1,
            (anna, f"Frist nærmer sig: Orientering af underretteren, {ref}"): 1,
            (anna, f"Frist overskredet: Bekræftelse af modtagelse, {ref}"): 1,
            (anna, f"Frist overskredet: Orientering af underretteren, {ref}"): 1,
            (leader, f"Frist overskredet i dit team: Bekræftelse af modtagelse, {ref}"): 1,
            (leader, f"Frist overskredet i dit team: Orientering af underretteren, {ref}"): 1,
        }
    )
    # Nothing for the leader of another team; one Message-ID per alert, all different.
    message_ids = [m["Message-ID"] for m in smtp_server.messages]
    assert len(set(message_ids)) == len(message_ids)
    assert {a.status for a in alerts()} == {AlertStatus.SENT}
    # Nothing is left to look at once every stage is behind us.
    assert all(d.next_alert_at is None for d in db.session.scalars(select(Deadline)))


def test_the_alert_says_when_and_links_to_the_case(app, smtp_server):
    people = make_people(digest=False)
    notification = register(people)
    run_scheduler(ASSESSMENT_OVERDUE + 2 * timedelta(hours=1), smtp_server.transport())
    [to_anna] = [m for m in smtp_server.messages if m["To"] == "anna@nord.test"]
    text = to_anna.get_body(("plain",)).get_content()
    assert "Fristen er overskredet." in text
    assert "Udløber: torsdag 12. marts 2026 kl. 10:00" in text
    assert f"http://127.0.0.1:5000/cases/{notification.id}" in text
    assert to_anna["Message-ID"].startswith("<fristsporing.alert-")
    assert to_anna["Auto-Submitted"] == "auto-generated"
    html = to_anna.get_body(("html",)).get_content()
    assert f'href="http://127.0.0.1:5000/cases/{notification.id}"' in html


def test_a_day_of_downtime_is_caught_up_on_start_without_moot_warnings(app, smtp_server):
    people = make_people(digest=False)
    ref = register(people).reference
    run_scheduler(RECEIVED + 10 * MINUTE, smtp_server.transport())
    assert smtp_server.received == []

    # The scheduler is down from then until 10:00 the next day but one.
    run_scheduler(RECEIVED + timedelta(days=1, hours=10), smtp_server.transport())

    assert Counter(sent_pairs(smtp_server)) == Counter(
        {
            ("anna@nord.test", f"Frist overskredet: 24-timers vurdering, {ref}"): 1,
            ("leder@nord.test", f"Frist overskredet i dit team: 24-timers vurdering, {ref}"): 1,
        }
    )  # and not the 4-hour warning, which the overdue alert replaces


def test_a_notification_registered_late_gets_its_overdue_alert_at_once(app, smtp_server):
    people = make_people(digest=False)
    registered = RECEIVED + timedelta(hours=30)
    notification = register(people, now=registered)
    run_scheduler(registered + MINUTE, smtp_server.transport())
    subjects = Counter(sent_pairs(smtp_server))
    ref = notification.reference
    assert subjects == Counter(
        {
            ("anna@nord.test", f"Frist overskredet: 24-timers vurdering, {ref}"): 1,
            ("leder@nord.test", f"Frist overskredet i dit team: 24-timers vurdering, {ref}"): 1,
        }
    )


def test_a_completed_deadline_gets_no_further_alerts(app, smtp_server):
    people = make_people(digest=False)
    notification = register(people)
    assessment = next(d for d in notification.deadlines if d.kind == "assessment")
    actions.complete_deadline(
        assessment,
        by=people.caseworker,
        completed_at=RECEIVED + timedelta(hours=2),
        now=RECEIVED + timedelta(hours=2),
        note=None,
    )
    db.session.commit()
    run_scheduler(ASSESSMENT_OVERDUE + MINUTE, smtp_server.transport())
    assert smtp_server.received == []


def test_an_alert_waiting_for_smtp_is_withdrawn_when_its_deadline_is_met(app, smtp_server):
    people = make_people(digest=False)
    notification = register(people)
    with smtp_server.refusing():
        run_scheduler(ASSESSMENT_WARNING, smtp_server.transport())
    [pending] = alerts()
    assert (pending.status, pending.attempts) == (AlertStatus.PENDING, 1)

    assessment = db.session.get(Deadline, pending.deadline_id)
    actions.complete_deadline(
        assessment,
        by=people.caseworker,
        completed_at=ASSESSMENT_WARNING,
        now=ASSESSMENT_WARNING,
        note=None,
    )
    db.session.commit()
    run_scheduler(ASSESSMENT_WARNING + timedelta(minutes=10), smtp_server.transport())
    assert smtp_server.received == []
    [withdrawn] = alerts()
    assert withdrawn.status == AlertStatus.CANCELLED
    assert notification.reference not in (withdrawn.last_error or "")


def test_a_reassigned_deadline_alerts_the_new_caseworker(app, smtp_server):
    people = make_people(digest=False)
    from factories import make_user

    from tracker.models import Role

    bo = make_user(role=Role.CASEWORKER, team=people.team, email="bo@nord.test")
    bo.digest_enabled = False
    notification = register(people)
    ref = notification.reference
    run_scheduler(ASSESSMENT_WARNING + MINUTE, smtp_server.transport())

    moment = ASSESSMENT_WARNING + timedelta(hours=1)
    notification = db.session.get(Notification, notification.id)
    actions.reassign(notification, caseworker=bo, by=people.leader, now=moment)
    db.session.commit()
    run_scheduler(moment + MINUTE, smtp_server.transport())
    run_scheduler(ASSESSMENT_OVERDUE + MINUTE, smtp_server.transport())

    warning = f"Frist nærmer sig: 24-timers vurdering, {ref}"
    overdue = f"Frist overskredet: 24-timers vurdering, {ref}"
    assert Counter(sent_pairs(smtp_server)) == Counter(
        {
            ("anna@nord.test", warning): 1,
            ("bo@nord.test", warning): 1,
            ("bo@nord.test", overdue): 1,
            ("leder@nord.test", f"Frist overskredet i dit team: 24-timers vurdering, {ref}"): 1,
        }
    )


def test_a_case_without_a_caseworker_alerts_the_leaders(app, smtp_server):
    people = make_people(digest=False)
    notification = register(people)
    notification.caseworker_id = None
    for deadline in notification.deadlines:
        deadline.caseworker_id = None
    db.session.commit()
    run_scheduler(ASSESSMENT_WARNING + MINUTE, smtp_server.transport())
    assert sent_pairs(smtp_server) == [
        (
            "leder@nord.test",
            f"Frist nærmer sig i dit team: 24-timers vurdering, {notification.reference}",
        )
    ]


def test_smtp_refusing_for_a_while_then_every_alert_arrives_once_with_backoff(app, smtp_server):
    people = make_people(digest=False)
    refs = [register(people).reference for _ in range(3)]
    transport = smtp_server.transport()
    start = ASSESSMENT_OVERDUE + MINUTE
    with smtp_server.refusing():
        run_scheduler(start, transport)
        first = alerts()
        assert len(first) == 6  # caseworker and leader, three cases
        assert {(a.status, a.attempts) for a in first} == {(AlertStatus.PENDING, 1)}
        assert all("ConnectionRefusedError" in a.last_error for a in first)
        assert {a.next_attempt_at for a in first} == {start + timedelta(seconds=60)}

        # A minute's sweep before the backoff is over tries nothing.
        run_scheduler(start + timedelta(seconds=30), transport)
        assert {a.attempts for a in alerts()} == {1}
        run_scheduler(start + timedelta(seconds=60), transport)
        second = alerts()
        assert {a.attempts for a in second} == {2}
        assert {a.next_attempt_at for a in second} == {start + timedelta(seconds=60 + 120)}

    run_scheduler(start + timedelta(seconds=120), transport)  # still backing off
    assert smtp_server.received == []
    run_scheduler(start + timedelta(seconds=180), transport)
    run_scheduler(start + timedelta(seconds=600), transport)

    pairs = Counter(sent_pairs(smtp_server))
    assert sum(pairs.values()) == 6
    assert set(pairs.values()) == {1}
    assert {ref for ref in refs if any(ref in subject for _to, subject in pairs)} == set(refs)
    done = alerts()
    assert {(a.status, a.attempts) for a in done} == {(AlertStatus.SENT, 3)}
    assert all(a.sent_at == start + timedelta(seconds=180) for a in done)


def test_a_permanent_refusal_fails_visibly_and_can_be_retried(app, smtp_server):
    people = make_people(digest=False)
    register(people)
    smtp_server.fail_next(1, "550 5.1.1 No such user")
    run_scheduler(ASSESSMENT_WARNING, smtp_server.transport())
    [failed] = alerts()
    assert failed.status == AlertStatus.FAILED
    assert "550" in failed.last_error

    from tracker.alerts import outbox

    assert outbox.retry_now(failed, ASSESSMENT_WARNING + timedelta(hours=1), by=None)
    db.session.commit()
    run_scheduler(ASSESSMENT_WARNING + timedelta(hours=1), smtp_server.transport())
    [sent] = alerts()
    assert (sent.status, sent.attempts) == (AlertStatus.SENT, 2)
    assert len(smtp_server.received) == 1


def test_a_temporary_failure_is_retried_past_max_attempts_with_the_error_visible(app, smtp_server):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    try:
        people = make_people(digest=False)
        register(people)
        moment = ASSESSMENT_WARNING
        with smtp_server.refusing():
            for _ in range(6):
                run_scheduler(moment, smtp_server.transport())
                moment += timedelta(minutes=20)
    finally:
        app.config["MAIL_MAX_ATTEMPTS"] = 8
    [waiting] = alerts()
    assert (waiting.status, waiting.attempts) == (AlertStatus.PENDING, 6)
    assert "ConnectionRefusedError" in waiting.last_error
