"""Odd query strings never answer 500: every GET route, every parameter name the app reads.

Ids in paths are filled with an existing object's id and with one beyond the database's
range; each parameter is set alone to each odd value on the filter pages, and all of them
at once on every GET route. Runs on SQLite and PostgreSQL like every web test.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from deadline_data import make_deadline
from factories import api_token, headers, login, make_team, make_user
from routes import converters
from werkzeug.routing import IntegerConverter

from tracker.extensions import db
from tracker.models import Role

ODD_VALUES = ["", "0", "-1", "9999999999", "0001-01-01", "9999-12-31", "abc", "\x00", "k" * 3000]
# Every query parameter the views and GET forms read.
PARAMETERS = {
    "/dashboard": ["team", "who", "kind", "status", "from", "to", "after"],
    "/dashboard.csv": ["team", "who", "kind", "status", "from", "to", "after"],
    "/reports/compliance": ["team", "from", "to"],
    "/reports/compliance.csv": ["team", "from", "to"],
    "/reports/intake": ["team", "from", "to"],
    "/audit/": ["case", "user_id", "since", "until"],
    "/calc": [
        "received_date",
        "received_time",
        "notifier",
        "decision_date",
        "decision_kind",
        "investigation_start",
    ],
    "/cases/": ["status", "team"],
    "/cases/{case}": ["card"],
    "/admin/outbox/": ["status"],
    "/api/v1/deadlines": ["status", "kind", "team", "limit", "after"],
}
ALL_NAMES = sorted({name for names in PARAMETERS.values() for name in names})
# /readyz answers 503 by design while not ready (no sweep yet here): tests/web/test_health.py.
SKIPPED = {"static", "auth.logout", "reports.calendar_feed", "health.readyz"}


@pytest.fixture
def world(app):
    nord = make_team("Team Nord")
    leader = make_user(role=Role.LEADER, team=nord)
    deadline = make_deadline(nord, leader, starts_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    db.session.commit()
    admin = make_user(role=Role.ADMIN, team=nord)
    return dict(leader=leader, admin=admin, case=deadline.notification_id, token=api_token(leader))


def _get_urls(app, object_id: int):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED or "GET" not in (rule.methods or set()):
            continue
        url = rule.rule
        for name in rule.arguments:
            converter = converters(app.url_map, rule)[name]
            value = str(object_id) if isinstance(converter, IntegerConverter) else "x"
            url = re.sub(rf"<(?:[^:<>]+:)?{name}>", value, url)
        yield url


def _get(client, world, url, query):
    auth = headers(world["token"]) if url.startswith("/api/") else {}
    response = client.get(url, query_string=query, headers=auth)
    assert response.status_code < 500, (url, query, response.status_code)


@pytest.mark.parametrize("path", sorted(PARAMETERS))
def test_each_parameter_alone_takes_odd_values(app, client, world, path):
    login(client, world["admin" if path.startswith("/admin/") else "leader"])
    url = path.format(case=world["case"])
    for name in PARAMETERS[path]:
        for value in ODD_VALUES:
            _get(client, world, url, {name: value})


@pytest.mark.parametrize("role", ["leader", "admin"])
@pytest.mark.parametrize("object_id", ["existing", 9999999999])
def test_every_get_route_takes_every_parameter_at_once(app, client, world, object_id, role):
    login(client, world[role])
    urls = sorted(set(_get_urls(app, world["case"] if object_id == "existing" else object_id)))
    assert len(urls) >= 20
    for url in urls:
        for value in ODD_VALUES:
            _get(client, world, url, dict.fromkeys(ALL_NAMES, value))
