"""The repeat lookup is no oracle: only for registering, no other team's facts, audited, limited.

A caseworker registering an underretning is told when the child's reference already has
notifications: their own team's are counted and linked, another team's only named as
"in another team, ask that team's leader", with no dates or counts. Every lookup is in the
audit log with the reference, and more than REPEAT_LOOKUPS_ALLOWED within
REPEAT_LOOKUP_WINDOW_MINUTES by one user gets 429 and one e-mail to the administrators,
counted in the database so it holds across web workers. Both backends.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from factories import another_app, login, make_team, make_user, new_client
from sqlalchemy import select

from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.models import LOOKUP_LIMIT_STAGE, Alert, AuditEvent, Notification, Role

# Wednesday 11 March 2026, 16:30 in Copenhagen.
NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)
NORD_CHILD = "SAG-NORD-7"


def _notification(team, caseworker, *, received_at: datetime) -> Notification:
    from tracker.cases import actions
    from tracker.cases.actions import NotificationInput

    data = NotificationInput(
        received_at=received_at,
        channel="phone",
        notifier_kind="professional",
        notifier_contact="Skolen",
        child_reference=NORD_CHILD,
        cpr_number=None,
        child_birth_date=None,
        age_group="6-11",
        concern_category="neglect",
        summary="Bekymring",
        team_id=team.id,
        caseworker_id=caseworker.id,
    )
    notification = actions.register_notification(data, registered_by=caseworker, now=NOW)
    db.session.commit()
    return notification


@pytest.fixture
def world(app, clock):
    nord, syd = make_team("Team Nord"), make_team("Team Syd")
    anna = make_user(role=Role.CASEWORKER, team=nord, name="Anna Andersen")
    carl = make_user(role=Role.CASEWORKER, team=syd, name="Carl Christensen")
    admin = make_user(role=Role.ADMIN, name="Ada Admin", email="ada@kommune.dk")
    for day in (2, 5):
        _notification(nord, anna, received_at=datetime(2026, 3, day, 9, tzinfo=UTC))
    return {"nord": nord, "syd": syd, "anna": anna, "carl": carl, "admin": admin}


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _lookups(action=AuditAction.CHILD_REFERENCE_LOOKUP) -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def test_another_teams_child_is_named_without_dates_or_counts(client, world):
    """Failed before: Team Syd learnt "2 earlier notifications (latest 05.03.2026)"."""
    login(client, world["carl"])
    answer = client.post("/cases/earlier", data={"child_reference": NORD_CHILD})
    assert answer.status_code == 200
    text = _text(answer)
    assert "Barnet har tidligere underretninger i et andet team: spørg det teams leder." in text
    assert "2026" not in text and "05.03" not in text
    assert not re.search(r"\b2\b", text)
    assert "/cases/" not in answer.get_data(as_text=True)


def test_the_own_teams_notifications_are_counted_dated_and_linked(client, world):
    login(client, world["anna"])
    text = _text(client.post("/cases/earlier", data={"child_reference": NORD_CHILD}))
    assert "2 tidligere underretninger om dette barn (seneste 05.03.2026)" in text
    assert "andet team" not in text


def test_a_user_who_may_not_register_gets_no_answer(client, world):
    """Failed before: an administrator without a team got the count and the latest date."""
    login(client, world["admin"])
    answer = client.post("/cases/earlier", data={"child_reference": NORD_CHILD})
    assert answer.status_code == 403
    assert "2026" not in _text(answer)
    assert _lookups() == []


def test_every_lookup_is_audited_with_the_reference(client, world):
    """Failed before: no audit row at all."""
    login(client, world["carl"])
    client.post("/cases/earlier", data={"child_reference": NORD_CHILD})
    client.post("/cases/earlier", data={"child_reference": "SAG-UKENDT"})
    rows = _lookups()
    assert [row.detail["reference"] for row in rows] == [NORD_CHILD, "SAG-UKENDT"]
    assert all(row.user_id == world["carl"].id for row in rows)
    assert all(row.team_id == world["syd"].id for row in rows)
    assert rows[0].detail["elsewhere"] is True and rows[1].detail["elsewhere"] is False


def test_the_registration_forms_second_showing_tells_no_more_and_is_audited(client, world):
    login(client, world["carl"])
    refused = client.post("/cases/new", data={"child_reference": NORD_CHILD})
    assert refused.status_code == 422
    text = _text(refused)
    assert "i et andet team" in text and "05.03.2026" not in text
    assert [row.detail["reference"] for row in _lookups()] == [NORD_CHILD]


def test_the_case_page_tells_of_another_team_without_dates_or_counts(client, world):
    login(client, world["carl"])
    syd_case = _notification(
        world["syd"], world["carl"], received_at=datetime(2026, 3, 10, 9, tzinfo=UTC)
    )
    text = _text(client.get(f"/cases/{syd_case.id}"))
    assert "i et andet team: spørg det teams leder" in text
    assert "tidligere underretninger om dette barn (seneste" not in text


def test_more_than_20_lookups_in_15_minutes_get_429_and_one_alert(
    app, client, world, clock, database_url, tmp_path
):
    """Failed before: 200 probes answered, no limit, nobody told. Counted across two apps."""
    second_worker = another_app(database_url, tmp_path, CLOCK=clock)
    other_client = new_client(second_worker)
    for browser in (client, other_client):
        login(browser, world["carl"])
    for number in range(20):
        browser = client if number % 2 else other_client
        answer = browser.post("/cases/earlier", data={"child_reference": f"SAG-{number}"})
        assert answer.status_code == 200, number
    for browser in (client, other_client, client):
        refused = browser.post("/cases/earlier", data={"child_reference": NORD_CHILD})
        assert refused.status_code == 429
        assert "For mange opslag" in _text(refused)
        assert "andet team" not in _text(refused)
    assert len(_lookups()) == 20
    assert len(_lookups(AuditAction.CHILD_REFERENCE_LOOKUP_REFUSED)) == 3

    (notice,) = db.session.scalars(select(Alert).where(Alert.stage == LOOKUP_LIMIT_STAGE)).all()
    assert notice.recipient_id == world["admin"].id
    assert "Carl Christensen" in notice.subject and NORD_CHILD not in notice.subject

    # A registration's second showing tells nothing while the limit holds.
    text = _text(client.post("/cases/new", data={"child_reference": NORD_CHILD}))
    assert "andet team" not in text and "For mange opslag" in text

    clock.set(NOW + timedelta(minutes=15, seconds=1))
    assert client.post("/cases/earlier", data={"child_reference": NORD_CHILD}).status_code == 200
    with second_worker.app_context():
        db.engine.dispose()


def test_the_administrators_notice_names_no_child(app, client, world, clock):
    from tracker.alerts.compose import compose
    from tracker.mail.message import OutgoingMessage

    login(client, world["carl"])
    for number in range(21):
        client.post("/cases/earlier", data={"child_reference": f"SAG-HEMMELIG-{number}"})
    notice = db.session.scalars(select(Alert).where(Alert.stage == LOOKUP_LIMIT_STAGE)).one()
    batch = compose([notice.id], NOW, app.config)
    ((_id, message),) = batch.messages
    assert isinstance(message, OutgoingMessage)
    body = message.text + (message.html or "")
    assert "Carl Christensen" in body and "15 minutter" in body
    assert "SAG-HEMMELIG" not in body and "SAG-NORD" not in body
    assert "/audit/" in body
