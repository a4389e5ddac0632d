"""Issue 12, bug 4: nothing is cut off; text over a limit is refused, saying limit and length."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from factories import api_token, headers, login, make_team, make_user
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Notification, Role
from tracker.models.cases import SUMMARY_LENGTH

NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)
PASTED_EMAIL = ("Kære kommune, vi er bekymrede for drengen. " * 140)[:6000] + "SLUT"


@pytest.fixture
def anna(app, client, clock):
    user = make_user(role=Role.CASEWORKER, team=make_team("Team Nord"), name="Anna Andersen")
    login(client, user)
    return user


def form_data(user, **overrides) -> dict:
    data = {
        "received_date": "2026-03-10",
        "received_time": "15:40",
        "channel": "email",
        "notifier_kind": "professional",
        "notifier_contact": "Skolen, 12 34 56 78",
        "child_reference": "SAG-2026-0001",
        "age_group": "6-11",
        "concerns": "neglect",
        "summary": "Barnet kommer sultent i skole.",
        "caseworker_id": str(user.id),
    }
    data.update(overrides)
    return data


def test_the_summary_limit_holds_a_normal_underretning():
    assert SUMMARY_LENGTH >= 20_000


def test_a_pasted_email_of_6000_characters_is_stored_whole(client, anna):
    response = client.post("/cases/new", data=form_data(anna, summary=PASTED_EMAIL))
    assert response.status_code == 302
    stored = db.session.scalars(select(Notification.summary)).one()
    assert stored == PASTED_EMAIL.strip() and stored.endswith("SLUT")


def test_no_field_lets_the_browser_cut_pasted_text(client, anna):
    html = client.get("/cases/new").get_data(as_text=True)
    assert "maxlength" not in html


def test_too_long_text_is_refused_naming_the_limit_and_the_length(client, anna):
    summary = "x" * (SUMMARY_LENGTH + 7)
    response = client.post("/cases/new", data=form_data(anna, summary=summary))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f"Højst {SUMMARY_LENGTH} tegn; teksten har {SUMMARY_LENGTH + 7}." in html
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_the_api_refuses_too_long_text_with_the_same_message(client, anna):
    body = {
        "received_at": "2026-03-10T15:40:00+01:00",
        "channel": "email",
        "notifier_kind": "professional",
        "notifier_contact": "Skolen",
        "child_reference": "SAG-1",
        "concerns": ["neglect"],
        "summary": "y" * (SUMMARY_LENGTH + 1),
    }
    response = client.post("/api/v1/notifications", json=body, headers=headers(api_token(anna)))
    assert response.status_code == 422
    (message,) = response.json["fields"]["summary"]
    assert str(SUMMARY_LENGTH) in message and str(SUMMARY_LENGTH + 1) in message
