"""Links are built from TRACKER_BASE_URL, never from the request's Host header.

A request's Host header is the client's to choose: a link built from it (the calendar
address shown once, the identity provider's redirect address, the feed's case links)
can be made to point anywhere. Both backends.
"""

from __future__ import annotations

import re

from factories import login, make_team, make_user

EVIL = {"Host": "evil.example"}


def _signed_in_at_any_host(client, user):
    login(client, user)
    # The test client sends a cookie to the host it names; a browser behind a proxy that
    # passes the attacker's Host on would send it anyway.
    client.set_cookie("session", client.get_cookie("session").value, domain="evil.example")


def test_the_calendar_address_uses_the_base_url_whatever_the_host(app, client):
    """Failed before: the page showed http://evil.example/calendar/<token>.ics."""
    _signed_in_at_any_host(client, make_user(team=make_team("Team Nord")))
    page = client.post("/calendar", headers=EVIL).get_data(as_text=True)
    base = app.config["BASE_URL"].rstrip("/")
    (address,) = re.findall(r'id="feed-url" readonly value="([^"]+)"', page)
    assert address.startswith(f"{base}/calendar/") and address.endswith(".ics")
    assert "evil.example" not in page
    feed = client.get(address.removeprefix(base), headers=EVIL)
    assert feed.status_code == 200
    assert b"evil.example" not in feed.data
