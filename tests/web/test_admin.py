"""The admin pages: users, teams, password resets and API tokens."""

from __future__ import annotations

import re

import pytest
from factories import login, make_team, make_user, new_client, sign_in
from sqlalchemy import func, select

from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.models import ApiToken, AuditEvent, Role, Team, User


@pytest.fixture
def admin(app, client):
    user = make_user(role=Role.ADMIN, name="Ada Admin")
    login(client, user)
    return user


def _shown_secret(response) -> str:
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    match = re.search(r'<code class="secret">([^<]+)</code>', response.get_data(as_text=True))
    assert match, "the secret is shown"
    return match.group(1)


def _actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_an_admin_creates_a_user_who_can_sign_in_with_the_password_shown_once(admin, client, app):
    nord = make_team("Team Nord")
    response = client.post(
        "/admin/users/new",
        data={
            "name": "Bo Bertelsen",
            "email": "Bo@Nord.dk",
            "role": "caseworker",
            "team_id": nord.id,
            "active": "y",
        },
    )
    password = _shown_secret(response)
    user = db.session.scalar(select(User).where(User.email == "bo@nord.dk"))
    assert (user.name, user.role, user.team_id, user.active) == (
        "Bo Bertelsen",
        Role.CASEWORKER,
        nord.id,
        True,
    )
    assert password not in (user.password_hash or "")
    assert AuditAction.USER_CREATE in _actions()
    other = new_client(app)
    assert sign_in(other, "bo@nord.dk", password).status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "email": "x@nord.dk", "role": "caseworker"}, "Feltet skal udfyldes."),
        ({"name": "X", "email": "ikke-en-adresse", "role": "caseworker"}, "gyldig e-mailadresse"),
        ({"name": "X", "email": "x@nord.dk", "role": "superuser"}, "Ikke et gyldigt valg."),
        ({"name": "X", "email": "x@nord.dk", "role": "caseworker", "team_id": "abc"}, "valg"),
        (
            {"name": "X" * 201, "email": "x@nord.dk", "role": "admin"},
            "Højst 200 tegn; teksten har 201.",
        ),
    ],
)
def test_bad_user_input_gets_a_danish_400(admin, client, data, message):
    response = client.post("/admin/users/new", data={"team_id": "0", **data})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "x@nord.dk")) is None


def test_a_caseworker_needs_a_team_and_emails_are_unique(admin, client):
    response = client.post(
        "/admin/users/new",
        data={"name": "X", "email": "x@nord.dk", "role": "caseworker", "team_id": "0"},
    )
    assert "hører til et team" in response.get_data(as_text=True)
    response = client.post(
        "/admin/users/new",
        data={"name": "X", "email": admin.email.upper(), "role": "admin", "team_id": "0"},
    )
    assert "findes allerede en bruger" in response.get_data(as_text=True)


def test_an_admin_edits_and_deactivates_a_user(admin, client):
    nord, syd = make_team("Team Nord"), make_team("Team Syd")
    bo = make_user(team=nord, email="bo@nord.dk")
    page = client.get(f"/admin/users/{bo.id}")
    assert page.status_code == 200
    response = client.post(
        f"/admin/users/{bo.id}",
        data={"name": "Bo B", "email": "bo.b@syd.dk", "role": "leader", "team_id": syd.id},
    )
    assert response.status_code == 302
    db.session.expire_all()
    bo = db.session.get(User, bo.id)
    assert (bo.name, bo.email, bo.role, bo.team_id, bo.active) == (
        "Bo B",
        "bo.b@syd.dk",
        Role.LEADER,
        syd.id,
        False,  # the checkbox was not sent
    )
    assert [leader.id for leader in db.session.get(Team, syd.id).leaders] == []
    assert _actions()[-4:] == [
        "user.view",
        "user.change_email",
        "user.update",
        "user.grant_case_access",  # to Team Syd's cases
    ]


def test_an_admin_cannot_lock_themselves_out(admin, client):
    response = client.post(
        f"/admin/users/{admin.id}",
        data={"name": "Ada", "email": admin.email, "role": "caseworker", "team_id": "0"},
    )
    assert "egen administratoradgang" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == Role.ADMIN


@pytest.mark.parametrize("admin_has_a_team", [False, True])
def test_an_admin_cannot_give_themselves_a_team(admin, client, admin_has_a_team):
    """Failed before: an administrator without a team took one, and with it its cases."""
    nord, syd = make_team("Team Nord"), make_team("Team Syd")
    if admin_has_a_team:
        db.session.get(User, admin.id).team_id = nord.id
        db.session.commit()
    response = client.post(
        f"/admin/users/{admin.id}",
        data={
            "name": "Ada",
            "email": admin.email,
            "role": "admin",
            "team_id": syd.id,
            "active": "y",
        },
    )
    assert "Du kan ikke ændre dit eget team" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).team_id == (nord.id if admin_has_a_team else None)
    assert "user.grant_case_access" not in _actions()


def test_another_admin_gives_a_team_audited_as_a_grant_of_case_access(admin, client):
    nord = make_team("Team Nord")
    colleague = make_user(role=Role.ADMIN, name="Carla Admin")
    response = client.post(
        f"/admin/users/{colleague.id}",
        data={
            "name": "Carla",
            "email": colleague.email,
            "role": "admin",
            "team_id": nord.id,
            "active": "y",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, colleague.id).team_id == nord.id
    (grant,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.USER_GRANT_CASE_ACCESS)
    ).all()
    assert (grant.user_id, grant.object_id, grant.team_id) == (admin.id, str(colleague.id), nord.id)
    assert grant.detail == {"from_team_id": None}


def test_a_user_page_view_is_audited(admin, client):
    bo = make_user(team=make_team())
    client.get(f"/admin/users/{bo.id}")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.USER_VIEW))
    assert (event.user_id, event.object_type, event.object_id) == (admin.id, "user", str(bo.id))


def test_unknown_objects_are_404(admin, client):
    assert client.get("/admin/users/999999").status_code == 404
    assert client.get("/admin/teams/999999").status_code == 404
    assert client.post("/admin/tokens/999999/revoke").status_code == 404


def test_password_reset_generated_or_chosen(admin, client, app):
    bo = make_user(team=make_team(), email="bo@nord.dk", password="gammel-adgangskode")
    password = _shown_secret(client.post(f"/admin/users/{bo.id}/password", data={}))
    assert sign_in(new_client(app), "bo@nord.dk", password).status_code == 302
    too_short = client.post(f"/admin/users/{bo.id}/password", data={"password": "kort"})
    assert too_short.status_code == 302
    assert "Mellem 12 og 256 tegn." in client.get(f"/admin/users/{bo.id}").get_data(as_text=True)
    chosen = client.post(f"/admin/users/{bo.id}/password", data={"password": "valgt-af-admin-2026"})
    assert chosen.status_code == 302
    assert sign_in(new_client(app), "bo@nord.dk", "valgt-af-admin-2026").status_code == 302
    assert _actions().count(AuditAction.USER_SET_PASSWORD) == 2


def test_tokens_are_created_listed_and_revoked(admin, client):
    bo = make_user(team=make_team(), name="Bo Bertelsen")
    token = _shown_secret(client.post(f"/admin/users/{bo.id}/tokens", data={"name": "ESDH"}))
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json["id"] == bo.id
    listing = client.get("/admin/tokens").get_data(as_text=True)
    assert "ESDH" in listing and token[:10] in listing and token not in listing
    row = db.session.scalar(select(ApiToken))
    assert client.post(f"/admin/tokens/{row.id}/revoke").status_code == 302
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "Tilbagekaldt" in client.get("/admin/tokens").get_data(as_text=True)
    assert _actions()[-2:] == ["api_token.create", "api_token.revoke"]


def test_an_intake_token_is_made_for_a_forms_webhook_only(admin, client):
    form_user = make_user(team=make_team(), name="OS2forms")
    response = client.post(
        f"/admin/users/{form_user.id}/tokens", data={"name": "OS2forms", "scope": "intake"}
    )
    token = _shown_secret(response)
    auth = {"Authorization": f"Bearer {token}"}
    assert db.session.scalar(select(ApiToken)).scope == "intake"
    assert client.get("/api/me", headers=auth).status_code == 403
    assert "(intake)" in client.get("/admin/tokens").get_data(as_text=True)
    refused = client.post(f"/admin/users/{form_user.id}/tokens", data={"scope": "alt"})
    assert refused.status_code == 302 and db.session.scalar(select(func.count(ApiToken.id))) == 1


def test_teams_are_created_and_renamed(admin, client):
    response = client.post("/admin/teams", data={"name": "Team Øst"})
    assert response.status_code == 302
    team = db.session.scalar(select(Team).where(Team.name == "Team Øst"))
    duplicate = client.post("/admin/teams", data={"name": "team øst"})
    assert "findes allerede et team" in duplicate.get_data(as_text=True)
    assert client.post(f"/admin/teams/{team.id}", data={"name": "Team Vest"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Team, team.id).name == "Team Vest"
    assert client.post("/admin/teams", data={"name": ""}).status_code == 400


def test_team_page_lists_leaders_and_people(admin, client):
    nord = make_team("Team Nord")
    make_user(role=Role.LEADER, team=nord, name="Lene Leder")
    make_user(team=nord, name="Anna Rådgiver")
    html = client.get("/admin/teams").get_data(as_text=True)
    assert "Lene Leder" in html
    html = client.get(f"/admin/teams/{nord.id}").get_data(as_text=True)
    assert "Anna Rådgiver" in html and "Aktiv" in html
