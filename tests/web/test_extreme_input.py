"""Extreme values never answer 500: ids beyond the database's range, years far out, odd queries.

Every web test runs on SQLite and PostgreSQL; PostgreSQL refuses an `integer` above 2**31-1
and a date outside its range, SQLite an integer above 2**63, so both matter.
"""

from __future__ import annotations

import re

import pytest
from factories import api_token, headers, login, make_team, make_user
from routes import converters
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
        if any(isinstance(c, IntegerConverter) for c in converters(app.url_map, rule).values()):
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
        for name, converter in converters(app.url_map, rule).items():
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


@pytest.fixture
def leader(app, client):
    nord = make_team("Team Nord")
    user = make_user(role=Role.LEADER, team=nord)
    login(client, user)
    return user


def test_the_dashboard_filters_only_by_people_of_the_visible_teams(app, client, leader):
    colleague = make_user(team=leader.team)
    stranger = make_user(team=make_team("Team Syd"))
    assert client.get(f"/dashboard?who={colleague.id}").status_code == 200
    for who in (HUGE_ID, str(stranger.id), "0", "²"):
        response = client.get(f"/dashboard?who={who}")
        assert response.status_code == 400, who
        assert "Vælg fra listen, hvis frister du vil se." in response.get_data(as_text=True)


EXTREME_DATES = ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01"]


@pytest.mark.parametrize("path", ["/dashboard", "/dashboard.csv"])
@pytest.mark.parametrize("bound", ["from", "to"])
def test_the_dashboard_refuses_years_out_of_range_with_a_danish_400(
    app, client, leader, path, bound
):
    for day in EXTREME_DATES:
        response = client.get(path, query_string={"status": "met_late", bound: day})
        assert response.status_code == 400, (path, bound, day)
        if path == "/dashboard":
            assert "Vælg et år fra 1900 til 2200" in response.get_data(as_text=True)
    wide = {"status": "met_late", "from": "1900-01-01", "to": "2200-12-31"}
    assert client.get(path, query_string=wide).status_code == 200


@pytest.mark.parametrize("bound", ["since", "until"])
def test_the_audit_search_refuses_years_out_of_range_with_a_danish_400(app, client, bound):
    login(client, make_user(role=Role.ADMIN, team=make_team("Team Nord")))
    for day in EXTREME_DATES:
        response = client.get("/audit/", query_string={bound: day})
        assert response.status_code == 400, (bound, day)
        assert "Vælg et år fra 1900 til 2200" in response.get_data(as_text=True)
    wide = {"since": "1900-01-01", "until": "2200-12-31"}
    assert client.get("/audit/", query_string=wide).status_code == 200


@pytest.mark.parametrize(
    "path", ["/reports/compliance", "/reports/intake", "/reports/compliance.csv"]
)
@pytest.mark.parametrize("query", [{"from": "0000-01"}, {"to": "9999-12"}, {"to": "1900-01"}])
def test_the_reports_refuse_months_out_of_range_with_a_danish_400(app, client, leader, path, query):
    response = client.get(path, query_string=query)
    assert response.status_code == 400, (path, query)
    if not path.endswith(".csv"):
        assert "Vælg et år fra 1900 til 2200" in response.get_data(as_text=True)


def test_the_reports_take_the_last_supported_months(app, client, leader):
    response = client.get("/reports/intake", query_string={"from": "2200-01", "to": "2200-12"})
    assert response.status_code == 200


def test_the_calendar_address_page_is_never_stored(app, client):
    login(client, make_user(team=make_team("Team Nord")))
    shown = client.post("/calendar")
    assert shown.status_code == 200 and "/calendar/" in shown.get_data(as_text=True)
    assert shown.headers["Cache-Control"] == "no-store"
    turned_off = client.post("/calendar/off")
    assert turned_off.status_code == 200
    assert turned_off.headers["Cache-Control"] == "no-store"
