"""Use cases for people: teams, users, passwords, their own settings and signing in.

Shared by the admin pages, the settings page, the API and the command line. Nothing
here commits: the edge (view or command) commits once. Every change is written to the
audit log with the acting user the edge passes as `by` (None: the system, e.g. a
command run on the server) and at the `now` it passes: nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from tracker import audit
from tracker.audit import AuditAction
from tracker.domain.characters import has_refused_characters
from tracker.extensions import db
from tracker.models import Deadline, Role, Team, User
from tracker.people import tokens
from tracker.people.errors import PeopleError
from tracker.people.passwords import hash_password, needs_rehash, password_problem, verify_password
from tracker.reporting import ical_feed

MAX_NAME = 200
MAX_TEAM_NAME = 120
MAX_EMAIL = 254


def normalize_email(email: str) -> str:
    """Return the e-mail address as stored and compared: trimmed and lower-case."""
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    """Return the user with this e-mail address, active or not."""
    email = normalize_email(email)
    if not email or len(email) > MAX_EMAIL or "\x00" in email:
        return None  # cannot exist, and PostgreSQL refuses NUL in a query
    return db.session.scalar(select(User).where(User.email == email))


def find_team(name: str) -> Team | None:
    """Return the team with this name, ignoring case (Æ, Ø and Å included)."""
    # SQLite's lower() folds ASCII only; a municipality has tens of teams, so fold here.
    wanted = (name or "").strip().casefold()
    teams = db.session.scalars(select(Team))
    return next((team for team in teams if team.name.casefold() == wanted), None)


def create_team(name: str, *, by: User | None, now: datetime) -> Team:
    """Create a team with a unique name."""
    name = _checked_team_name(name)
    if find_team(name) is not None:
        raise PeopleError(_l("A team with this name already exists."))
    team = Team(name=name, created_at=now)
    db.session.add(team)
    db.session.flush()
    _audit(AuditAction.TEAM_CREATE, "team", team.id, team.id, by=by, now=now)
    return team


def rename_team(team: Team, name: str, *, by: User | None, now: datetime) -> None:
    """Give a team a new, unique name."""
    name = _checked_team_name(name)
    other = find_team(name)
    if other is not None and other.id != team.id:
        raise PeopleError(_l("A team with this name already exists."))
    team.name = name
    _audit(AuditAction.TEAM_RENAME, "team", team.id, team.id, by=by, now=now)


def _audit(action, object_type, object_id, team_id, *, by, now, **detail) -> None:
    audit.record(
        action,
        actor=by,
        at=now,
        object_type=object_type,
        object_id=object_id,
        team_id=team_id,
        detail=detail or None,
    )


def _audit_user(action: AuditAction, user: User, *, by, now, **detail) -> None:
    _audit(action, "user", user.id, user.team_id, by=by, now=now, **detail)


def _audit_grant(user: User, previous: Team | None, *, by: User | None, now: datetime) -> None:
    """Record that a user was given a team (the row's team), and with it the team's cases."""
    db.session.flush()  # the new team's id
    _audit(
        AuditAction.USER_GRANT_CASE_ACCESS,
        "user",
        user.id,
        user.team_id,
        by=by,
        now=now,
        from_team_id=previous.id if previous else None,
    )


def _checked_team_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > MAX_TEAM_NAME:
        raise PeopleError(_l("A team name has 1 to %(count)d characters.", count=MAX_TEAM_NAME))
    _check_characters(name)
    return name


def _check_characters(text: str) -> None:
    if has_refused_characters(text):
        raise PeopleError(_l("The text contains characters that are not allowed."))


@dataclass(frozen=True)
class UserDetails:
    """What an administrator sets on a user."""

    name: str
    role: Role
    team: Team | None
    active: bool = True


def _checked_new_email(email: str) -> str:
    email = normalize_email(email)
    if not email or len(email) > MAX_EMAIL or "@" not in email:
        raise PeopleError(_l("Enter a valid e-mail address."))
    if find_user(email) is not None:
        raise PeopleError(_l("A user with this e-mail address already exists."))
    return email


def create_user(
    email: str, details: UserDetails, password: str | None, *, by: User | None, now: datetime
) -> User:
    """Create a user; password None means sign-in only through the identity provider."""
    email = _checked_new_email(email)
    user = User(email=email, session_version=1, created_at=now)
    _apply(user, details)
    if password is not None:
        _set_password_hash(user, password)
    db.session.add(user)
    db.session.flush()
    _audit_user(AuditAction.USER_CREATE, user, by=by, now=now)  # with the team it starts in
    return user


def change_email(user: User, email: str, *, by: User | None, now: datetime) -> None:
    """Give a user a new, unique e-mail address (the deadline e-mails go there)."""
    if normalize_email(email) == user.email:
        return
    user.email = _checked_new_email(email)
    _audit_user(AuditAction.USER_CHANGE_EMAIL, user, by=by, now=now)


def update_user(user: User, details: UserDetails, *, by: User | None, now: datetime) -> None:
    """Change a user's name, role, team or active flag; re-route their deadlines' alerts.

    Moving a caseworker to another team or role, or deactivating them, leaves their cases
    assigned to them: a leader of the old team reassigns them (the case page and the
    dashboard show who owns each). Until then the alerts go to the team's leaders, and
    the sweep is told to look at those deadlines again (`reroute_alerts`).
    """
    # Compare the team object: team_id follows a new team only at the next flush.
    before = (user.active, user.role, user.team)
    if by is not None and by.id == user.id and details.team is not user.team:
        # A team is access to its cases: nobody grants it to themselves.
        raise PeopleError(_l("You cannot change your own team: another administrator must."))
    _apply(user, details)
    _audit_user(AuditAction.USER_UPDATE, user, by=by, now=now)
    if before[0] and not user.active:
        _end_credentials(user, by=by, now=now)
    if user.team is not None and user.team is not before[2]:
        _audit_grant(user, before[2], by=by, now=now)
    if before != (user.active, user.role, user.team):
        old_team = before[2]
        reroute_alerts(user, team_id=old_team.id if old_team else None, by=by, now=now)


def reroute_alerts(user: User, *, team_id: int | None, by: User | None, now: datetime) -> int:
    """Have the sweep look again at the open deadlines a user owns; return how many.

    Called when a user's team, role or active flag changes: the sweep then resolves the
    recipients afresh, so an alert due now reaches the team's leaders instead of someone
    who can no longer open the case. The deadlines keep their caseworker.
    """
    rerouted = db.session.execute(
        update(Deadline)
        .where(
            Deadline.caseworker_id == user.id,
            Deadline.is_open,
        )
        .values(next_alert_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if rerouted:
        _audit(
            AuditAction.USER_REROUTE_ALERTS,
            "user",
            user.id,
            team_id,
            by=by,
            now=now,
            deadlines=rerouted,
        )
    return rerouted


def _apply(user: User, details: UserDetails) -> None:
    name = (details.name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise PeopleError(_l("A name has 1 to %(count)d characters.", count=MAX_NAME))
    _check_characters(name)
    role = Role(details.role)
    if role in (Role.CASEWORKER, Role.LEADER) and details.team is None:
        raise PeopleError(_l("Caseworkers and leaders belong to a team."))
    user.name = name
    user.role = role
    user.team = details.team
    user.active = details.active


def deactivate_user(user: User, *, by: User | None, now: datetime) -> None:
    """Stop a user from signing in; their sessions and API tokens stop working at once."""
    was_active = user.active
    user.active = False
    _audit_user(AuditAction.USER_DEACTIVATE, user, by=by, now=now)
    _end_credentials(user, by=by, now=now)
    if was_active:
        reroute_alerts(user, team_id=user.team_id, by=by, now=now)


def end_sessions(user: User) -> None:
    """Make every session cookie the user holds stop working, on every device.

    The cookie carries User.session_version (User.get_id); tracker.web.access refuses
    a cookie whose version is not the user's current one.
    """
    user.session_version += 1


def _end_credentials(user: User, *, by: User | None, now: datetime) -> None:
    """On deactivation: end the sessions, revoke the API tokens, turn the calendar feed off.

    So reactivating the user later revives none of them: they need new ones.
    """
    end_sessions(user)
    for row in user.api_tokens:
        tokens.revoke_token(row, by=by, now=now)
    if user.calendar_token_hash is not None:
        ical_feed.revoke_token(user, by=by, now=now)


def sign_out(user: User, *, now: datetime) -> None:
    """The user signs out: their sessions end on the server, not only in this browser."""
    end_sessions(user)
    _audit_user(AuditAction.USER_LOGOUT, user, by=user, now=now)


def sign_out_everywhere(user: User, *, by: User | None, now: datetime) -> None:
    """An administrator ends every session of a user (a lost laptop, a shared screen)."""
    end_sessions(user)
    _audit_user(AuditAction.USER_SIGN_OUT_EVERYWHERE, user, by=by, now=now)


def set_password(user: User, password: str, *, by: User | None, now: datetime) -> None:
    """Give a user a new password (an administrator's reset); other sessions end."""
    _set_password_hash(user, password)
    end_sessions(user)
    _audit_user(AuditAction.USER_SET_PASSWORD, user, by=by, now=now)


def set_digest(user: User, enabled: bool, *, by: User, now: datetime) -> bool:
    """Turn a user's daily digest e-mail on or off; return whether it changed.

    The one way to change the setting (the settings page and PATCH /api/me), audited
    as AuditAction.SETTINGS_DIGEST when it changes.
    """
    if user.digest_enabled == enabled:
        return False
    user.digest_enabled = enabled
    _audit_user(AuditAction.SETTINGS_DIGEST, user, by=by, now=now, digest_enabled=enabled)
    return True


def _set_password_hash(user: User, password: str) -> None:
    problem = password_problem(password)
    if problem is not None:
        raise PeopleError(problem)
    user.password_hash = hash_password(password)


@dataclass(frozen=True)
class SignInAttempt:
    """The outcome of checking an e-mail and password."""

    user: User | None  # set when the sign-in succeeded
    known_user: User | None  # the account the attempt was about, if it exists
    reason: str | None  # why it failed: unknown_account, bad_password, inactive


def check_password_sign_in(email: str, password: str) -> SignInAttempt:
    """Check credentials in constant-ish time, without revealing which part was wrong."""
    user = find_user(email)
    matches = verify_password(user.password_hash if user else None, password)
    if user is None:
        return SignInAttempt(None, None, "unknown_account")
    if not matches:
        return SignInAttempt(None, user, "bad_password")
    if not user.active:
        return SignInAttempt(None, user, "inactive")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return SignInAttempt(user, user, None)


def note_sign_in(user: User, method: str, *, now: datetime) -> None:
    """Record a successful sign-in (by the user themself)."""
    user.last_login_at = now
    _audit_user(AuditAction.USER_LOGIN, user, by=user, now=now, method=method)
