"""The case API (/api/v1) with bearer tokens, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from factories import api_token, headers, make_team, make_user
from sqlalchemy import func, select

from tracker.cases import decisions
from tracker.extensions import db
from tracker.models import AuditEvent, Notification, Role

# Wednesday 2026-04-01 16:00 in Copenhagen (summer time, +02:00), the day before skærtorsdag.
NOW = datetime(2026, 4, 1, 14, 0, tzinfo=UTC)
CPR = "0105094234"  # born 1 May 2009 (seventh digit 4): 16 at receipt, a child


@pytest.fixture
def anna(app, clock):
    return make_user(role=Role.CASEWORKER, team=make_team("Team Nord"), name="Anna")


@pytest.fixture
def auth(anna):
    return headers(api_token(anna))


def notification_body(**overrides) -> dict:
    body = {
        "received_at": "2026-03-31T15:40:00+02:00",  # yesterday, 15:40 local time
        "channel": "email",
        "notifier_kind": "professional",
        "notifier_contact": "Skolen, 12 34 56 78",
        "child_reference": "SAG-2026-42",
        "cpr_number": CPR,
        "concerns": ["neglect"],
        "summary": "Fortroligt resumé",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


def register(client, auth, **overrides):
    response = client.post(
        "/api/v1/notifications", json=notification_body(**overrides), headers=auth
    )
    assert response.status_code == 201, response.json
    return response.json


def by_kind(deadlines: list[dict]) -> dict[str, dict]:
    return {d["kind"]: d for d in deadlines}


def test_a_notification_received_yesterday_at_1540(client, auth, anna):
    created = register(client, auth)
    assert created["reference"] == "U-2026-000001"
    assert created["received_at"] == "2026-03-31T15:40:00+02:00"
    assert created["caseworker_id"] is None and created["team_id"] == anna.team_id
    deadlines = by_kind(created["deadlines"])
    assert set(deadlines) == {"assessment", "receipt", "orientation"}
    assessment = deadlines["assessment"]
    assert assessment["overdue_from"] == "2026-04-01T15:40:00+02:00"
    assert assessment["status"] == "overdue"
    assert assessment["legal_basis"]["paragraph"] == "barnets lov § 136"
    # 6 hverdage after Tuesday 31 March, skipping skærtorsdag, langfredag and 2. påskedag.
    receipt = deadlines["receipt"]
    assert receipt["due_date"] == "2026-04-13"
    assert receipt["overdue_from"] == "2026-04-14T00:00:00+02:00"
    assert receipt["status"] == "open"
    assert any("skærtorsdag" in line for line in receipt["trace"])
    assert response_location(client, auth, created["id"])["deadlines"] == created["deadlines"]

    overdue = client.get("/api/v1/deadlines?status=overdue", headers=auth).json
    assert [d["id"] for d in overdue["deadlines"]] == [assessment["id"]]
    assert overdue["deadlines"][0]["reference"] == "U-2026-000001"


def response_location(client, auth, notification_id: int) -> dict:
    response = client.get(f"/api/v1/notifications/{notification_id}", headers=auth)
    assert response.status_code == 200
    return response.json


def test_the_cpr_number_is_stored_but_never_answered(client, auth):
    created = register(client, auth, cpr_number="010509-4234")
    assert db.session.scalar(select(Notification.cpr_number)) == CPR
    assert created["has_cpr_number"] is True
    for path in (f"/api/v1/notifications/{created['id']}", "/api/v1/deadlines?status=all"):
        text = client.get(path, headers=auth).get_data(as_text=True)
        assert CPR not in text and "010509" not in text


def test_lists_leave_out_the_caseworkers_notes(client, auth):
    created = register(client, auth)
    assessment = by_kind(created["deadlines"])["assessment"]
    done = client.post(
        f"/api/v1/deadlines/{assessment['id']}/complete",
        json={"note": "Ingen akut fare"},
        headers=auth,
    )
    assert done.json["outcome_note"] == "Ingen akut fare"
    listed = client.get("/api/v1/deadlines?status=all", headers=auth).json["deadlines"]
    assert all("outcome_note" not in d for d in listed)


def test_completing_a_deadline_and_completing_it_again(client, auth, anna):
    created = register(client, auth)
    receipt = by_kind(created["deadlines"])["receipt"]
    url = f"/api/v1/deadlines/{receipt['id']}/complete"
    done = client.post(url, json={"completed_at": "2026-04-01T09:00:00Z"}, headers=auth)
    assert done.status_code == 200
    assert done.json["status"] == "met_on_time"
    assert done.json["completed_at"] == "2026-04-01T11:00:00+02:00"
    assert done.json["completed_by_id"] == anna.id
    again = client.post(url, headers=auth)  # no body: now
    assert again.status_code == 409
    assert again.json["error"] == "conflict" and again.json["message"]
    open_ids = [d["id"] for d in client.get("/api/v1/deadlines", headers=auth).json["deadlines"]]
    assert receipt["id"] not in open_ids and len(open_ids) == 2


@pytest.mark.parametrize(
    ("completed_at", "field"),
    [
        ("2026-04-01T09:00:00", "completed_at"),  # no offset
        ("2026-03-30T09:00:00+02:00", "completed_at"),  # before receipt
        ("2026-04-02T09:00:00+02:00", "completed_at"),  # in the future
        ("0001-01-01T00:00:00+01:00", "completed_at"),
        (42, "completed_at"),
    ],
)
def test_a_wrong_completion_time_is_named(client, auth, completed_at, field):
    created = register(client, auth)
    deadline_id = created["deadlines"][0]["id"]
    response = client.post(
        f"/api/v1/deadlines/{deadline_id}/complete",
        json={"completed_at": completed_at},
        headers=auth,
    )
    assert response.status_code == 422
    assert list(response.json["fields"]) == [field]


def test_missing_and_wrong_fields_get_a_danish_message_each(client, auth):
    body = notification_body(
        received_at="2026-03-31T15:40:00",  # no offset
        channel="pigeon",
        summary=...,
        cpr_number="3202141234",
        surprise="x",
    )
    response = client.post("/api/v1/notifications", json=body, headers=auth)
    assert response.status_code == 422
    assert response.json["fields"] == {"surprise": ["Ukendt felt."]}
    del body["surprise"]
    response = client.post("/api/v1/notifications", json=body, headers=auth)
    assert response.status_code == 422
    fields = response.json["fields"]
    assert set(fields) == {"received_at", "channel", "summary", "cpr_number"}
    assert all(isinstance(m, list) and m for m in fields.values())
    assert response.json["error"] == "unprocessable_entity"
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"team_id": 999999}, "team_id"),
        ({"team_id": "1"}, "team_id"),
        ({"caseworker_id": 2**40}, "caseworker_id"),
        ({"summary": 5}, "summary"),
        (
            {"cpr_number": "\u0660\u0661\u0660\u0665\u0661\u0664\u0661\u0662\u0663\u0664"},
            "cpr_number",
        ),
        ({"received_at": "2026-04-02T09:00:00+02:00"}, "received_at"),  # tomorrow
        ({"received_at": "0001-01-01T00:00:00+01:00"}, "received_at"),
        ({"received_at": "9999-12-31T23:59:59-23:59"}, "received_at"),
        ({"received_at": "1999-12-31T23:59:59+01:00"}, "received_at"),
        ({"notifier_kind": "anonymous"}, "notifier_contact"),  # contact must then be empty
    ],
)
def test_refused_registrations_name_the_field(client, auth, overrides, field):
    response = client.post(
        "/api/v1/notifications", json=notification_body(**overrides), headers=auth
    )
    assert response.status_code == 422
    assert field in response.json["fields"]


def test_the_caseworker_must_belong_to_the_team(client, auth, anna):
    stranger = make_user(team=make_team("Team Syd"))
    refused = client.post(
        "/api/v1/notifications", json=notification_body(caseworker_id=stranger.id), headers=auth
    )
    assert refused.status_code == 422
    assert "caseworker_id" in refused.json["fields"]
    created = register(client, auth, caseworker_id=anna.id)
    assert {d["caseworker_id"] for d in created["deadlines"]} == {anna.id}


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"data": "received_at=now"}, 415),
        ({"data": "{not json", "content_type": "application/json"}, 400),
        ({"json": ["a", "list"]}, 400),
        ({"data": "[" * 50000 + "]" * 50000, "content_type": "application/json"}, 400),
    ],
)
def test_bodies_that_are_not_a_json_object(client, auth, kwargs, status):
    response = client.post("/api/v1/notifications", headers=auth, **kwargs)
    assert response.status_code == status
    assert response.is_json and response.json["message"]


def test_without_a_token_the_api_answers_401_json(app, client):
    response = client.post("/api/v1/notifications", json=notification_body())
    assert response.status_code == 401
    assert response.json["error"] == "unauthorized"


def test_another_teams_cases_do_not_exist(client, auth, app):
    syd = make_team("Team Syd")
    bo = make_user(team=syd)
    theirs = register(client, headers(api_token(bo)))
    deadline_id = theirs["deadlines"][0]["id"]
    assert client.get(f"/api/v1/notifications/{theirs['id']}", headers=auth).status_code == 404
    complete = client.post(f"/api/v1/deadlines/{deadline_id}/complete", headers=auth)
    assert complete.status_code == 404 and complete.json["error"] == "not_found"
    assert client.get(f"/api/v1/deadlines?team={syd.id}", headers=auth).status_code == 404
    assert client.get("/api/v1/deadlines?status=all", headers=auth).json["deadlines"] == []
    assert client.get(f"/api/v1/notifications/{2**63}", headers=auth).status_code == 404
    # Registering for another team is refused like any wrong field.
    refused = client.post(
        "/api/v1/notifications", json=notification_body(team_id=syd.id), headers=auth
    )
    assert refused.status_code == 422 and "team_id" in refused.json["fields"]


@pytest.mark.parametrize(
    "query",
    ["status=late", "kind=lunch", "limit=0", "limit=201", "limit=ten", "after=bm9wZQ", "team=-1"],
)
def test_wrong_list_parameters_are_named(client, auth, query):
    response = client.get(f"/api/v1/deadlines?{query}", headers=auth)
    assert response.status_code == 400
    assert list(response.json["fields"]) == [query.split("=")[0]]


def test_the_list_pages_through_every_deadline_once_most_urgent_first(client, auth):
    for hour in (9, 11, 10, 8):
        register(client, auth, received_at=f"2026-03-31T{hour:02d}:00:00+02:00")
    register(client, auth, notifier_kind="anonymous", notifier_contact=None)
    seen, after = [], None
    while True:
        query = "status=all&limit=2" + (f"&after={after}" if after else "")
        page = client.get(f"/api/v1/deadlines?{query}", headers=auth).json
        assert len(page["deadlines"]) <= 2
        seen += page["deadlines"]
        after = page["next"]
        if after is None:
            break
    assert len(seen) == 4 * 3 + 1 == len({d["id"] for d in seen})
    keys = [(d["overdue_from"], d["id"]) for d in seen]
    assert keys == sorted(keys, key=lambda k: (datetime.fromisoformat(k[0]), k[1]))
    assessments = client.get("/api/v1/deadlines?kind=assessment&status=overdue", headers=auth).json
    assert len(assessments["deadlines"]) == 5


def test_deadlines_without_a_due_time_come_last_and_page_too(client, auth, anna):
    created = register(client, auth)
    notification = db.session.get(Notification, created["id"])
    for kind in ("uden-samtykke", "uden-samtykke"):  # § 47: the plan precedes the decision
        decisions.add_decision(
            notification, kind=kind, decided_on=date(2026, 4, 1), started_on=None, by=anna, now=NOW
        )
    db.session.commit()
    seen, after = [], ""
    while after is not None:
        page = client.get(f"/api/v1/deadlines?limit=1&after={after}", headers=auth).json
        seen += page["deadlines"]
        after = page["next"]
    assert [d["kind"] for d in seen] == ["assessment", "receipt", "orientation", "plan", "plan"]
    assert [d["status"] for d in seen[-2:]] == ["precondition", "precondition"]
    assert seen[-2]["id"] < seen[-1]["id"] and seen[-1]["precondition"]


def test_due_soon_holds_the_deadlines_of_the_next_24_hours(client, auth):
    register(client, auth, received_at="2026-04-01T15:00:00+02:00")  # due tomorrow 15:00
    due_soon = client.get("/api/v1/deadlines?status=due_soon", headers=auth).json["deadlines"]
    assert [d["kind"] for d in due_soon] == ["assessment"]
    assert due_soon[0]["time_phrase"] == "om 23 timer"


def test_reads_and_writes_are_audited_and_refusals_leave_nothing(client, auth, anna):
    created = register(client, auth)
    client.get(f"/api/v1/notifications/{created['id']}", headers=auth)
    client.get("/api/v1/deadlines", headers=auth)
    client.post("/api/v1/notifications", json=notification_body(channel="pigeon"), headers=auth)
    db.session.expire_all()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    actions = [(e.action, e.object_type) for e in events if e.action != "api_token.create"]
    assert actions == [
        ("notification.create", "notification"),
        ("notification.view", "notification"),
        ("deadline_list.view", "deadline_list"),
    ]
    assert all(e.user_id == anna.id for e in events[1:])
    assert events[-1].detail["case_ids"] == [created["id"]]
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 1


def test_the_openapi_document_lists_the_models_choices(client, auth):
    document = client.get("/api/v1/openapi.json", headers=auth).json
    create = document["components"]["schemas"]["NotificationCreate"]["properties"]
    assert "negative_social_control" in create["concern_category"]["enum"]
    assert create["summary"]["maxLength"] == 20000
    assert set(document["paths"]) == {
        "/api/v1/notifications",
        "/api/v1/notifications/{notification_id}",
        "/api/v1/notifications/{notification_id}/steps",
        "/api/v1/deadlines",
        "/api/v1/deadlines/{deadline_id}/complete",
        "/api/v1/intake",
        "/api/v1/openapi.json",
    }
