"""Every case route, found by walking the URL map, answers another team's case with 404.

A route is a case route when its address names a case (case_id, notification_id) or a
deadline (deadline_id). New case routes are covered without touching this test.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from deadline_data import make_deadline
from factories import api_token, headers, login, make_team, make_user
from flask import Flask

from tracker.extensions import db
from tracker.models import Role

CASE_ARGUMENTS = {"case_id", "notification_id"}
OBJECT_ARGUMENTS = CASE_ARGUMENTS | {"deadline_id"}


def _case_routes(app: Flask):
    for rule in app.url_map.iter_rules():
        if rule.arguments & OBJECT_ARGUMENTS:
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield rule, method


def _url(rule, case_id: int, deadline_id: int) -> str:
    values = {"case_id": case_id, "notification_id": case_id, "deadline_id": deadline_id}
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(rf"<(?:[^:<>]+:)?{name}>", str(values.get(name, 1)), url)
    return url


@pytest.fixture
def syd_case(app):
    """A case of Team Syd with one open deadline: (case id, deadline id)."""
    syd = make_team("Team Syd")
    carl = make_user(team=syd, name="Carl")
    deadline = make_deadline(syd, carl, starts_at=datetime(2026, 3, 2, 9, tzinfo=UTC))
    db.session.commit()
    return deadline.notification_id, deadline.id


def test_the_app_has_case_routes_to_check(app):
    assert len(list(_case_routes(app))) >= 3


@pytest.mark.parametrize(
    "who",
    ["caseworker-nord", "leader-nord", "admin-without-team", "admin-of-nord"],
)
def test_another_teams_case_is_404_on_every_case_route(app, client, syd_case, who):
    nord = make_team("Team Nord")
    role = {"caseworker": Role.CASEWORKER, "leader": Role.LEADER, "admin": Role.ADMIN}
    user = make_user(
        role=role[who.split("-")[0]], team=None if who == "admin-without-team" else nord
    )
    login(client, user)
    token_headers = headers(api_token(user))
    case_id, deadline_id = syd_case
    for rule, method in _case_routes(app):
        url = _url(rule, case_id, deadline_id)
        auth = token_headers if url.startswith("/api/") else {}
        response = client.open(url, method=method, headers=auth, json={} if auth else None)
        assert response.status_code == _expected(rule.endpoint, user.role), (who, method, url)
        if response.status_code == 404:  # a case that does not exist: the very same answer
            missing = client.open(
                _url(rule, 999_999, 999_999), method=method, headers=auth, json={} if auth else None
            )
            assert missing.status_code == 404, (who, method, url)


def _expected(endpoint: str, role: Role) -> int:
    """404 for case content; the audit log (ids only) is the exception for administrators."""
    if endpoint.startswith("admin.audit"):
        return {Role.CASEWORKER: 403, Role.LEADER: 404, Role.ADMIN: 200}[role]
    return 404


def test_the_owning_team_reaches_its_case(app, client, syd_case):
    case_id, _deadline_id = syd_case
    from tracker.models import Team

    syd = db.session.scalar(db.select(Team).where(Team.name == "Team Syd"))
    login(client, make_user(team=syd))
    assert client.get(f"/cases/{case_id}").status_code == 200
