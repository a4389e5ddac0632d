"""Alerts follow people: a caseworker moved, deactivated or replaced stops getting them.

The case stays assigned (a leader reassigns it); until then the team's leaders are told.
Every test runs on SQLite and PostgreSQL; time is passed in, never slept on.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

import pytest
from alerting import RECEIVED, local, make_people, register, run_scheduler, sent_pairs
from factories import make_team, make_user
from sqlalchemy import select

from tracker.alerts import compose, digest, jobs
from tracker.audit import AuditAction
from tracker.cases import actions
from tracker.extensions import db
from tracker.models import Alert, AlertStatus, AuditEvent, Deadline, Notification, Role, User
from tracker.people import accounts

WARNING_AT = RECEIVED + timedelta(hours=20, minutes=1)  # the 24 hours' 4-hour warning
MINUTE = timedelta(minutes=1)


def _move(user: User, *, role: Role, team, now) -> None:
    details = accounts.UserDetails(name=user.name, role=role, team=team, active=True)
    accounts.update_user(user, details, by=None, now=now)
    db.session.commit()


def _alerts() -> list[Alert]:
    return list(db.session.scalars(select(Alert).order_by(Alert.id)))


@pytest.mark.parametrize("change", ["other team", "admin role"])
def test_a_moved_caseworkers_alerts_go_to_the_teams_leaders(app, smtp_server, change):
    crew = make_people()
    notification = register(crew)
    warning = f"Frist nærmer sig: 24-timers vurdering, {notification.reference}"
    anna = db.session.get(User, crew.caseworker.id)
    if change == "other team":
        _move(anna, role=Role.CASEWORKER, team=make_team("Team Syd"), now=RECEIVED)
    else:
        _move(anna, role=Role.ADMIN, team=None, now=RECEIVED)

    run_scheduler(WARNING_AT, smtp_server.transport())

    assert sent_pairs(smtp_server) == [("leder@nord.test", in_the_team(warning))]
    # The case keeps its caseworker until a leader reassigns it.
    assert {d.caseworker_id for d in db.session.scalars(select(Deadline))} == {anna.id}
    assert db.session.get(Notification, notification.id).caseworker_id == anna.id
    [rerouted] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.USER_REROUTE_ALERTS)
    )
    assert rerouted.object_id == str(anna.id) and rerouted.team_id == crew.team.id


def test_moving_a_caseworker_re_sweeps_their_deadlines_so_the_leaders_hear_at_once(
    app, smtp_server
):
    crew = make_people()
    notification = register(crew)
    warning = f"Frist nærmer sig: 24-timers vurdering, {notification.reference}"
    run_scheduler(WARNING_AT, smtp_server.transport())
    assert sent_pairs(smtp_server) == [("anna@nord.test", warning)]

    moved_at = WARNING_AT + timedelta(hours=1)
    anna = db.session.get(User, crew.caseworker.id)
    _move(anna, role=Role.CASEWORKER, team=make_team("Team Syd"), now=moved_at)
    run_scheduler(moved_at + MINUTE, smtp_server.transport())

    assert sent_pairs(smtp_server) == [
        ("anna@nord.test", warning),
        ("leder@nord.test", in_the_team(warning)),
    ]


def test_a_moved_caseworker_gets_no_digest_of_the_old_teams_cases(app):
    crew = make_people()
    register(crew)
    anna = db.session.get(User, crew.caseworker.id)
    _move(anna, role=Role.CASEWORKER, team=make_team("Team Syd"), now=RECEIVED)
    morning = local(2026, 3, 12, 7, 30)

    assert digest.create_digests(morning, working_days=5) == 0
    assert digest.deadlines_for_digest(anna.id, morning, 5) == []


@pytest.mark.parametrize("order", ["sweep first", "dispatch first"])
def test_deactivating_a_caseworker_hands_the_alert_in_flight_to_the_leaders_once(
    app, smtp_server, order
):
    crew = make_people()
    notification = register(crew)
    warning = f"Frist nærmer sig: 24-timers vurdering, {notification.reference}"
    transport = smtp_server.transport()
    jobs.sweep(WARNING_AT)  # written, not yet sent
    [in_flight] = _alerts()
    assert in_flight.recipient_email == "anna@nord.test"

    accounts.deactivate_user(db.session.get(User, crew.caseworker.id), by=None, now=WARNING_AT)
    db.session.commit()
    if order == "dispatch first":
        jobs.dispatch(lambda: WARNING_AT, transport)
    for minutes in (1, 2, 3):
        run_scheduler(WARNING_AT + minutes * MINUTE, transport)

    assert sent_pairs(smtp_server) == [("leder@nord.test", in_the_team(warning))]
    cancelled = db.session.get(Alert, in_flight.id)
    assert (cancelled.status, cancelled.last_error) == (
        AlertStatus.CANCELLED,
        compose.RECIPIENT_GONE,
    )


def test_after_a_reassign_the_previous_caseworkers_pending_alert_is_withdrawn(app, smtp_server):
    crew = make_people()
    bo = make_user(role=Role.CASEWORKER, team=crew.team, email="bo@nord.test")
    notification = register(crew)
    warning = f"Frist nærmer sig: 24-timers vurdering, {notification.reference}"
    jobs.sweep(WARNING_AT)  # anna's warning is written, not yet sent
    db.session.commit()

    notification = db.session.get(Notification, notification.id)
    actions.reassign(notification, caseworker=bo, by=crew.leader, now=WARNING_AT)
    db.session.commit()
    run_scheduler(WARNING_AT + MINUTE, smtp_server.transport())

    assert Counter(sent_pairs(smtp_server)) == Counter({("bo@nord.test", warning): 1})
    [to_anna] = [a for a in _alerts() if a.recipient_email == "anna@nord.test"]
    assert to_anna.status == AlertStatus.CANCELLED
    assert to_anna.last_error == compose.NOT_RESPONSIBLE


def test_an_alert_nobody_can_receive_is_logged_by_deadline_id(app, smtp_server, caplog):
    crew = make_people()
    db.session.get(User, crew.leader.id).active = False
    notification = register(crew)
    accounts.deactivate_user(db.session.get(User, crew.caseworker.id), by=None, now=RECEIVED)
    db.session.commit()

    with caplog.at_level(logging.WARNING, logger="tracker.alerts.recipients"):
        run_scheduler(WARNING_AT, smtp_server.transport())

    assert smtp_server.received == []
    warnings = [r.getMessage() for r in caplog.records if r.name == "tracker.alerts.recipients"]
    assessment = next(d for d in notification.deadlines if d.kind == "assessment")
    assert any(f"Deadline {assessment.id}:" in text for text in warnings)
    assert not any(notification.reference in text or "Mikkel" in text for text in warnings)


def in_the_team(subject: str) -> str:
    """Return the subject a leader reads for a deadline that is not their own."""
    return subject.replace("Frist nærmer sig:", "Frist nærmer sig i dit team:")
