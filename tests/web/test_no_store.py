"""No answer with case or person data is kept by a browser or a proxy: Cache-Control no-store.

Walks every GET route of the app (pages, the API, exports) as a leader and as an
administrator, with a case in the database, and a POST that re-shows a page with errors;
only the static files (the design system, scripts) may be cached. Both backends.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from deadline_data import make_deadline
from factories import api_token, headers, login, make_team, make_user
from werkzeug.routing import IntegerConverter

from tracker.extensions import db
from tracker.models import Role

SKIPPED = {"static", "auth.logout"}


@pytest.fixture
def world(app):
    nord = make_team("Team Nord")
    leader = make_user(role=Role.LEADER, team=nord)
    deadline = make_deadline(nord, leader, starts_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    db.session.commit()
    admin = make_user(role=Role.ADMIN, team=nord)
    return {"leader": leader, "admin": admin, "case": deadline.notification_id, "user": leader.id}


def _get_urls(app, world):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED or "GET" not in (rule.methods or set()):
            continue
        url = rule.rule
        for name in rule.arguments:
            converter = rule._converters[name]
            value = str(world["user" if "user" in name else "case"])
            if not isinstance(converter, IntegerConverter):
                value = "x"
            url = re.sub(rf"<(?:[^:<>]+:)?{name}>", value, url)
        yield url


@pytest.mark.parametrize("role", ["leader", "admin"])
def test_every_answer_but_static_files_says_no_store(app, client, world, role):
    """Failed before: the case page, the API's case and most pages could be cached."""
    login(client, world[role])
    auth = headers(api_token(world[role]))
    urls = sorted(set(_get_urls(app, world)))
    assert len(urls) >= 20
    for url in urls:
        response = client.get(url, headers=auth if url.startswith("/api/") else {})
        assert response.headers.get("Cache-Control") == "no-store", (url, response.status_code)


def test_a_page_shown_again_with_errors_says_no_store(app, client, world):
    login(client, world["leader"])
    response = client.post(f"/cases/{world['case']}/close")
    assert response.status_code == 422
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(app, client):
    response = client.get("/static/vendor/htmx/htmx.min.js")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
