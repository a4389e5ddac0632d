"""Issue 12, bug 8: labels that tell the truth."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from factories import login, make_team, make_user

from tracker.models import Role

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def people(app, clock):
    nord = make_team("Team Nord")
    return dict(
        anna=make_user(team=nord, name="Anna Andersen"),
        leader=make_user(role=Role.LEADER, team=nord, name="Lone Leder"),
        admin=make_user(role=Role.ADMIN, team=None, name="Ada Admin"),
    )


def h1(html: str) -> str:
    return html[html.index("<h1>") + 4 : html.index("</h1>")]


def test_a_caseworkers_dashboard_says_it_shows_their_own(client, people):
    login(client, people["anna"])
    assert h1(client.get("/").get_data(as_text=True)) == "Mine frister"
    assert h1(client.get("/dashboard?who=all").get_data(as_text=True)) == "Teamets frister"


def test_a_leaders_dashboard_and_calendar_say_the_team(client, people):
    login(client, people["leader"])
    assert h1(client.get("/").get_data(as_text=True)) == "Teamets frister"
    assert "dit teams åbne frister" in client.get("/calendar").get_data(as_text=True)
    login(client, people["anna"])
    assert "dit teams" not in client.get("/calendar").get_data(as_text=True)


def test_a_reversed_date_range_gets_a_danish_error(client, people):
    login(client, people["leader"])
    response = client.get("/dashboard?status=met_late&from=2026-04-01&to=2026-03-01")
    assert response.status_code == 400
    assert "Fra-datoen ligger efter til-datoen." in response.get_data(as_text=True)


def test_the_admin_lands_on_the_users_and_is_offered_no_digest(client, people):
    login(client, people["admin"])
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/users")
    settings = client.get("/settings/").get_data(as_text=True)
    assert 'name="digest_enabled"' not in settings
    assert "ingen daglig oversigt" in settings
    login(client, people["anna"])
    assert 'name="digest_enabled"' in client.get("/settings/").get_data(as_text=True)
