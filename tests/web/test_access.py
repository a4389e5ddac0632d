"""Authorisation in one place: every route needs a sign-in, cases are scoped to teams."""

from __future__ import annotations

import re
import time

import pytest
from factories import login, make_team, make_user
from flask import Flask
from routes import converters
from werkzeug.routing import FloatConverter, IntegerConverter, Rule

from tracker import clock
from tracker.models import Role, Team, User
from tracker.web import access

# The allow-list, spelled out: adding a public endpoint must change this test too.
PUBLIC = {
    "auth.login",
    "auth.oidc_login",
    "auth.oidc_callback",
    "static",
    "health.healthz",
    "health.readyz",
    "reports.calendar_feed",  # authenticated by the secret token in its address
    # The action cards: no case data, for professionals outside the department.
    "cards.index",
    "cards.show",
    "cards.contacts",
}


def _example_url(rule: Rule) -> str:
    """Fill a rule's variables with plausible values (1 for ids, 'x' for strings)."""
    url = rule.rule
    for name in rule.arguments:
        converter = converters(rule.map, rule)[name]
        value = "1" if isinstance(converter, IntegerConverter | FloatConverter) else "x"
        url = re.sub(rf"<(?:[^:<>]+:)?{name}>", value, url)
    return url


def _protected_requests(app: Flask):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield rule, method, _example_url(rule)


def test_the_allow_list_is_exactly_the_login_pages_static_files_and_health_check(app):
    public = {endpoint for endpoint in app.view_functions if access.is_public(endpoint)}
    assert public == PUBLIC
    assert set(access.endpoints_requiring_login(app)) == set(app.view_functions) - PUBLIC


def test_every_route_requires_a_sign_in(app, client):
    """Walk the URL map: anonymous requests never reach a view, whatever the route or method."""
    checked = 0
    for _rule, method, url in _protected_requests(app):
        response = client.open(url, method=method)
        if url.startswith("/api/"):
            assert response.status_code == 401, (method, url)
            assert response.is_json and response.json["error"] == "unauthorized"
        else:
            assert response.status_code == 302, (method, url, response.status_code)
            assert response.headers["Location"].startswith("/login"), (method, url)
        checked += 1
    assert checked >= len(app.view_functions) - len(PUBLIC)


def test_every_route_refuses_a_bad_bearer_token(app, client):
    for _rule, method, url in _protected_requests(app):
        response = client.open(url, method=method, headers={"Authorization": "Bearer fst_nope"})
        assert response.status_code in {302, 401}, (method, url)
        if response.status_code == 401:
            assert response.is_json


def test_the_login_page_remembers_where_the_user_was_going(client):
    response = client.get("/admin/users?x=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/admin/users?x%3D1"


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.LEADER])
def test_caseworkers_and_leaders_see_their_own_team_only(app, role):
    nord, syd = make_team("Team Nord"), make_team("Team Syd")
    user = make_user(role=role, team=nord)
    assert access.visible_team_ids(user) == [nord.id]
    assert access.can_see_team(user, nord.id)
    assert not access.can_see_team(user, syd.id)
    assert not access.can_see_team(user, None)


def test_admins_see_case_content_only_through_a_team_of_their_own(app):
    nord = make_team("Team Nord")
    admin_alone = make_user(role=Role.ADMIN)
    admin_on_team = make_user(role=Role.ADMIN, team=nord)
    assert access.visible_team_ids(admin_alone) == []
    assert not access.can_see_team(admin_alone, nord.id)
    assert access.visible_team_ids(admin_on_team) == [nord.id]


def test_deactivated_and_anonymous_users_see_nothing(app):
    nord = make_team("Team Nord")
    gone = make_user(team=nord, active=False)
    assert access.visible_team_ids(gone) == []
    assert access.visible_team_ids(None) == []


def _scoped(app: Flask, user: User):
    """Run the request-bound helpers as this user, in a request of its own."""
    from flask_login import login_user

    context = app.test_request_context("/")
    context.push()
    login_user(user)
    return context


def test_another_teams_object_answers_404_not_403(app):
    from werkzeug.exceptions import Forbidden, NotFound

    nord, syd = make_team("Team Nord"), make_team("Team Syd")
    anna = make_user(team=nord)
    carl = make_user(team=syd)
    context = _scoped(app, anna)
    try:
        assert access.get_visible_or_404(User, anna.id).id == anna.id
        assert access.get_visible_or_404(Team, nord.id, team_attr="id").id == nord.id
        with pytest.raises(NotFound):
            access.get_visible_or_404(User, carl.id)  # exists, but in another team
        with pytest.raises(NotFound):
            access.get_visible_or_404(User, 999_999)  # does not exist: the same answer
        with pytest.raises(NotFound):
            access.require_team(syd.id)
        access.require_team(nord.id)
        with pytest.raises(Forbidden):
            access.ensure_role(Role.ADMIN)
        from sqlalchemy import select

        from tracker.extensions import db

        visible = db.session.scalars(select(User.id).where(access.team_scope(User.team_id)))
        assert set(visible) == {anna.id}
    finally:
        context.pop()


def test_role_checks(app):
    nord = make_team("Team Nord")
    leader = make_user(role=Role.LEADER, team=nord)
    admin = make_user(role=Role.ADMIN)
    caseworker = make_user(team=nord)
    assert access.is_leader(leader) and not access.is_leader(caseworker)
    assert access.is_admin(admin) and not access.is_admin(leader)


def test_front_page_shows_only_the_users_own_team(app, client):
    nord, syd = make_team("Team Nord"), make_team("Team Syd")
    anna = make_user(team=nord, name="Anna Andersen")
    make_user(team=nord, name="Bo Bertelsen")
    make_user(team=syd, name="Carl Christensen")
    login(client, anna)
    html = client.get("/").get_data(as_text=True)
    assert "Team Nord" in html and "Bo Bertelsen" in html
    assert "Team Syd" not in html and "Carl Christensen" not in html


@pytest.mark.parametrize(
    ("role", "admin_pages", "audit_pages"),
    [
        (Role.CASEWORKER, 403, 403),
        (Role.LEADER, 403, 200),
        (Role.ADMIN, 200, 200),
    ],
)
def test_admin_and_audit_pages_by_role(app, client, role, admin_pages, audit_pages):
    login(client, make_user(role=role))
    for path in ("/admin/users", "/admin/teams", "/admin/tokens", "/admin/users/new"):
        assert client.get(path).status_code == admin_pages, path
    assert client.get("/audit/").status_code == audit_pages
    forbidden = client.get("/admin/users")
    if admin_pages == 403:
        assert "Du har ikke adgang" in forbidden.get_data(as_text=True)


def test_an_idle_session_is_signed_out(app, client):
    user = make_user(team=make_team())
    login(client, user)
    assert client.get("/").status_code == 200
    limit = int(app.permanent_session_lifetime.total_seconds())
    with client.session_transaction() as session:
        session[access.SEEN_AT_KEY] = int(time.time()) - limit - 60
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "logget ud efter en periode uden aktivitet" in page
    assert client.get("/").status_code == 302  # and stays signed out


def test_an_active_session_is_kept_and_its_clock_restarts(app, client):
    user = make_user(team=make_team())
    login(client, user)
    limit = int(app.permanent_session_lifetime.total_seconds())
    almost = int(time.time()) - limit + 60
    with client.session_transaction() as session:
        session[access.SEEN_AT_KEY] = almost
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        assert session[access.SEEN_AT_KEY] > almost
        assert session.permanent


def test_the_dashboards_automatic_refresh_does_not_keep_a_session_alive(app, client):
    user = make_user(team=make_team())
    login(client, user)
    limit = int(app.permanent_session_lifetime.total_seconds())
    almost = int(time.time()) - limit + 60
    with client.session_transaction() as session:
        session[access.SEEN_AT_KEY] = almost
    refresh = {"HX-Request": "true", access.AUTO_REFRESH_HEADER: "true"}
    assert client.get("/", headers=refresh).status_code == 200
    with client.session_transaction() as session:
        assert session[access.SEEN_AT_KEY] == almost
        session[access.SEEN_AT_KEY] = almost - 120
    expired = client.get("/", headers=refresh)
    # htmx is told to load the login page as a whole page, not into the table.
    assert expired.status_code == 401
    assert expired.headers["HX-Redirect"].startswith("/login")


def test_deactivating_a_user_ends_their_sessions(app, client):
    from tracker.extensions import db
    from tracker.people import accounts

    user = make_user(team=make_team())
    login(client, user)
    assert client.get("/").status_code == 200
    accounts.deactivate_user(db.session.get(User, user.id), by=None, now=clock.now())
    db.session.commit()
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.LEADER])
def test_every_admin_route_refuses_non_admins(app, client, role):
    """Walk the URL map: whatever lives under /admin/, only administrators get in."""
    login(client, make_user(role=role))
    admin_rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin")]
    assert len(admin_rules) >= 8
    for rule in admin_rules:
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = client.open(_example_url(rule), method=method)
            assert response.status_code == 403, (role, method, rule.rule)
