"""Signing in and out with a password: sessions, audit rows, throttling, CSRF."""

from __future__ import annotations

import pytest
from factories import login, make_team, make_user, new_client, sign_in
from sqlalchemy import select

from tracker import clock
from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.models import AuditEvent, Role, User

PASSWORD = "korrekt-hest-batteri"


def _events(action: str | None = None) -> list[AuditEvent]:
    statement = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        statement = statement.where(AuditEvent.action == action)
    return list(db.session.scalars(statement))


@pytest.fixture
def anna(app):
    return make_user(
        team=make_team("Team Nord"), email="anna@nord.dk", name="Anna", password=PASSWORD
    )


def test_the_login_page_is_public_and_asks_for_email_and_password(client):
    page = client.get("/login")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="email"' in html and 'name="password"' in html
    assert 'autocomplete="current-password"' in html
    assert "Kommunens login" not in html  # no identity provider configured


def test_sign_in_lands_on_the_front_page_with_a_safe_cookie(client, anna):
    response = sign_in(client, "  Anna@Nord.dk ", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # BASE_URL is http in the tests; https turns it on
    assert "Expires=" in cookie  # permanent session with the idle lifetime
    page = client.get("/")
    assert page.status_code == 200
    assert "Anna" in page.get_data(as_text=True)


def test_sign_in_is_audited_with_address_and_method(client, anna):
    sign_in(client, "anna@nord.dk", PASSWORD, next="/")
    (event,) = _events(AuditAction.USER_LOGIN)
    assert event.user_id == anna.id
    assert event.remote_addr == "127.0.0.1"
    assert event.detail == {"method": "password"}
    assert db.session.get(User, anna.id).last_login_at is not None


@pytest.mark.parametrize(
    ("email", "password", "reason"),
    [
        ("anna@nord.dk", "forkert-adgangskode", "bad_password"),
        ("nobody@nord.dk", PASSWORD, "unknown_account"),
    ],
)
def test_a_failed_sign_in_reveals_nothing_and_is_audited(client, anna, email, password, reason):
    response = sign_in(client, email, password)
    assert response.status_code == 401
    assert "E-mailadressen eller adgangskoden er forkert." in response.get_data(as_text=True)
    (event,) = _events(AuditAction.USER_LOGIN_FAILED)
    assert event.detail == {"reason": reason}
    assert event.user_id == (anna.id if reason == "bad_password" else None)
    assert event.remote_addr == "127.0.0.1"
    assert client.get("/").status_code == 302


def test_a_deactivated_user_cannot_sign_in(client, anna):
    from tracker.people import accounts

    accounts.deactivate_user(db.session.get(User, anna.id), by=None, now=clock.now())
    db.session.commit()
    response = sign_in(client, "anna@nord.dk", PASSWORD)
    assert response.status_code == 401
    assert _events(AuditAction.USER_LOGIN_FAILED)[0].detail == {"reason": "inactive"}


def test_an_empty_form_is_a_danish_400(client):
    response = sign_in(client, "", "")
    assert response.status_code == 400
    assert "Feltet skal udfyldes." in response.get_data(as_text=True)


def test_an_overlong_email_is_refused_without_a_500(client):
    response = sign_in(client, "a" * 5000 + "@x.dk", "x" * 5000)
    assert response.status_code == 400
    assert "Højst" in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil", "x"])
def test_next_never_leaves_the_site(client, anna, target):
    response = sign_in(client, "anna@nord.dk", PASSWORD, next=target)
    assert response.headers["Location"] == "/"


def test_next_brings_the_user_back(client, anna):
    response = client.post(
        "/login?next=/admin/users", data={"email": "anna@nord.dk", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/admin/users"


def test_logout_ends_the_session_and_is_audited(client, anna):
    sign_in(client, "anna@nord.dk", PASSWORD)
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302
    assert [e.action for e in _events()] == ["user.login", "user.logout"]


def test_logout_by_get_is_not_allowed(client, anna):
    login(client, anna)
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_failed_sign_ins_are_throttled_per_account(client, anna):
    for _ in range(5):
        assert sign_in(client, "anna@nord.dk", "wrong-password").status_code == 401
    # The sixth attempt is refused even with the right password, and says why in Danish.
    response = sign_in(client, "anna@nord.dk", PASSWORD)
    assert response.status_code == 429
    assert "For mange mislykkede loginforsøg. Vent 15 minutter" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert _events(AuditAction.USER_LOGIN_FAILED)[-1].detail == {"reason": "rate_limited"}


def test_the_throttle_answers_the_same_for_unknown_accounts(client, anna):
    for _ in range(5):
        assert sign_in(client, "ghost@nord.dk", "wrong-password").status_code == 401
    assert sign_in(client, "ghost@nord.dk", "wrong-password").status_code == 429


def test_failed_sign_ins_are_throttled_per_address(client, anna):
    for number in range(5):
        assert sign_in(client, f"guess{number}@nord.dk", "wrong-password").status_code == 401
    # A new account from the same address: the address is over its allowance.
    assert sign_in(client, "anna@nord.dk", PASSWORD).status_code == 429
    # Another address may still try this account.
    other = client.post(
        "/login",
        data={"email": "anna@nord.dk", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.7"},
    )
    assert other.status_code == 302


def test_successful_sign_ins_are_not_counted(client, anna):
    for _ in range(7):
        assert sign_in(client, "anna@nord.dk", PASSWORD).status_code == 302
        client.post("/logout")


def test_a_password_reset_ends_existing_sessions(client, anna):
    from tracker.people import accounts

    sign_in(client, "anna@nord.dk", PASSWORD)
    assert client.get("/").status_code == 200
    accounts.set_password(
        db.session.get(User, anna.id), "ny-adgangskode-1234", by=None, now=clock.now()
    )
    db.session.commit()
    assert client.get("/").status_code == 302


class TestCsrf:
    """Cookie-authenticated forms carry a CSRF token; without it they are refused."""

    @pytest.fixture(autouse=True)
    def csrf_on(self, app, monkeypatch):
        monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    def test_sign_in_without_the_token_is_refused(self, client, anna):
        response = sign_in(client, "anna@nord.dk", PASSWORD)
        assert response.status_code == 400
        assert "Formularen er udløbet" in response.get_data(as_text=True)
        assert client.get("/").status_code == 302

    def test_sign_in_with_the_token_from_the_form_works(self, client, anna):
        token = _csrf_token(client.get("/login").get_data(as_text=True))
        response = sign_in(client, "anna@nord.dk", PASSWORD, csrf_token=token)
        assert response.status_code == 302

    def test_a_signed_in_form_post_without_the_token_is_refused(self, client, app):
        admin = make_user(role=Role.ADMIN)
        login(client, admin)
        response = client.post("/admin/teams", data={"name": "Team Øst"})
        assert response.status_code == 400
        assert client.post("/logout").status_code == 400  # no token, no logout either
        token = _csrf_token(client.get("/admin/teams").get_data(as_text=True))
        response = client.post("/admin/teams", data={"name": "Team Øst", "csrf_token": token})
        assert response.status_code == 302

    def test_a_token_from_another_session_is_refused(self, client, app):
        other_client = new_client(app)
        token = _csrf_token(other_client.get("/login").get_data(as_text=True))
        assert sign_in(client, "x@y.dk", "whatever-123", csrf_token=token).status_code == 400


def _csrf_token(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)
