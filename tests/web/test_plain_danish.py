"""Issue 12, bug 6 (and others): no internal codes or markup characters on a Danish page."""

from __future__ import annotations

from datetime import UTC, datetime

from factories import login, make_team, make_user

from tracker.models import Role

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)


def test_the_api_keys_page_shows_no_backticks(app, client, clock):
    admin = make_user(role=Role.ADMIN, team=make_team("Drift"), name="Ada Admin")
    login(client, admin)
    html = client.get("/admin/tokens").get_data(as_text=True)
    assert "`" not in html
    assert "<code>tracker tokens create</code>" in html
