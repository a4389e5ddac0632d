"""The case's action card on its page: chosen by concern and age, warnings on top, steps
recorded on the timeline (page and API), adults without barnets lov deadlines, and the
public read-only card pages. Both backends."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from factories import api_token, headers, login, make_team, make_user, new_client
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import AuditEvent, Notification, Role, TimelineEntry

NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)  # Wednesday, 16:30 in Copenhagen
HONOUR_WARNINGS = (
    "Tal ikke med familien",
    "Send ikke brev, sms eller e-mail",
    "ikke orienteres om børnesamtalen",
    "ikke gennemgås med forældrene",
)
BARNETS_LOV = ("assessment", "receipt", "orientation", "investigation", "plan")


@pytest.fixture
def anna(app, client, clock):
    user = make_user(role=Role.CASEWORKER, team=make_team("Team Nord"), name="Anna Andersen")
    login(client, user)
    return user


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace(" :", ":")


def register(client, user, **overrides) -> tuple[str, Notification]:
    data = {
        "received_date": "2026-03-10",
        "received_time": "15:40",
        "channel": "phone",
        "notifier_kind": "professional",
        "notifier_contact": "Skolen",
        "child_reference": f"SAG-{overrides.get('concerns', 'x')}",
        "age_group": "12-14",
        "concerns": "honour_related_conflict",
        "summary": "Resumé",
        "caseworker_id": str(user.id),
        **overrides,
    }
    response = client.post("/cases/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    notification = db.session.scalars(select(Notification).order_by(Notification.id.desc())).first()
    return response.headers["Location"], notification


def step(client, location, key, **fields):
    data = {"step": key, "done_date": "2026-03-11", "done_time": "09:15", **fields}
    return client.post(f"{location}/steps", data=data)


def test_an_honour_case_shows_the_seed_card_its_numbers_and_all_warnings_on_top(client, anna):
    location, _ = register(client, anna)
    page = text_of(client.get(location))
    top = page[: page.index("Frister")]
    for warning in HONOUR_WARNINGS:
        assert warning in top
    assert "Under 18 år – myndighed" in page
    for number in ("25 20 03 18", "25 20 28 46", "25 20 28 49", "99 31 27 22", "114", "112"):
        assert number in page
    assert "barnets lov § 18, stk. 3" in page
    assert "Uden for kommunens åbningstid kontaktes Nordjyllands Politi." in top


def test_a_neglect_case_shows_the_general_card_and_no_honour_warning(client, anna):
    location, _ = register(client, anna, concerns="neglect")
    page = text_of(client.get(location))
    assert "Kommunens generelle handlekort ved en underretning" in page
    for warning in HONOUR_WARNINGS:
        assert warning not in page
    assert "Drøft ikke bekymringen" not in page


def test_steps_and_the_police_hand_over_on_the_timeline(client, anna):
    location, _ = register(client, anna)
    assert step(client, location, "leader_discussed", note="Drøftet med Lis").status_code == 303
    response = step(
        client, location, "police_handover", to="Nordjyllands Politi, vagtchefen", done_time="10:00"
    )
    assert response.status_code == 303
    page = text_of(client.get(location))
    timeline = page[page.index("Tidslinje") :]
    assert "Nordjyllands Politi, vagtchefen" in timeline
    assert "Sagen er overgivet til politiet: fagpersonens handlepligt ophører her." in timeline
    assert "Drøftet med Lis" in timeline
    db.session.expire_all()
    audited = db.session.scalar(
        select(func.count()).where(
            AuditEvent.action == "step.record", AuditEvent.user_id == anna.id
        )
    )
    assert audited == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"done_date": "2026-03-12"}, "fremtiden"),
        ({"done_date": "2026-03-10", "done_time": "12:00"}, "før underretningen"),
        ({"step": "made_up"}, "ikke på sagens handlekort"),
        ({"note": "x" * 1001}, "1000"),
    ],
)
def test_a_step_in_the_future_before_receipt_or_unknown_is_refused(client, anna, fields, message):
    location, _ = register(client, anna)
    data = {"step": "leader_discussed", "done_date": "2026-03-11", "done_time": "09:15", **fields}
    response = client.post(f"{location}/steps", data=data)
    assert response.status_code == 422
    assert message in text_of(response)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(TimelineEntry)) == 1


def test_a_step_on_a_closed_case_is_refused(client, anna):
    location, _ = register(client, anna, notifier_kind="anonymous", notifier_contact="")
    outcome = {"outcome": "forwarded", "occurred_date": "2026-03-10", "occurred_time": "16:00"}
    assert client.post(f"{location}/assessment", data=outcome).status_code == 303
    assert client.post(f"{location}/close", data={"reason": "Videresendt"}).status_code == 303
    response = step(client, location, "leader_discussed")
    assert response.status_code == 422
    assert "Sagen er lukket" in text_of(response)


def test_an_adult_gets_no_barnets_lov_deadline_and_the_adult_tasks(client, anna):
    location, notification = register(client, anna, age_group="18-22")
    kinds = [d.kind for d in notification.deadlines]
    assert kinds == ["threat_assessment"]
    page = text_of(client.get(location))
    assert "kommunens egen frist, ikke et lovkrav" in page
    assert "Over 18 år – myndighed" in page
    assert "Iværksæt undersøgelse" not in page and "Tilføj afgørelse" not in page
    assert "24-timers vurdering" not in page


def test_an_adult_by_birth_date_and_by_cpr(client, anna):
    _, by_birth = register(client, anna, age_group="", child_birth_date="2007-01-02")
    _, by_cpr = register(client, anna, age_group="", cpr_number="020107-4321")
    for notification in (by_birth, by_cpr):
        assert not {d.kind for d in notification.deadlines} & set(BARNETS_LOV)


def test_unknown_age_is_a_child_and_the_page_asks_for_the_age(client, anna):
    location, notification = register(client, anna, age_group="")
    assert "assessment" in {d.kind for d in notification.deadlines}
    assert "Alderen er ikke kendt" in text_of(client.get(location))
    _, unborn = register(client, anna, age_group="", expected_birth_date="2026-06-01")
    assert "assessment" in {d.kind for d in unborn.deadlines}


def test_the_api_gives_the_card_and_the_timeline_and_records_steps(app, client, anna):
    _, notification = register(client, anna)
    bearer = headers(api_token(anna))
    api = new_client(app)
    url = f"/api/v1/notifications/{notification.id}"
    created = api.post(
        f"{url}/steps",
        headers=bearer,
        json={
            "step": "police_handover",
            "done_at": "2026-03-11T10:00:00+01:00",
            "note": "Ringet 114",
            "to": "Nordjyllands Politi",
        },
    )
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["details"]["ends_duty"] is True
    answer = api.get(url, headers=bearer).get_json()
    assert answer["card"]["key"] == "under-18-myndighed"
    handover = next(s for s in answer["card"]["steps"] if s["key"] == "police_handover")
    assert handover["done_at"] == "2026-03-11T10:00:00+01:00"
    assert handover["done_by"] == "Anna Andersen" and handover["note"] == "Ringet 114"
    # Newest first by when it happened: the step (10:00) before the registration (16:30).
    assert [e["kind"] for e in answer["timeline"]] == ["registered", "step_done"]
    refused = {
        "future": {"step": "screened", "done_at": "2026-03-12T10:00:00+01:00"},
        "unknown": {"step": "made_up"},
        "before receipt": {"step": "screened", "done_at": "2026-03-01T10:00:00+01:00"},
    }
    for body in refused.values():
        assert api.post(f"{url}/steps", headers=bearer, json=body).status_code == 422


def test_the_api_refuses_another_teams_case_and_registers_adults_without_deadlines(
    app, client, anna
):
    _, notification = register(client, anna)
    stranger = make_user(role=Role.CASEWORKER, team=make_team("Team Syd"))
    api = new_client(app)
    response = api.post(
        f"/api/v1/notifications/{notification.id}/steps",
        headers=headers(api_token(stranger)),
        json={"step": "screened"},
    )
    assert response.status_code == 404
    created = api.post(
        "/api/v1/notifications",
        headers=headers(api_token(anna)),
        json={
            "received_at": "2026-03-11T09:00:00+01:00",
            "channel": "phone",
            "notifier_kind": "professional",
            "notifier_contact": "Jobcentret",
            "child_reference": "SAG-VOKSEN",
            "age_group": "18-22",
            "concern_category": "involuntary_stay_abroad",
            "summary": "Bekymring",
        },
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert [d["kind"] for d in body["deadlines"]] == ["threat_assessment"]
    assert body["card"]["key"] == "over-18-myndighed"


def test_the_card_pages_are_public_and_hold_no_case(app, client, anna):
    register(client, anna)
    visitor = new_client(app)
    index = visitor.get("/cards/")
    assert index.status_code == 200
    page = text_of(visitor.get("/cards/under-18-fagperson"))
    assert "SSP-konsulent, Børn og Unge" in page and "93 52 00 65" in page
    assert "Fagpersonen har handlepligten, indtil sagen er overgivet til politiet." in page
    assert "SAG-" not in page and "U-2026" not in page
    contacts = text_of(visitor.get("/cards/contacts"))
    assert "99 31 27 22" in contacts and "25 20 28 49" in contacts
    assert visitor.get("/cards/nope").status_code == 404
