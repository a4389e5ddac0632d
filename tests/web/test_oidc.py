"""Signing in through the municipality's identity provider (a fake one on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from factories import another_app, make_team, make_user, new_client
from flask import Flask
from oidc_provider import FakeOidcProvider
from sqlalchemy import select

from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.models import AuditEvent


@pytest.fixture(scope="module")
def provider() -> Iterator[FakeOidcProvider]:
    server = FakeOidcProvider().start()
    yield server
    server.stop()


@pytest.fixture
def oidc_app(app: Flask, database_url: str, provider: FakeOidcProvider, tmp_path) -> Iterator:
    """The app on the same (migrated, emptied-after) database, with the provider configured."""
    configured = another_app(
        database_url,
        tmp_path,
        OIDC_ISSUER=provider.issuer,
        OIDC_CLIENT_ID=provider.client_id,
        OIDC_CLIENT_SECRET=provider.client_secret,
        OIDC_LABEL="Log ind med KommuneID",
    )
    provider.next_email, provider.email_verified, provider.wrong_nonce = None, True, False
    yield configured
    with configured.app_context():
        db.engine.dispose()


@pytest.fixture
def oidc_client(oidc_app):
    return new_client(oidc_app)


def _walk_the_flow(oidc_client, email: str | None, provider: FakeOidcProvider):
    """Press the button, let the provider sign in `email`, and follow it back; return the answer."""
    provider.next_email = email
    start = oidc_client.get("/login/oidc")
    assert start.status_code == 302
    authorize_url = start.headers["Location"]
    assert authorize_url.startswith(f"{provider.issuer}/authorize?")
    at_provider = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == "/login/oidc/callback"
    return oidc_client.get(f"{back.path}?{back.query}")


def _events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_button_shows_only_when_configured(client, oidc_client):
    assert "KommuneID" in oidc_client.get("/login").get_data(as_text=True)
    assert "KommuneID" not in client.get("/login").get_data(as_text=True)
    assert client.get("/login/oidc").headers["Location"] == "/login"


def test_a_known_active_user_signs_in_through_the_provider(oidc_client, provider):
    anna = make_user(team=make_team("Team Nord"), email="anna@nord.dk", name="Anna Andersen")
    response = _walk_the_flow(oidc_client, "Anna@Nord.dk", provider)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = oidc_client.get("/")
    assert page.status_code == 200
    assert "Anna Andersen" in page.get_data(as_text=True)
    (event,) = _events(AuditAction.USER_LOGIN)
    assert event.user_id == anna.id
    assert event.detail == {"method": "oidc"}


def test_an_unknown_email_is_refused_in_danish_and_audited(oidc_client, provider):
    response = _walk_the_flow(oidc_client, "stranger@nord.dk", provider)
    assert response.status_code == 403
    assert "ingen aktiv bruger i Fristsporing" in response.get_data(as_text=True)
    assert oidc_client.get("/").status_code == 302
    (event,) = _events(AuditAction.USER_LOGIN_FAILED)
    assert event.user_id is None
    assert event.detail == {"reason": "oidc_unknown_user", "method": "oidc"}


def test_a_deactivated_user_is_refused(oidc_client, provider):
    bo = make_user(team=make_team(), email="bo@nord.dk", active=False)
    response = _walk_the_flow(oidc_client, "bo@nord.dk", provider)
    assert response.status_code == 403
    (event,) = _events(AuditAction.USER_LOGIN_FAILED)
    assert (event.user_id, event.detail["reason"]) == (bo.id, "inactive")


@pytest.mark.parametrize("verified", [False, None, "true", 1, "yes"])
def test_an_email_not_verified_as_the_boolean_true_is_not_trusted(oidc_client, provider, verified):
    """Failed before for a missing claim and for "true", 1 and "yes": they signed in."""
    make_user(team=make_team(), email="anna@nord.dk")
    provider.email_verified = verified
    assert _walk_the_flow(oidc_client, "anna@nord.dk", provider).status_code == 403
    assert oidc_client.get("/").status_code == 302


def test_the_sign_in_uses_pkce(oidc_client, provider):
    """Failed before: no code_challenge was sent, and a PKCE-requiring provider refused."""
    start = oidc_client.get("/login/oidc")
    query = parse_qs(urlsplit(start.headers["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43


def test_an_id_token_with_the_wrong_nonce_is_refused(oidc_client, provider):
    make_user(team=make_team(), email="anna@nord.dk")
    provider.wrong_nonce = True
    response = _walk_the_flow(oidc_client, "anna@nord.dk", provider)
    assert response.status_code == 400
    assert "Login via kommunens login mislykkedes" in response.get_data(as_text=True)
    assert oidc_client.get("/").status_code == 302
    assert _events(AuditAction.USER_LOGIN_FAILED)[0].detail == {
        "reason": "oidc_error",
        "method": "oidc",
    }


def test_a_forged_callback_without_state_is_refused(oidc_client):
    response = oidc_client.get("/login/oidc/callback?code=abc&state=forged")
    assert response.status_code == 400
    assert oidc_client.get("/").status_code == 302


def test_an_error_from_the_provider_is_refused(oidc_client):
    response = oidc_client.get("/login/oidc/callback?error=access_denied")
    assert response.status_code == 400


def test_the_redirect_address_comes_from_the_base_url_not_the_host(oidc_app, oidc_client):
    """Failed before: the provider was told to send the code to http://evil.example/..."""
    start = oidc_client.get("/login/oidc", headers={"Host": "evil.example"})
    query = parse_qs(urlsplit(start.headers["Location"]).query)
    base = oidc_app.config["BASE_URL"].rstrip("/")
    assert query["redirect_uri"] == [f"{base}/login/oidc/callback"]
