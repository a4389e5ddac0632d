"""The case page's timeline: what happened, newest first; corrections by new entries."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from factories import login, make_team, make_user
from sqlalchemy import func, select

from tracker.cases import timeline
from tracker.extensions import db
from tracker.models import AuditEvent, Notification, Role, TimelineEntry, TimelineKind

NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)  # Wednesday, 16:30 in Copenhagen


@pytest.fixture
def anna(app, client, clock):
    user = make_user(role=Role.CASEWORKER, team=make_team("Team Nord"), name="Anna Andersen")
    login(client, user)
    return user


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace(" :", ":")


def register(client, user) -> tuple[str, Notification]:
    response = client.post(
        "/cases/new",
        data={
            "received_date": "2026-03-10",
            "received_time": "15:40",
            "channel": "phone",
            "notifier_kind": "professional",
            "notifier_contact": "Skolen",
            "child_reference": "SAG-1",
            "age_group": "6-11",
            "concerns": ["neglect"],
            "summary": "Resumé",
            "caseworker_id": str(user.id),
        },
    )
    assert response.status_code == 302
    return response.headers["Location"], db.session.scalars(select(Notification)).one()


def test_the_case_page_shows_the_timeline_newest_first(client, anna):
    location, _notification = register(client, anna)
    outcome = {
        "outcome": "no_acute_action",
        "occurred_date": "2026-03-11",
        "occurred_time": "16:30",
    }
    client.post(f"{location}/assessment", data=outcome)
    page = text_of(client.get(location))
    section = page[page.index("Tidslinje") :]
    assert section.index("Resultat af 24-timers vurderingen") < section.index("Registreret")
    assert "Frist overholdt: 24-timers vurdering" in section
    assert "ons. 11. mar. 2026 kl. 16:30 · Anna Andersen" in section


def test_an_entry_is_corrected_with_a_reason_and_kept(client, anna):
    location, notification = register(client, anna)
    entry = timeline.add_entry(
        notification, TimelineKind.STEP_DONE, by=anna, now=NOW, step_key="safety_plan"
    )
    db.session.commit()
    url = f"{location}/timeline/{entry.id}/correct"
    assert client.post(url, data={"reason": ""}).status_code == 422
    assert client.post(url, data={"reason": "Registreret på forkert sag"}).status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(TimelineEntry)) == 3
    page = text_of(client.get(location))
    assert "(rettet)" in page and "Registreret på forkert sag" in page
    assert db.session.scalar(
        select(func.count()).where(AuditEvent.action == "timeline_entry.correct")
    )


def test_another_teams_entry_is_not_found(client, anna):
    location, notification = register(client, anna)
    entry = notification.timeline[0]
    login(client, make_user(role=Role.LEADER, team=make_team("Team Syd")))
    response = client.post(f"{location}/timeline/{entry.id}/correct", data={"reason": "x"})
    assert response.status_code == 404
