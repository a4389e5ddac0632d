"""Extreme values never answer 500: ids beyond the database's range, years far out, odd queries.

Every web test runs on SQLite and PostgreSQL; PostgreSQL refuses an `integer` above 2**31-1
and a date outside its range, SQLite an integer above 2**63, so both matter.
"""

from __future__ import annotations

import re

import pytest
from factories import api_token, headers, login, make_team, make_user
from werkzeug.routing import IntegerConverter

from tracker.models import Role

HUGE_ID = "9999999999"


def _url(rule, values: dict[str, str]) -> str:
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(rf"<(?:[^:<>]+:)?{name}>", values.get(name, "1"), url)
    return url


def _id_rules(app):
    for rule in app.url_map.iter_rules():
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            yield rule


def _methods(rule):
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


@pytest.fixture(params=[Role.ADMIN, Role.CASEWORKER], ids=["admin", "caseworker"])
def signed_in(request, app, client):
    user = make_user(role=request.param, team=make_team("Team Nord"))
    login(client, user)
    return client, headers(api_token(user))


def test_every_id_route_takes_the_bounded_id_converter(app):
    rules = list(_id_rules(app))
    assert len(rules) >= 15
    for rule in rules:
        for name, converter in rule._converters.items():
            assert converter.max == 2**31 - 1, (rule.rule, name)


def test_an_id_beyond_the_database_range_answers_404_not_500(app, signed_in):
    client, auth = signed_in
    for rule in _id_rules(app):
        url = _url(rule, dict.fromkeys(rule.arguments, HUGE_ID))
        by_token = auth if url.startswith("/api/") else {}
        for method in _methods(rule):
            response = client.open(url, method=method, headers=by_token)
            assert response.status_code == 404, (method, url, response.status_code)


def test_a_case_page_with_a_huge_id_is_the_danish_not_found_page(app, signed_in):
    client, _auth = signed_in
    response = client.get(f"/cases/{HUGE_ID}")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.get_data(as_text=True)
