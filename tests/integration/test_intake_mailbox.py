"""Mailbox intake against a real IMAP server (Dovecot, unprivileged, TLS on loopback).

Messages are delivered with the server's arrival time set (APPEND's INTERNALDATE); the
poll stores them as intake items with that time, moves them to the done folder (never
deleting them), and a message seen twice is one item. Time is passed in, never slept on.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from alerting import local
from factories import login, make_team, make_user, new_client
from intake_mail import FORGED_DATE, underretning
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.intake.poll import poll_all
from tracker.models import Alert, AuditEvent, IntakeItem, IntakeMailboxState, Role

DONE = "registreret i Fristsporing"
ARRIVED = local(2026, 3, 11, 10, 0)  # a Wednesday morning
NOW = ARRIVED + timedelta(minutes=3)


@pytest.fixture
def intake(app, mailbox, monkeypatch):
    """The app with the Dovecot mailbox configured for the team "Modtagelsen"."""
    team = make_team("Modtagelsen")
    monkeypatch.setitem(app.config, "INTAKE_MAILBOXES", (mailbox.settings(team="Modtagelsen"),))
    return team


def items() -> list[IntakeItem]:
    db.session.expire_all()
    return list(db.session.scalars(select(IntakeItem).order_by(IntakeItem.id)))


def test_an_arrival_becomes_an_item_with_the_servers_time(app, mailbox, intake):
    raw = underretning(1)
    mailbox.deliver(raw, arrived_at=ARRIVED)

    report = poll_all(lambda: NOW)

    assert report.new == {"central": 1} and report.failed == {}
    [item] = items()
    # The server's arrival time, not the forged Date header.
    assert item.arrived_at == ARRIVED and item.arrived_at != FORGED_DATE
    assert item.team_id == intake.id and item.mailbox == "central"
    assert item.subject == "Bekymring for Åse, 9 år (1)"
    assert item.sender == "Skolelærer Søren Ærbø <soeren@skole.dk>"
    assert "Åse kommer sulten i skole" in item.body_text
    assert item.attachments == [
        {"filename": "underretningsskema æøå.pdf", "content_type": "application/pdf", "size": 27}
    ]
    assert item.raw.replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n")  # as received
    assert item.message_id == "<underretning-1@skole.dk>"
    # Moved, not deleted.
    assert mailbox.uids("INBOX") == []
    assert len(mailbox.uids(DONE)) == 1
    created = db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "intake_item.create")
    )
    assert created == 1


def test_the_same_message_twice_is_one_item(app, mailbox, intake):
    mailbox.deliver(underretning(2), arrived_at=ARRIVED)
    mailbox.deliver(underretning(2), arrived_at=ARRIVED + timedelta(minutes=5))
    poll_all(lambda: NOW + timedelta(minutes=5))
    # Delivered once more after the first poll (a forwarding rule run twice).
    mailbox.deliver(underretning(2), arrived_at=ARRIVED + timedelta(minutes=20))
    poll_all(lambda: NOW + timedelta(minutes=20))

    [item] = items()
    assert item.arrived_at == ARRIVED  # the first arrival
    assert mailbox.uids("INBOX") == []
    assert len(mailbox.uids(DONE)) == 3  # every copy kept


def test_a_message_without_message_id_is_kept_by_its_content(app, mailbox, intake):
    raw = underretning(3, message_id=False)
    assert b"Message-ID" not in raw
    mailbox.deliver(raw, arrived_at=ARRIVED)
    poll_all(lambda: NOW)
    [item] = items()
    assert item.message_id.startswith("sha256:")


def test_a_mailbox_that_is_down_is_reported_once(app, mailbox, intake, monkeypatch, clock):
    admin = make_user(role=Role.ADMIN, email="it@kommune.test")
    broken = mailbox.settings(team="Modtagelsen", password="forkert")
    monkeypatch.setitem(app.config, "INTAKE_MAILBOXES", (broken,))

    for minutes in range(0, 8):
        report = poll_all(lambda m=minutes: NOW + timedelta(minutes=m))
        assert "central" in report.failed

    state = db.session.get(IntakeMailboxState, "central")
    db.session.refresh(state)
    assert state.failing_since == NOW and state.last_ok_at is None
    assert "forkert" not in state.last_error
    notices = db.session.scalars(select(Alert).where(Alert.stage == "intake_mailbox_down")).all()
    assert [(n.recipient_id, n.subject) for n in notices] == [
        (admin.id, "Fristsporing kan ikke læse indbakken til underretninger central")
    ]

    # /readyz and the administrators' page say which mailbox, since when; no password.
    client = login(new_client(app), admin)
    clock.set(NOW + timedelta(minutes=7))
    ready = client.get("/readyz").json
    assert ready["intake"]["ok"] is False
    assert ready["intake"]["mailboxes"]["central"]["failing_since"] == NOW.isoformat(
        timespec="seconds"
    )
    assert "indbakker: indbakken central kan ikke læses" in ready["problems"]
    page = client.get("/admin/intake").get_data(as_text=True)
    assert "Kan ikke læses siden" in page and "LoginError" in page and "forkert" not in page

    # It comes back: the state says so.
    monkeypatch.setitem(app.config, "INTAKE_MAILBOXES", (mailbox.settings(team="Modtagelsen"),))
    assert poll_all(lambda: NOW + timedelta(minutes=9)).failed == {}
    clock.set(NOW + timedelta(minutes=9))
    db.session.refresh(state)
    assert state.failing_since is None and state.last_ok_at == NOW + timedelta(minutes=9)
    assert client.get("/readyz").json["intake"]["ok"] is True
    # Not read for more than 5 minutes (no scheduler): /readyz says so.
    clock.set(NOW + timedelta(minutes=15))
    ready = client.get("/readyz").json
    assert ready["intake"]["ok"] is False
    assert "indbakker: indbakken central er ikke læst for nylig" in ready["problems"]


def test_a_mailbox_on_a_closed_port_is_a_failure_not_a_crash(app, mailbox, intake, monkeypatch):
    from smtp_harness import free_port

    closed = mailbox.settings(team="Modtagelsen", port=str(free_port()))
    monkeypatch.setitem(app.config, "INTAKE_MAILBOXES", (closed,))
    report = poll_all(lambda: NOW)
    assert report.failed["central"].startswith("ConnectionRefusedError")


def test_tracker_intake_poll_reads_every_mailbox_once(app, mailbox, intake, monkeypatch):
    mailbox.deliver(underretning(4), arrived_at=ARRIVED)
    result = app.test_cli_runner().invoke(args=["intake", "poll"])
    assert result.exit_code == 0, result.output
    assert "central: 1 new" in result.output
    assert "Åse" not in result.output  # counts only

    broken = mailbox.settings(team="Modtagelsen", password="forkert")
    monkeypatch.setitem(app.config, "INTAKE_MAILBOXES", (broken,))
    failed = app.test_cli_runner().invoke(args=["intake", "poll"])
    assert failed.exit_code == 1 and "central: FEJL LoginError" in failed.output


def test_a_mailbox_without_a_team_is_a_failure_that_says_so(app, mailbox, intake, monkeypatch):
    monkeypatch.setitem(app.config, "INTAKE_MAILBOXES", (mailbox.settings(team="Findes ikke"),))
    mailbox.deliver(underretning(5), arrived_at=ARRIVED)
    report = poll_all(lambda: NOW)
    assert "no team is named 'Findes ikke'" in report.failed["central"]
    assert mailbox.uids("INBOX") != []  # left where it was, for the next poll
