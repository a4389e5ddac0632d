"""Issue 12, bug 7: intake statistics in a stated order, captions in normal Danish case."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from deadline_data import make_notification
from factories import login, make_team, make_user

from tracker.extensions import db
from tracker.models import Role

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)


def rows_of(html: str, table_id: str) -> list[str]:
    start = html.index(f'id="{table_id}"')
    body = html[html.index("<tbody>", start) : html.index("</tbody>", start)]
    return re.findall(r'<th scope="row">([^<]+)</th>', body)


def test_age_groups_in_age_order_and_the_rest_most_first(app, client, clock):
    nord = make_team("Team Nord")
    leader = make_user(role=Role.LEADER, team=nord, name="Lone Leder")
    received = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
    cases = [("15-17", "phone"), ("0-5", "phone"), ("12-14", "email"), ("6-11", "phone")]
    cases += [("unknown", "letter"), ("15-17", "letter")]
    for age, channel in cases:
        make_notification(nord, leader, received_at=received, age_group=age, channel=channel)
    db.session.commit()
    login(client, leader)
    html = client.get("/reports/intake?from=2026-03&to=2026-03").get_data(as_text=True)
    assert rows_of(html, "intake-age_group") == [
        "0-5 år",
        "6-11 år",
        "12-14 år",
        "15-17 år",
        "Ukendt",
    ]
    # Channels: by count (telefon 3, brev 2, e-mail 1).
    assert rows_of(html, "intake-channel") == ["Telefon", "Brev", "E-mail"]
    assert "efter kanal og måned" in html and "efter Kanal" not in html
