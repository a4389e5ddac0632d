"""Deactivating a user ends their credentials for good: reactivation revives none of them.

A deactivated user's API tokens are revoked and their calendar feed address turned off
(each audited), so reactivating the account later needs new ones. Both backends.
"""

from __future__ import annotations

import pytest
from factories import api_token, headers, login, make_team, make_user, new_client
from sqlalchemy import select

from tracker import clock
from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.models import ApiToken, AuditEvent, Role, User
from tracker.people import accounts
from tracker.reporting import ical_feed


@pytest.fixture
def anna(app):
    return make_user(role=Role.CASEWORKER, team=make_team("Team Nord"), email="anna@nord.dk")


def _credentials(anna):
    token = api_token(anna)
    feed = ical_feed.issue_token(anna, by=anna, now=clock.now())
    db.session.commit()
    return token, feed


def _works(client, token: str, feed: str) -> tuple[int, int]:
    return (
        client.get("/api/me", headers=headers(token)).status_code,
        client.get(f"/calendar/{feed}.ics").status_code,
    )


def _form(user: User, *, active: bool) -> dict:
    data = {"name": user.name, "email": user.email, "role": "caseworker", "team_id": user.team_id}
    return {**data, "active": "y"} if active else data


def test_reactivation_through_the_admin_page_revives_no_token_and_no_feed(app, client, anna):
    """Failed before: after deactivation and reactivation, the old token and feed worked."""
    token, feed = _credentials(anna)
    assert _works(client, token, feed) == (200, 200)
    admin_browser = new_client(app)
    admin = make_user(role=Role.ADMIN)
    login(admin_browser, admin)
    user = db.session.get(User, anna.id)
    assert admin_browser.post(f"/admin/users/{anna.id}", data=_form(user, active=False)).status_code
    assert _works(client, token, feed) == (401, 404)
    assert admin_browser.post(f"/admin/users/{anna.id}", data=_form(user, active=True)).status_code
    db.session.expire_all()
    assert db.session.get(User, anna.id).active is True
    assert _works(client, token, feed) == (401, 404)

    revoked = db.session.scalars(select(ApiToken).where(ApiToken.user_id == anna.id)).one()
    assert revoked.revoked_at is not None
    actions = set(
        db.session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == admin.id))
    )
    assert {AuditAction.API_TOKEN_REVOKE, AuditAction.CALENDAR_TOKEN_REVOKE} <= actions


def test_the_deactivate_command_revokes_them_too(app, client, anna):
    token, feed = _credentials(anna)
    accounts.deactivate_user(db.session.get(User, anna.id), by=None, now=clock.now())
    db.session.commit()
    user = db.session.get(User, anna.id)
    user.active = True  # as a later reactivation would
    db.session.commit()
    assert _works(client, token, feed) == (401, 404)
