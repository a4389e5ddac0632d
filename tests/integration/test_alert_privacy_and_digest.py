"""No personal data in any e-mail; the daily digest once per person and hverdag."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from alerting import RECEIVED, local, make_people, register, run_scheduler, sent_pairs
from sqlalchemy import select

from tracker.alerts import jobs
from tracker.extensions import db
from tracker.models import Alert, AlertStatus, Notification
from tracker.people import oncall


def run_digest(at, transport):
    db.session.commit()
    return jobs.digest_and_dispatch(lambda: at, transport)


def every_text_of(message) -> str:
    """Return the raw message and every decoded part, so no encoding can hide a value."""
    parts = [message.as_string()]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    parts.extend(str(value) for value in message.values())
    return "\n".join(parts)


def test_no_email_carries_the_child_the_cpr_the_notifier_or_the_summary(app, smtp_server):
    people = make_people()
    # On call all along, with an SMS address: the on-call e-mails and texts are scanned too.
    oncall.add_shift(
        starts_at=RECEIVED - timedelta(days=1), ends_at=RECEIVED + timedelta(days=30),
        email="socialvagt@kommune.test", label="Socialvagten",
        sms_email="4512345678@sms.test", by=None, now=RECEIVED,
    )  # fmt: skip
    db.session.commit()
    for offset in range(3):
        register(people, received_at=RECEIVED + timedelta(hours=offset))
    register(people, notifier_kind="citizen")
    transport = smtp_server.transport()
    moments = [RECEIVED + timedelta(hours=h) for h in (20, 21, 22, 23, 24, 25, 26, 27, 30)]
    moments += [local(2026, 3, 19, 8, 0), local(2026, 3, 20, 0, 5), local(2026, 3, 23, 8, 5)]
    for moment in moments:
        run_scheduler(moment, transport)
    run_digest(local(2026, 3, 16, 7, 30), transport)
    assert len(smtp_server.received) > 20

    secrets = []
    for n in db.session.scalars(select(Notification)):
        secrets += [n.child_reference, n.cpr_number, n.notifier_contact, n.summary]
        secrets += [n.cpr_number[:6] + "-" + n.cpr_number[6:], n.summary[:20]]
    secrets += ["Mikkel", "Birthe", "Sørensen"]
    for mail in smtp_server.received:
        content = every_text_of(mail.message)
        leaked = [secret for secret in secrets if secret and secret in content]
        assert leaked == [], f"{mail.message['Subject']!r} carries {leaked}"
    routes = Counter(a.route for a in db.session.scalars(select(Alert)) if a.status == "sent")
    assert routes["oncall"] and routes["sms"]  # both were scanned


def test_the_digest_lists_each_caseworkers_deadlines_once_a_day(app, smtp_server):
    people = make_people()
    first = register(people).reference
    second = register(people, received_at=RECEIVED + timedelta(hours=1)).reference
    transport = smtp_server.transport()
    monday = local(2026, 3, 16, 7, 30)

    run_digest(monday, transport)
    run_digest(monday + timedelta(minutes=1), transport)  # a second run the same morning

    assert sent_pairs(smtp_server) == [("anna@nord.test", "Dine frister, mandag 16. marts")]
    text = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert first in text and second in text
    assert "Bekræftelse af modtagelse" in text
    assert "torsdag 19. marts 2026" in text
    assert "står ikke her" not in text  # all of them are listed

    run_digest(monday + timedelta(days=1), transport)
    assert len(smtp_server.received) == 2  # Tuesday's


def test_a_long_digest_lists_the_most_urgent_and_says_how_many_more(app, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "DIGEST_MAX_DEADLINES", 2)
    people = make_people()
    # Three cases an hour apart: three overdue 24-hour assessments, then three receipts
    # and three orientations due on Thursday. The two oldest assessments come first.
    cases = [register(people, received_at=RECEIVED + timedelta(hours=h)) for h in (0, 1, 2)]

    run_digest(local(2026, 3, 16, 7, 30), smtp_server.transport())

    [digest] = smtp_server.messages
    text = digest.get_body(("plain",)).get_content()
    html = digest.get_body(("html",)).get_content()
    first, second, third = (case.reference for case in cases)
    assert text.count("- 24-timers vurdering, ") == 2
    assert text.index(first) < text.index(second)
    assert third not in text and third not in html
    assert "7 frister mere står ikke her: listen viser de mest presserende først." in text
    dashboard = "http://127.0.0.1:5000/dashboard?who=mine"
    assert f"Se alle dine frister i Fristsporing: {dashboard}\n" in text
    assert f'<a href="{dashboard}">Se alle dine frister i Fristsporing</a>' in html


def test_no_digest_on_a_helligdag_or_a_weekend(app, smtp_server):
    people = make_people()
    register(people, received_at=local(2026, 3, 30, 9, 0))
    transport = smtp_server.transport()
    for day in (local(2026, 4, 2, 7, 30), local(2026, 4, 3, 7, 30), local(2026, 4, 4, 7, 30)):
        run_digest(day, transport)  # skærtorsdag, langfredag, a Saturday
    assert smtp_server.received == []
    assert db.session.scalars(select(Alert)).all() == []


def test_no_digest_for_someone_who_turned_it_off_or_has_nothing(app, smtp_server):
    people = make_people()
    register(people)
    people.caseworker.digest_enabled = False
    db.session.commit()
    run_digest(local(2026, 3, 16, 7, 30), smtp_server.transport())
    assert smtp_server.received == []  # and the leader, who owns no deadline, gets nothing


def test_a_digest_with_nothing_left_to_list_is_withdrawn(app, smtp_server):
    people = make_people()
    notification = register(people)
    with smtp_server.refusing():
        run_digest(local(2026, 3, 16, 7, 30), smtp_server.transport())
    for deadline in db.session.get(Notification, notification.id).deadlines:
        deadline.not_applicable_reason = "test"
        deadline.next_alert_at = None
    db.session.commit()
    run_scheduler(local(2026, 3, 16, 8, 0), smtp_server.transport())
    assert smtp_server.received == []
    [digest] = db.session.scalars(select(Alert)).all()
    assert digest.status == AlertStatus.CANCELLED


def test_overdue_alerts_cannot_be_turned_off(app, smtp_server):
    people = make_people()
    ref = register(people).reference
    people.caseworker.digest_enabled = False
    db.session.commit()
    run_scheduler(RECEIVED + timedelta(hours=25), smtp_server.transport())
    assert (
        Counter(sent_pairs(smtp_server))[
            ("anna@nord.test", f"Frist overskredet: 24-timers vurdering, {ref}")
        ]
        == 1
    )
