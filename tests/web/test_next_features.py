"""Issue 12, what users expect next: find a case, safe registration, own password, English."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from factories import login, make_team, make_user, sign_in
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import AuditEvent, Notification, Role, User

NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)


def form_data(user, **overrides) -> dict:
    data = {
        "received_date": "2026-03-10",
        "received_time": "15:40",
        "channel": "phone",
        "notifier_kind": "professional",
        "notifier_contact": "Skolen",
        "child_reference": "SAG-2026-77",
        "age_group": "6-11",
        "concerns": "neglect",
        "summary": "Bekymring.",
        "caseworker_id": str(user.id),
    }
    data.update(overrides)
    return data


@pytest.fixture
def anna(app, client, clock):
    user = make_user(role=Role.CASEWORKER, team=make_team("Team Nord"), name="Anna Andersen")
    login(client, user)
    return user


def test_find_a_case_by_its_reference_or_the_childs_within_ones_teams(client, anna):
    client.post("/cases/new", data=form_data(anna))
    case = db.session.scalars(select(Notification)).one()
    other = make_user(team=make_team("Team Syd"), name="Carl")
    db.session.commit()
    for query in (case.reference.lower(), "sag-2026-77"):
        html = client.get("/cases/", query_string={"q": query}).get_data(as_text=True)
        assert case.reference in html and "SAG-2026-77" in html and "Omsorgssvigt" in html
    login(client, other)
    html = client.get("/cases/", query_string={"q": case.reference}).get_data(as_text=True)
    assert f">{case.reference}</a>" not in html and "Ingen sag i dine teams" in html


def test_a_list_of_closed_cases(client, anna):
    client.post("/cases/new", data=form_data(anna))
    html = client.get("/cases/?status=closed").get_data(as_text=True)
    assert "Lukkede sager" in html and "Teamet har ingen lukkede sager." in html


def test_the_dashboard_counts_link_to_the_filtered_list(client, anna):
    client.post("/cases/new", data=form_data(anna))
    html = client.get("/").get_data(as_text=True)
    assert re.search(
        r'href="/dashboard\?[^"]*status=overdue[^"]*kind=assessment', html
    ) or re.search(r'href="/dashboard\?[^"]*kind=assessment[^"]*status=overdue', html)


def test_a_receipt_more_than_7_days_back_asks_if_the_date_is_right(client, anna):
    data = form_data(anna, received_date="2025-03-10")
    response = client.post("/cases/new", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Er datoen rigtig?" in html and 'name="confirm_old_date"' in html
    assert db.session.scalars(select(Notification)).all() == []
    assert client.post("/cases/new", data={**data, "confirm_old_date": "y"}).status_code == 302


def test_an_anonymous_notifier_can_have_a_note(client, anna):
    data = form_data(
        anna,
        notifier_kind="anonymous",
        notifier_contact="",
        notifier_note="skjult nummer, kvindestemme",
    )
    location = client.post("/cases/new", data=data).headers["Location"]
    case = db.session.scalars(select(Notification)).one()
    assert case.notifier_note == "skjult nummer, kvindestemme" and case.notifier_contact is None
    assert "skjult nummer, kvindestemme" in client.get(location).get_data(as_text=True)


def test_a_user_changes_their_own_password(app, client, clock):
    user = make_user(team=make_team("Team Nord"), email="bo@nord.test", password="gammel-kode-123")
    response = sign_in(client, "bo@nord.test", "gammel-kode-123")
    assert response.status_code in (302, 303)
    wrong = client.post(
        "/settings/password", data={"current": "forkert-kode-1", "new": "ny-kode-456789"}
    )
    assert wrong.status_code == 422 and "Den nuværende adgangskode er forkert." in wrong.text
    ok = client.post(
        "/settings/password", data={"current": "gammel-kode-123", "new": "ny-kode-456789"}
    )
    assert ok.status_code == 302
    assert client.get("/settings/").status_code == 200  # still signed in here
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.user_id == user.id)
    ).all()
    assert "user.change_own_password" in actions


def test_english_is_chosen_per_user_and_by_the_browser_before_sign_in(app, client, clock):
    login_page = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert 'lang="en"' in login_page.text
    assert 'lang="da"' in client.get("/login").text  # Danish by default
    user = make_user(team=make_team("Team Nord"), name="Eve")
    login(client, user)
    client.post("/settings/", data={"language": "en", "digest_enabled": "y", "save": "1"})
    db.session.expire_all()
    assert db.session.get(User, user.id).language == "en"
    html = client.get("/").text
    assert 'lang="en"' in html and "My deadlines" in html
    # Times on an English page read "at", not the Danish "kl.".
    assert " kl. " not in html and " at " in html


def test_the_english_catalogue_is_complete():
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    with open(root / "tracker/translations/en/LC_MESSAGES/messages.po", "rb") as handle:
        catalogue = read_po(handle, locale="en")
    missing = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)]
    assert missing == []
