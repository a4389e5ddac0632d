"""What a signed-in user changes for themselves: their password and their language.

Both audited with the user as the actor; the edge commits.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from tracker import audit
from tracker.audit import AuditAction
from tracker.models import User
from tracker.people.accounts import end_sessions
from tracker.people.errors import PeopleError
from tracker.people.passwords import hash_password, password_problem, verify_password

LANGUAGES = ("da", "en")


class WrongPassword(PeopleError):
    """The current password given does not match."""


def change_own_password(user: User, *, current: str, new: str, now: datetime) -> None:
    """Change the user's password; the current one is required. Other sessions end."""
    if not verify_password(user.password_hash, current or ""):
        raise WrongPassword(_l("The current password is not right."))
    problem = password_problem(new or "")
    if problem is not None:
        raise PeopleError(problem)
    if current == new:
        raise PeopleError(_l("Choose a password other than the current one."))
    user.password_hash = hash_password(new)
    end_sessions(user)  # the caller starts a fresh session for this browser
    _audit(AuditAction.USER_CHANGE_OWN_PASSWORD, user, now)


def set_language(user: User, language: str, *, now: datetime) -> bool:
    """Set the language of the user's pages ("da" or "en"); return whether it changed."""
    if language not in LANGUAGES:
        raise PeopleError(_l("Choose a language from the list."))
    if user.language == language:
        return False
    user.language = language
    _audit(AuditAction.USER_SET_LANGUAGE, user, now, language=language)
    return True


def _audit(action: AuditAction, user: User, now: datetime, **detail) -> None:
    audit.record(
        action,
        actor=user,
        at=now,
        object_type="user",
        object_id=user.id,
        team_id=user.team_id,
        detail=detail or None,
    )
