"""POST /api/v1/intake: a form's underretning starts its clock at its own submission time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import schemathesis
from factories import headers, make_team, make_user
from hypothesis import HealthCheck, settings
from sqlalchemy import select
from test_api_schema import CHECKS, fresh_context_per_request

from tracker import clock as app_clock
from tracker.extensions import db
from tracker.models import AuditEvent, IntakeItem, Role
from tracker.people import tokens

NOW = datetime(2026, 3, 11, 10, 30, tzinfo=UTC)
BODY = {
    "submitted_at": "2026-03-11T10:05:00+01:00",
    "external_id": "os2forms-4711",
    "form": "os2forms",
    "sender": "Lærer Søren Ærbø",
    "subject": "Underretning om Åse",
    "text": "Åse kommer sulten i skole.\nHun har blå mærker.",
}


def token(user, scope=tokens.INTAKE_SCOPE) -> dict[str, str]:
    _row, value = tokens.create_token(user, "form", by=None, now=app_clock.now(), scope=scope)
    db.session.commit()
    return headers(value)


@pytest.fixture
def team(app):
    return make_team("Modtagelsen")


@pytest.fixture
def intake_auth(app, team) -> dict[str, str]:
    return token(make_user(role=Role.CASEWORKER, team=team, name="OS2forms"))


def test_a_form_submission_becomes_an_item_with_its_own_time(client, intake_auth, team, clock):
    response = client.post("/api/v1/intake", json=BODY, headers=intake_auth)

    assert response.status_code == 201, response.json
    assert response.json["arrived_at"] == "2026-03-11T10:05:00+01:00"
    assert response.json["assessment_due_at"] == "2026-03-12T10:05:00+01:00"
    assert response.json["status"] == "unregistered"
    assert "Åse" not in response.get_data(as_text=True)  # the answer holds no content
    item = db.session.get(IntakeItem, response.json["id"])
    assert item.team_id == team.id and item.mailbox == "os2forms"
    assert item.arrived_at == datetime(2026, 3, 11, 9, 5, tzinfo=UTC)
    assert item.body_text.startswith("Åse kommer sulten")
    assert item.raw_type == "application/json" and "Åse".encode() in item.raw
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "intake_item.create"))
    assert event.detail["api_token_id"] and event.team_id == team.id

    again = client.post("/api/v1/intake", json=BODY, headers=intake_auth)
    assert again.status_code == 200 and again.json["id"] == item.id


def test_bad_bodies_are_refused_in_danish(client, intake_auth, clock):
    future = client.post(
        "/api/v1/intake",
        json={**BODY, "submitted_at": "2026-03-12T10:00:00+01:00"},
        headers=intake_auth,
    )
    assert future.status_code == 422 and "fremtiden" in future.json["fields"]["submitted_at"][0]
    naive = client.post(
        "/api/v1/intake", json={**BODY, "submitted_at": "2026-03-11T10:00:00"}, headers=intake_auth
    )
    assert "submitted_at" in naive.json["fields"]
    missing = client.post(
        "/api/v1/intake", json={"submitted_at": BODY["submitted_at"]}, headers=intake_auth
    )
    assert set(missing.json["fields"]) == {"external_id", "text"}


def test_scopes_keep_the_two_kinds_of_token_apart(client, intake_auth, team, clock):
    # An intake token reaches nothing else.
    assert client.get("/api/v1/deadlines", headers=intake_auth).status_code == 403
    assert client.get("/api/me", headers=intake_auth).status_code == 403
    # A case token cannot deliver intake items.
    case_token = token(make_user(role=Role.CASEWORKER, team=team), scope=None)
    assert client.post("/api/v1/intake", json=BODY, headers=case_token).status_code == 403
    assert client.get("/api/v1/deadlines", headers=case_token).status_code == 200


@pytest.fixture
def intake_schema(app, intake_auth):
    return schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", fresh_context_per_request(app), headers=intake_auth
    )


intake_api = schemathesis.pytest.from_fixture("intake_schema")


@pytest.mark.slow  # 50 generated requests
@intake_api.include(operation_id="createIntakeItem").parametrize()
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_the_intake_operation_answers_as_documented(case, intake_auth):
    case.call_and_validate(headers=intake_auth, checks=CHECKS)
