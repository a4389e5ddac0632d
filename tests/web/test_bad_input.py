"""Bad input never answers 500: junk sent to every route of the people-and-access area.

Walks the URL map (so new routes in these blueprints are covered), signed in as an
administrator on a team (who reaches the most), with junk query strings, form fields,
JSON bodies and path values.
"""

from __future__ import annotations

import re

import pytest
from factories import api_token, headers, login, make_team, make_user

from tracker.models import Role

BLUEPRINTS = {"auth", "admin", "audit", "api", "main"}

JUNK_VALUES = [
    "",
    " ",
    "x" * 3000,
    "-1",
    "0",
    "99999999999999999999",
    "1.5",
    "<script>alert(1)</script>",
    "'; DROP TABLE users; --",
    "\u0000",
    "ÆØÅ æøå 😀",
    "2026-02-30",
    "/\u0000",
    "/x\r\nSet-Cookie: a=b",
]
FIELDS = ["name", "email", "role", "team_id", "active", "password", "case", "user_id", "since"]
FIELDS += ["until", "next", "digest_enabled"]


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in BLUEPRINTS:
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield rule, method


def _url(rule, value: str) -> str:
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(rf"<(?:[^:<>]+:)?{name}>", value, url)
    return url


@pytest.fixture
def admin_client(app, client):
    admin = make_user(role=Role.ADMIN, team=make_team("Team Nord"))
    login(client, admin)
    return client, headers(api_token(admin))


def test_the_area_has_routes(app):
    assert len(list(_routes(app))) >= 15


@pytest.mark.parametrize("junk", JUNK_VALUES, ids=range(len(JUNK_VALUES)))
def test_junk_forms_and_queries_never_answer_500(app, admin_client, junk):
    client, auth = admin_client
    for rule, method in _routes(app):
        if rule.endpoint in {"auth.logout", "admin.user_sign_out"}:
            continue  # would end the session the rest of the walk needs
        for path_value in ("1", "999999"):
            url = _url(rule, path_value)
            data = dict.fromkeys(FIELDS, junk)
            by_token = auth if url.startswith("/api/") else {}
            response = client.open(
                url, method=method, query_string=data, data=data, headers=by_token
            )
            assert response.status_code < 500, (method, url, junk)
            if url.startswith("/api/"):
                assert response.is_json, (method, url)


@pytest.mark.parametrize(
    "body",
    ["{", "[1,2", '{"digest_enabled": }', "\u0000", "x" * 10_000, '{"a": ' * 500, "null"],
)
def test_junk_json_never_answers_500(app, admin_client, body):
    client, auth = admin_client
    for rule, method in _routes(app):
        if rule.endpoint.startswith("api.") and method in {"POST", "PATCH", "PUT"}:
            response = client.open(
                _url(rule, "1"),
                method=method,
                data=body,
                content_type="application/json",
                headers=auth,
            )
            assert 400 <= response.status_code < 500, (rule.rule, body)
            assert response.is_json
