"""A session ends on the server: a saved cookie stops working after logout and the like.

The session cookie carries the user's session version; logging out, a new password, a
deactivation and an administrator's "sign out everywhere" raise it, so every cookie made
before stops working at once, on every device. Both backends.
"""

from __future__ import annotations

import pytest
from factories import login, make_team, make_user, new_client, sign_in
from sqlalchemy import select

from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.models import AuditEvent, Role, User

PASSWORD = "korrekt-hest-batteri"


@pytest.fixture
def anna(app):
    return make_user(
        team=make_team("Team Nord"), email="anna@nord.dk", name="Anna", password=PASSWORD
    )


def _saved_copy(app, client):
    """Return a second browser holding a copy of the client's session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = new_client(app)
    thief.set_cookie("session", cookie.value)
    return thief


def test_a_saved_cookie_stops_working_after_logout(app, client, anna):
    """Failed before: the copied cookie still opened the front page for 8 idle hours."""
    assert sign_in(client, "anna@nord.dk", PASSWORD).status_code == 302
    saved = _saved_copy(app, client)
    assert saved.get("/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert saved.get("/").status_code == 302
    assert saved.get("/api/me").status_code == 401
    # Signing in again makes a new, working session.
    assert sign_in(client, "anna@nord.dk", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200
    assert saved.get("/").status_code == 302


def test_an_administrator_signs_a_user_out_everywhere(app, client, anna):
    """Failed before: there was no such button."""
    assert sign_in(client, "anna@nord.dk", PASSWORD).status_code == 302
    admin_browser = new_client(app)
    admin = make_user(role=Role.ADMIN, name="Ada Admin")
    login(admin_browser, admin)
    page = admin_browser.get(f"/admin/users/{anna.id}")
    assert "Log ud alle steder" in page.get_data(as_text=True)
    answer = admin_browser.post(f"/admin/users/{anna.id}/sign-out")
    assert answer.status_code == 303
    assert client.get("/").status_code == 302
    assert admin_browser.get("/admin/users").status_code == 200  # the admin's own session stays
    db.session.expire_all()
    (event,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.USER_SIGN_OUT_EVERYWHERE)
    ).all()
    assert (event.user_id, event.object_id) == (admin.id, str(anna.id))


def test_deactivation_ends_the_sessions(app, client, anna):
    assert sign_in(client, "anna@nord.dk", PASSWORD).status_code == 302
    admin_browser = new_client(app)
    login(admin_browser, make_user(role=Role.ADMIN))
    team_id = db.session.get(User, anna.id).team_id
    form = {"name": "Anna", "email": "anna@nord.dk", "role": "caseworker", "team_id": team_id}
    assert admin_browser.post(f"/admin/users/{anna.id}", data=form).status_code == 302
    assert client.get("/").status_code == 302
