"""API tokens: bearer authentication with the user's rights; only a hash in the database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from factories import api_token, headers, login, make_team, make_user
from sqlalchemy import select, text

from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.models import ApiToken, AuditEvent, Role
from tracker.people import tokens


def test_the_database_never_holds_a_usable_token(app, client):
    anna = make_user(team=make_team("Team Nord"))
    token = api_token(anna, "Sagssystem")
    assert token.startswith("fst_") and len(token) > 40
    # Search every text column of every row of the table for the token or most of it.
    rows = db.session.execute(text("SELECT * FROM api_tokens")).all()
    assert len(rows) == 1
    for value in rows[0]:
        assert token not in str(value)
        assert token[4:20] not in str(value)
    row = db.session.scalar(select(ApiToken))
    assert row.token_hash == tokens.hash_token(token)
    assert row.prefix == token[: tokens.PREFIX_SHOWN]
    # What is stored does not work as a token.
    for stored in (row.token_hash, row.prefix, f"fst_{row.token_hash}"):
        assert client.get("/api/me", headers=headers(stored)).status_code == 401


def test_a_bearer_token_acts_as_its_user_with_that_users_rights(app, client):
    nord = make_team("Team Nord")
    anna = make_user(team=nord, name="Anna Andersen")
    response = client.get("/api/me", headers=headers(api_token(anna)))
    assert response.status_code == 200
    assert response.json["id"] == anna.id
    assert response.json["visible_team_ids"] == [nord.id]
    assert "Set-Cookie" not in response.headers  # no session for token calls
    # The same user's token does not open the admin pages.
    assert client.get("/admin/users", headers=headers(api_token(anna))).status_code == 403


def test_token_use_is_remembered(app, client):
    anna = make_user(team=make_team())
    token = api_token(anna)
    client.get("/api/me", headers=headers(token))
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken)).last_used_at is not None


@pytest.mark.parametrize(
    "authorization",
    ["Bearer", "Bearer ", "Bearer fst_wrong", "Basic YTpi", "bearer  ", "Bearer " + "x" * 5000],
)
def test_a_missing_or_wrong_token_gets_401_json(app, client, authorization):
    response = client.get("/api/me", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.json["error"] == "unauthorized"
    assert response.json["message"] == "Login påkrævet."
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_tokens_and_deactivated_users_stop_working(app, client):
    from tracker.people import accounts

    anna, bo = make_user(team=make_team()), make_user(team=make_team())
    anna_token, bo_token = api_token(anna), api_token(bo)
    now = datetime.now(UTC)
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == anna.id))
    tokens.revoke_token(row, by=None, now=now)
    accounts.deactivate_user(bo, by=None, now=now)
    db.session.commit()
    assert client.get("/api/me", headers=headers(anna_token)).status_code == 401
    assert client.get("/api/me", headers=headers(bo_token)).status_code == 401


def test_a_token_call_needs_no_csrf_token_but_a_cookie_call_does(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    anna = make_user(team=make_team())
    response = client.patch(
        "/api/me", json={"digest_enabled": False}, headers=headers(api_token(anna))
    )
    assert response.status_code == 200
    assert response.json["digest_enabled"] is False
    login(client, anna)
    refused = client.patch("/api/me", json={"digest_enabled": True})
    assert refused.status_code == 400
    assert refused.is_json
    assert "Formularen er udløbet" in refused.json["message"]


def test_a_token_is_not_combined_with_a_session(app, client, monkeypatch):
    """With a bearer header, the session cookie is ignored: a bad token is not rescued by it."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    anna = make_user(team=make_team())
    login(client, anna)
    response = client.patch(
        "/api/me", json={"digest_enabled": False}, headers=headers("fst_not-a-token")
    )
    assert response.status_code == 401


def test_a_change_through_the_api_is_audited_with_the_token(app, client):
    anna = make_user(team=make_team())
    token = api_token(anna)
    client.patch("/api/me", json={"digest_enabled": False}, headers=headers(token))
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == AuditAction.SETTINGS_DIGEST)
    )
    row = db.session.scalar(select(ApiToken))
    assert event.user_id == anna.id
    assert event.detail == {"digest_enabled": False, "api_token_id": row.id}


class TestJsonErrors:
    """The API answers every kind of bad request with JSON and a 4xx, never a 500."""

    @pytest.fixture
    def auth(self, app):
        return headers(api_token(make_user(team=make_team())))

    def test_malformed_json_is_400(self, client, auth):
        response = client.patch(
            "/api/me", data="{not json", content_type="application/json", headers=auth
        )
        assert response.status_code == 400
        assert response.json == {
            "error": "bad_request",
            "message": "Forespørgslens indhold er ikke gyldig JSON.",
        }

    @pytest.mark.parametrize("body", ["[]", '"text"', "12", "null"])
    def test_json_that_is_not_an_object_is_400(self, client, auth, body):
        response = client.patch("/api/me", data=body, content_type="application/json", headers=auth)
        assert response.status_code == 400
        assert response.is_json

    @pytest.mark.parametrize(
        "body", [{"digest_enabled": "yes"}, {"digest_enabled": 1}, {"role": "admin"}]
    )
    def test_wrong_types_and_unknown_fields_are_400(self, client, auth, body):
        response = client.patch("/api/me", json=body, headers=auth)
        assert response.status_code == 400
        assert response.is_json and response.json["message"]

    def test_a_body_that_is_not_json_is_415(self, client, auth):
        response = client.patch("/api/me", data="digest_enabled=1", headers=auth)
        assert response.status_code == 415
        assert response.is_json

    def test_an_oversized_body_is_413(self, app, client, auth):
        big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
        response = client.patch("/api/me", data=big, content_type="application/json", headers=auth)
        assert response.status_code == 413
        assert response.json["error"] == "request_entity_too_large"

    def test_an_oversized_form_is_413_in_danish(self, app, client):
        big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
        response = client.post("/login", data={"email": big, "password": "x"})
        assert response.status_code == 413
        assert "for stort" in response.get_data(as_text=True)

    def test_unknown_api_paths_are_404_json(self, client, auth):
        response = client.get("/api/no-such-thing", headers=auth)
        assert response.status_code == 404
        assert response.json["error"] == "not_found"

    def test_wrong_method_is_405_json(self, client, auth):
        response = client.delete("/api/me", headers=auth)
        assert response.status_code == 405
        assert response.is_json
        assert "GET" in response.headers["Allow"]


def test_admins_without_a_team_see_no_teams_through_the_api(app, client):
    admin = make_user(role=Role.ADMIN)
    response = client.get("/api/me", headers=headers(api_token(admin)))
    assert response.json["visible_team_ids"] == []
