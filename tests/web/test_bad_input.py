"""Bad input never answers 500: junk sent to every route of the people-and-access area.

Walks the URL map (so new routes in these blueprints are covered), signed in as an
administrator on a team (who reaches the most), with junk query strings, form fields,
JSON bodies and path values.
"""

from __future__ import annotations

import io
import json
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


# Shapes a careful attacker tried (issue 13): each on every form field of every form, on
# every POST route of the app, and in every string field of every JSON body the OpenAPI
# document describes. The forms and the document are walked, so new ones are covered.
SKIPPED_POSTS = {"auth.logout", "admin.user_sign_out"}
OVER_LONG = "k" * 3000
LONE_SURROGATE = "x\ud800y"


def _form_field_names() -> list[str]:
    """Return the name of every field of every form of the app (tracker.web.forms.Form)."""
    from wtforms.fields.core import UnboundField

    from tracker.web.forms import Form

    names: set[str] = set()
    classes = [Form]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        names.update(name for name in dir(cls) if isinstance(getattr(cls, name), UnboundField))
    return sorted(names)


@pytest.fixture
def case_world(app):
    """A caseworker and an administrator of Team Nord, and one of the team's cases."""
    from datetime import UTC, datetime

    from deadline_data import make_deadline

    from tracker.extensions import db

    nord = make_team("Team Nord")
    caseworker = make_user(role=Role.CASEWORKER, team=nord)
    deadline = make_deadline(nord, caseworker, starts_at=datetime(2026, 3, 2, 9, tzinfo=UTC))
    db.session.commit()
    admin = make_user(role=Role.ADMIN, team=nord)
    return {
        "caseworker": caseworker,
        "admin": admin,
        "case_id": deadline.notification_id,
        "deadline_id": deadline.id,
    }


def _post_routes(app, world):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_POSTS or "POST" not in (rule.methods or set()):
            continue
        url = rule.rule
        for name in rule.arguments:
            value = world.get(name, 1)
            url = re.sub(rf"<(?:[^:<>]+:)?{name}>", str(value), url)
        yield rule, url


def _form_shapes(fields: list[str]) -> dict[str, dict]:
    return {
        "a file where text is expected": {name: (io.BytesIO(b"x"), "x.txt") for name in fields},
        "over-long values and keys": dict.fromkeys(fields, OVER_LONG),
        "NUL": dict.fromkeys(fields, "SAG\x001"),
        "text with a NUL byte's neighbours": dict.fromkeys(fields, "\x01\x1f\x7f"),
    }


@pytest.mark.parametrize("role", ["caseworker", "admin"])
def test_every_form_takes_every_odd_shape_without_a_500(app, client, case_world, role):
    """Failed before: files on /login, /cases/new, /cases/earlier and the case actions, an
    over-long checklist key (KeyError: 'max'), a NUL child reference on PostgreSQL."""
    login(client, case_world[role])
    auth = headers(api_token(case_world[role]))
    fields = _form_field_names()
    assert {"email", "password", "child_reference", "step", "note", "reason"} <= set(fields)
    routes = list(_post_routes(app, case_world))
    assert len(routes) >= 20
    for shape, values in _form_shapes(fields).items():
        for rule, url in routes:
            data = {
                name: (io.BytesIO(value[0].getvalue()), value[1])
                if isinstance(value, tuple)
                else value
                for name, value in values.items()
            }
            by_token = auth if url.startswith("/api/") else {}
            response = client.post(url, data=data, headers=by_token)
            assert response.status_code < 500, (shape, rule.endpoint, url)
    # The sign-in form too, signed out (it answers a signed-in user with a redirect).
    client.post("/logout")
    for shape, values in _form_shapes(fields).items():
        response = client.post("/login", data=values)
        assert 400 <= response.status_code < 500, shape


def _json_bodies(document: dict):
    """Yield (method, path, field, body) for every string field of every request body."""
    schemas = document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody")
            if body is None:
                continue
            schema = body["content"]["application/json"]["schema"]
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema
            for name in schema.get("properties", {}):
                yield method, path, name


@pytest.mark.parametrize("value", [LONE_SURROGATE, "SAG\x001", OVER_LONG * 2])
def test_every_json_field_takes_odd_strings_without_a_500(app, client, case_world, value):
    """Failed before: a lone surrogate in any string field answered 500 (both backends)."""
    auth = headers(api_token(case_world["caseworker"]))
    document = client.get("/api/v1/openapi.json", headers=auth).get_json()
    bodies = list(_json_bodies(document))
    assert len(bodies) >= 10
    for method, path, name in bodies:
        url = path.replace("{notification_id}", str(case_world["case_id"])).replace(
            "{deadline_id}", str(case_world["deadline_id"])
        )
        for body in ({name: value}, {value: value}):
            response = client.open(
                url,
                method=method.upper(),
                data=json.dumps(body),
                content_type="application/json",
                headers=auth,
            )
            assert 400 <= response.status_code < 500, (method, path, name, response.status_code)
            assert response.is_json
    me = client.patch(
        "/api/me",
        data=json.dumps({"digest_enabled": value}),
        content_type="application/json",
        headers=auth,
    )
    assert me.status_code == 400
