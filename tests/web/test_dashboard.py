"""The overdue dashboard: sorting, filters, keyset pages, team scoping and the htmx fragment."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from deadline_data import make_deadline
from factories import api_token, headers, login, make_team, make_user

from tracker.extensions import db
from tracker.models import Role
from tracker.reporting.dashboard import Cursor, CursorError

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)  # Wednesday, 12:00 in Copenhagen
HOUR = timedelta(hours=1)


@pytest.fixture
def world(app, clock):
    """One team with a leader and two caseworkers, deadlines in every state, and another team."""
    nord, syd = make_team("Team Nord"), make_team("Team Syd")
    leader = make_user(role=Role.LEADER, team=nord, name="Lone Leder")
    anna = make_user(team=nord, name="Anna Andersen")
    bo = make_user(team=nord, name="Bo Bertelsen")
    carl = make_user(team=syd, name="Carl Christensen")
    due = lambda delta: dict(starts_at=NOW + delta - 24 * HOUR)  # noqa: E731  (assessment due at NOW+delta)
    rows = {
        "overdue_3d": make_deadline(nord, anna, **due(-72 * HOUR)),
        "overdue_2h": make_deadline(nord, bo, **due(-2 * HOUR)),
        "soon_5h": make_deadline(nord, anna, **due(5 * HOUR)),
        "open_receipt": make_deadline(
            nord,
            anna,
            kind="receipt",
            starts_at=NOW - 24 * HOUR,
            overdue_from=NOW + 50 * HOUR,
        ),
        "met_on_time": make_deadline(nord, anna, **due(-30 * HOUR), completed_at=NOW - 40 * HOUR),
        "met_late": make_deadline(nord, anna, **due(-30 * HOUR), completed_at=NOW - 20 * HOUR),
        "not_applicable": make_deadline(nord, anna, **due(-5 * HOUR), not_applicable="dublet"),
        "syd_overdue": make_deadline(syd, carl, **due(-100 * HOUR)),
    }
    db.session.commit()
    refs = {name: d.notification.reference for name, d in rows.items()}
    return dict(nord=nord, syd=syd, leader=leader, anna=anna, bo=bo, carl=carl, refs=refs)


def references(html: str) -> list[str]:
    return re.findall(r">(U-\d{4}-\d{6})</a>", html)


def names(world, html):
    by_ref = {ref: name for name, ref in world["refs"].items()}
    return [by_ref[ref] for ref in references(html)]


def test_leader_sees_the_team_most_overdue_first(client, world):
    login(client, world["leader"])
    html = client.get("/").get_data(as_text=True)
    assert names(world, html) == ["overdue_3d", "overdue_2h", "soon_5h", "open_receipt"]
    assert "Anna Andersen" in html and "Bo Bertelsen" in html
    assert "3 dage over fristen" in html and "2 timer over fristen" in html and "om 5 timer" in html


def test_caseworker_default_view_is_mine(client, world):
    login(client, world["anna"])
    html = client.get("/").get_data(as_text=True)
    assert names(world, html) == ["overdue_3d", "soon_5h", "open_receipt"]
    everyone = client.get("/dashboard?who=all").get_data(as_text=True)
    assert names(world, everyone) == ["overdue_3d", "overdue_2h", "soon_5h", "open_receipt"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=overdue", ["overdue_3d", "overdue_2h"]),
        ("status=due_soon", ["soon_5h"]),
        ("status=open&kind=receipt", ["open_receipt"]),
        ("status=met_late", ["met_late"]),
        ("status=met_late&from=2026-03-31&to=2026-04-01", ["met_late"]),
        ("status=met_late&from=2026-04-01", []),
        ("who={bo}", ["overdue_2h"]),
        ("who={bo}&status=due_soon", []),
        ("kind=assessment&status=overdue&team={nord}", ["overdue_3d", "overdue_2h"]),
    ],
)
def test_filters_from_the_query_string(client, world, query, expected):
    login(client, world["leader"])
    query = query.format(bo=world["bo"].id, nord=world["nord"].id)
    response = client.get(f"/dashboard?{query}")
    assert response.status_code == 200
    assert names(world, response.get_data(as_text=True)) == expected


def test_counts_at_the_top(client, world):
    login(client, world["leader"])
    html = client.get("/dashboard?who=all").get_data(as_text=True)
    counts = html[html.index('id="deadline-counts"') : html.index("</table>")]
    total = re.search(r"<tfoot>.*?</tfoot>", counts, re.S).group(0)
    # overdue: 3d and 2h; within 24 h: the 5-hour one; this week (until Sunday): + the receipt.
    assert re.findall(r"<strong>(?:<a [^>]*>)?(\d+)", total) == ["2", "1", "2"]
    # Each count links to the list it counts.
    assert "status=overdue" in total and "status=due_soon" in total


@pytest.mark.parametrize("status", ["open", "overdue", "due_soon", "met_late", "all"])
def test_the_api_lists_what_the_dashboard_lists(client, world, status):
    login(client, world["leader"])
    shown = names(world, client.get(f"/dashboard?who=all&status={status}").get_data(as_text=True))
    listed = client.get(
        f"/api/v1/deadlines?status={status}", headers=headers(api_token(world["leader"]))
    ).json["deadlines"]
    by_ref = {ref: name for name, ref in world["refs"].items()}
    expected = {
        "open": ["overdue_3d", "overdue_2h", "soon_5h", "open_receipt"],
        "overdue": ["overdue_3d", "overdue_2h"],
        "due_soon": ["soon_5h"],
        "met_late": ["met_late"],
    }
    if status in expected:
        assert shown == [by_ref[d["reference"]] for d in listed] == expected[status]
    else:  # the dashboard offers no such choice; the API lists every deadline of the team
        assert "Vælg en status fra listen" in client.get(f"/dashboard?status={status}").get_data(
            as_text=True
        )
        assert sorted(by_ref[d["reference"]] for d in listed) == sorted(
            name for name in world["refs"] if name != "syd_overdue"
        )


@pytest.mark.parametrize(
    "overdue_from",
    [datetime(2026, 4, 1, 13, 40, 7, 123457, tzinfo=UTC), datetime(1969, 12, 31, tzinfo=UTC), None],
)
def test_a_cursor_reads_back_to_the_same_place(overdue_from):
    cursor = Cursor(overdue_from, 2**31 - 1)
    assert Cursor.decode(cursor.encode()) == cursor


@pytest.mark.parametrize("text", ["", ".", "1.", "x.1", "1.x", "1.²", "-.1", "9" * 30 + ".1"])
def test_a_cursor_edited_by_hand_is_refused(text):
    with pytest.raises(CursorError):
        Cursor.decode(text)


def test_bad_filters_get_a_danish_message_and_400(client, world):
    login(client, world["leader"])
    response = client.get("/dashboard?status=whatever")
    assert response.status_code == 400
    assert "Vælg en status fra listen" in response.get_data(as_text=True)
    assert client.get("/dashboard?after=nonsense").status_code == 400
    assert client.get("/dashboard?from=1.4.2026&status=met_late").status_code == 400


def test_another_teams_view_is_not_found_and_its_deadlines_never_shown(client, world):
    login(client, world["leader"])
    assert client.get(f"/dashboard?team={world['syd'].id}").status_code == 404
    html = client.get(f"/dashboard?who={world['carl'].id}&status=overdue").get_data(as_text=True)
    assert references(html) == []
    assert world["refs"]["syd_overdue"] not in client.get("/dashboard?who=all").get_data(
        as_text=True
    )


def test_keyset_pages_across_equal_due_times(client, app, clock):
    team = make_team()
    anna = make_user(team=team)
    same_due = NOW - 3 * HOUR
    made = [make_deadline(team, anna, starts_at=same_due - 24 * HOUR) for _ in range(120)]
    db.session.commit()
    login(client, anna)
    seen, url, pages = [], "/dashboard", 0
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += references(html)
        pages += 1
        match = re.search(r'href="([^"]*after=[^"]*)"[^>]*>Næste side', html)
        url = match.group(1).replace("&amp;", "&") if match else None
    assert pages == 3
    assert len(seen) == len(set(seen)) == 120
    # Equal due times are ordered by id, so the order is stable and complete.
    assert seen == [d.notification.reference for d in sorted(made, key=lambda d: d.id)]


def test_htmx_refresh_gets_only_the_table_with_the_same_filters(client, world):
    login(client, world["leader"])
    response = client.get("/dashboard?status=overdue", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and html.lstrip().startswith('<div id="deadline-table"')
    assert 'hx-get="/dashboard?status=overdue"' in html and 'hx-trigger="every 60s"' in html
    assert names(world, html) == ["overdue_3d", "overdue_2h"]
    assert "HX-Request" in response.headers["Vary"]
    full = client.get("/dashboard?status=overdue").get_data(as_text=True)
    assert "<script>" not in full and " style=" not in full  # CSP: no inline script or style


def test_rows_link_to_the_case_page(client, world, app):
    login(client, world["leader"])
    html = client.get("/").get_data(as_text=True)
    deadline_case = re.search(r'<a href="(/cases/\d+)">U-', html).group(1)
    assert "cases.show" in app.view_functions
    assert client.get(deadline_case).status_code == 200
