"""The API against its own OpenAPI document: generated requests never get a 500.

Schemathesis generates requests for every operation of /api/v1/openapi.json, valid
and invalid ones, and checks each answer: no server error, a documented status
code, and a body that matches the documented schema. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
import schemathesis
from factories import api_token, headers, make_team, make_user
from flask import Flask
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tracker.models import Role

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def fresh_context_per_request(app: Flask):
    """Wrap the app so each request gets its own app context, as under a real server.

    The `app` fixture holds an app context open for the test; without this, every
    generated request would share its database session and `g`.
    """

    def wsgi(environ, start_response):
        with app.app_context():
            return list(app(environ, start_response))

    return wsgi


def test_the_document_is_valid_openapi(client, bearer):
    response = client.get("/api/v1/openapi.json", headers=bearer)
    assert response.status_code == 200
    validate(response.json)  # raises on any violation of the OpenAPI 3.0 specification


@pytest.fixture
def bearer(app, client) -> dict[str, str]:
    """Return a caseworker's token, with a few cases in their team for the ids to find."""
    user = make_user(role=Role.CASEWORKER, team=make_team("Team Nord"))
    auth = headers(api_token(user))
    for notifier_kind, contact in [("professional", "Skolen"), ("anonymous", None)]:
        body = {
            "received_at": "2026-01-05T15:40:00+01:00",
            "channel": "phone",
            "notifier_kind": notifier_kind,
            "notifier_contact": contact,
            "child_reference": "SAG-1",
            "concerns": ["neglect"],
            "summary": "Resumé",
        }
        assert client.post("/api/v1/notifications", json=body, headers=auth).status_code == 201
    return auth


@pytest.fixture
def api_schema(app, bearer):
    return schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", fresh_context_per_request(app), headers=bearer
    )


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.slow  # 50 generated requests per operation
@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_every_operation_answers_as_documented(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
