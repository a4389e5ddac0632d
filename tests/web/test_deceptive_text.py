"""Text that deceives is refused: bidirectional overrides and zero-width characters.

A right-to-left override makes "SAG-1\u202e21" display as another reference; a zero-width
space makes two references that look alike differ (a repeat not noticed). One rule
(tracker.domain.characters) refuses them, with a Danish message, in every form, the API
and the commands, for names, references and notes. And the API does not give out the
birth date a CPR number encodes. Both backends.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from factories import api_token, headers, login, make_team, make_user
from sqlalchemy import func, select

from tracker.domain.characters import DECEPTIVE_CHARACTERS
from tracker.extensions import db
from tracker.models import Notification, Role, Team, User
from tracker.people import accounts
from tracker.people.accounts import PeopleError, UserDetails

NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)
REFUSED = "Teksten indeholder tegn, der ikke er tilladt."
CHARACTERS = sorted(DECEPTIVE_CHARACTERS)


def test_the_rule_covers_the_overrides_isolates_and_zero_width_characters():
    for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200C, 0x200D]:
        assert chr(code) in DECEPTIVE_CHARACTERS, hex(code)
    assert "\u2060" in DECEPTIVE_CHARACTERS and "\ufeff" in DECEPTIVE_CHARACTERS


@pytest.fixture
def anna(app, client, clock):
    user = make_user(role=Role.CASEWORKER, team=make_team("Team Nord"), name="Anna")
    login(client, user)
    return user


def _form(anna, **overrides) -> dict:
    return {
        "received_date": "2026-03-10",
        "received_time": "15:40",
        "channel": "phone",
        "notifier_kind": "professional",
        "notifier_contact": "Skolen",
        "child_reference": "SAG-2026-0001",
        "age_group": "6-11",
        "concerns": ["neglect"],
        "summary": "Bekymring",
        "caseworker_id": str(anna.id),
        **overrides,
    }


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Notification))


@pytest.mark.parametrize("field", ["child_reference", "summary", "notifier_contact"])
@pytest.mark.parametrize("character", CHARACTERS, ids=[f"U+{ord(c):04X}" for c in CHARACTERS])
def test_the_registration_form_refuses_them(client, anna, field, character):
    """Failed before: the text was stored as it came."""
    response = client.post("/cases/new", data=_form(anna, **{field: f"SAG-1{character}21"}))
    assert response.status_code == 422
    assert REFUSED in response.get_data(as_text=True)
    assert _count() == 0


@pytest.mark.parametrize("character", CHARACTERS, ids=[f"U+{ord(c):04X}" for c in CHARACTERS])
def test_the_api_refuses_them(client, anna, character):
    auth = headers(api_token(anna))
    body = {
        "received_at": "2026-03-10T15:40:00+01:00",
        "channel": "phone",
        "notifier_kind": "professional",
        "notifier_contact": "Skolen",
        "child_reference": f"SAG{character}1",
        "concerns": ["neglect"],
        "summary": f"Bekymring{character}",
    }
    response = client.post("/api/v1/notifications", json=body, headers=auth)
    assert response.status_code == 422
    assert response.get_json()["fields"]["child_reference"] == [REFUSED]
    assert response.get_json()["fields"]["summary"] == [REFUSED]
    good = client.post(
        "/api/v1/notifications",
        json={**body, "child_reference": "SAG-1", "summary": "Bekymring"},
        headers=auth,
    )
    deadline_id = good.get_json()["deadlines"][0]["id"]
    note = client.post(
        f"/api/v1/deadlines/{deadline_id}/complete",
        data=json.dumps({"note": f"Ringet{character} op"}),
        content_type="application/json",
        headers=auth,
    )
    assert note.status_code == 422 and note.get_json()["fields"]["note"] == [REFUSED]


def test_a_case_note_and_a_reason_on_the_case_page_refuse_them(client, anna):
    assert client.post("/cases/new", data=_form(anna)).status_code == 302
    case = db.session.scalars(select(Notification)).one()
    deadline = case.deadlines[0]
    base = f"/cases/{case.id}/deadlines/{deadline.id}"
    done = {"completed_date": "2026-03-11", "completed_time": "10:00", "note": "a\u202eb"}
    assert client.post(f"{base}/complete", data=done).status_code == 422
    assert client.post(f"{base}/not-applicable", data={"reason": "\u200b"}).status_code == 422


def test_names_of_people_and_teams_refuse_them(app, client, clock):
    admin = make_user(role=Role.ADMIN)
    login(client, admin)
    created = client.post(
        "/admin/users/new",
        data={"name": "Bo\u202eB", "email": "bo@nord.dk", "role": "admin", "team_id": "0"},
    )
    assert created.status_code == 400 and REFUSED in created.get_data(as_text=True)
    team = client.post("/admin/teams", data={"name": "Team\u2066Nord"})
    assert team.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Team)) == 0
    # The use cases refuse them too (the command line goes through them).
    details = UserDetails(name="Ada\u200dAdmin", role=Role.ADMIN, team=None)
    with pytest.raises(PeopleError):
        accounts.create_user("ada@x.dk", details, None, by=None, now=NOW)
    with pytest.raises(PeopleError):
        accounts.create_team("Team\ufeffSyd", by=None, now=NOW)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_the_api_gives_no_birth_date_derived_from_a_cpr_number(client, anna):
    """Failed before: child_birth_date came back as the CPR number's first six digits."""
    auth = headers(api_token(anna))
    body = {
        "received_at": "2026-03-10T15:40:00+01:00",
        "channel": "phone",
        "notifier_kind": "professional",
        "notifier_contact": "Skolen",
        "child_reference": "SAG-1",
        "cpr_number": "010120-1234",
        "concerns": ["neglect"],
        "summary": "Bekymring",
    }
    created = client.post("/api/v1/notifications", json=body, headers=auth).get_json()
    assert created["has_cpr_number"] is True and created["child_birth_date"] is None
    read = client.get(f"/api/v1/notifications/{created['id']}", headers=auth).get_json()
    assert read["child_birth_date"] is None
    assert "2020-01-01" not in json.dumps(read)
    without_cpr = {**body, "cpr_number": None, "child_birth_date": "2019-05-04"}
    answer = client.post("/api/v1/notifications", json=without_cpr, headers=auth).get_json()
    assert answer["child_birth_date"] == "2019-05-04"
