"""Teams, users and the append-only audit table, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from tracker.extensions import db
from tracker.models import AuditEvent, AuditLogIsAppendOnly, Role, Team, User


def _user(email: str, role: Role, team: Team | None, *, active: bool = True) -> User:
    user = User(email=email, name=email.split("@")[0], role=role, team=team, active=active)
    db.session.add(user)
    return user


def test_team_leaders_are_its_active_users_with_the_leader_role(app):
    nord, syd = Team(name="Team Nord"), Team(name="Team Syd")
    db.session.add_all([nord, syd])
    leader = _user("leder@nord.dk", Role.LEADER, nord)
    _user("tidligere@nord.dk", Role.LEADER, nord, active=False)
    _user("raadgiver@nord.dk", Role.CASEWORKER, nord)
    _user("leder@syd.dk", Role.LEADER, syd)
    db.session.commit()
    db.session.expire_all()

    assert [user.id for user in db.session.get(Team, nord.id).leaders] == [leader.id]
    assert len(db.session.get(Team, nord.id).members) == 3


def test_new_users_get_defaults_the_alerts_rely_on(app):
    user = _user("a@nord.dk", Role.ADMIN, None)
    db.session.commit()
    db.session.expire_all()
    assert user.digest_enabled is True
    assert user.active is True
    assert user.team_id is None
    assert user.calendar_token_hash is None
    assert user.role is Role.ADMIN


def test_email_is_unique(app):
    _user("same@nord.dk", Role.CASEWORKER, None)
    db.session.commit()
    _user("same@nord.dk", Role.CASEWORKER, None)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_role_outside_the_enum_is_refused_by_the_database(app):
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (email, name, role, active, session_version, digest_enabled, "
                "created_at) VALUES ('x@y.dk', 'X', 'superuser', true, 1, true, :now)"
            ),
            {"now": "2026-01-01 00:00:00+00:00"},
        )


def _one_event() -> AuditEvent:
    event = AuditEvent(action="login")
    db.session.add(event)
    db.session.commit()
    return event


def test_the_orm_refuses_to_change_or_delete_audit_rows(app):
    event = _one_event()
    event.action = "something_else"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(event)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(update(AuditEvent).values(action="x"))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(delete(AuditEvent))
    db.session.rollback()
    assert db.session.scalars(db.select(AuditEvent.action)).all() == ["login"]


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"],
)
def test_the_database_refuses_to_change_or_delete_audit_rows(app, statement):
    _one_event()
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))
    assert db.session.scalars(db.select(AuditEvent.action)).all() == ["login"]
