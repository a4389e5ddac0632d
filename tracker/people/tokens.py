"""API tokens: shown once, stored only as a SHA-256 hash.

A token is 32 random bytes, so a fast hash is enough: nobody can guess their
way back from the hash, and looking a token up stays one indexed query.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from tracker import audit
from tracker.audit import AuditAction
from tracker.domain.characters import has_refused_characters
from tracker.extensions import db
from tracker.models import ApiToken, User
from tracker.people.errors import PeopleError

TOKEN_PREFIX = "fst_"  # noqa: S105  (a marker, not a secret)
PREFIX_SHOWN = len(TOKEN_PREFIX) + 6
MAX_LABEL = 100
# Writing last_used_at on every call would make each API read a write; once a minute is plenty.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    """Return the hex SHA-256 of a token, the only form the database holds."""
    return hashlib.sha256(token.encode()).hexdigest()


# A token's scope: None, the case API as its user; INTAKE_SCOPE, only POST /api/v1/intake
# (a self-service form's webhook delivering underretninger).
INTAKE_SCOPE = "intake"
SCOPES = (None, INTAKE_SCOPE)


def create_token(
    user: User, label: str | None, *, by: User | None, now: datetime, scope: str | None = None
) -> tuple[ApiToken, str]:
    """Create a token for a user; return the row and the token (its only appearance).

    `by` is who acts: an administrator, or None for a command run on the server.
    """
    if scope not in SCOPES:
        raise PeopleError(_l("Unknown token scope."))
    label = (label or "").strip() or "API"
    if len(label) > MAX_LABEL:
        raise PeopleError(_l("A token label has at most %(count)d characters.", count=MAX_LABEL))
    if has_refused_characters(label):
        raise PeopleError(_l("The text contains characters that are not allowed."))
    if not user.active:
        raise PeopleError(_l("The user is deactivated."))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user=user,
        name=label,
        token_hash=hash_token(token),
        prefix=token[:PREFIX_SHOWN],
        created_at=now,
        scope=scope,
    )
    db.session.add(row)
    db.session.flush()
    _audit(AuditAction.API_TOKEN_CREATE, row, by=by, now=now)
    return row, token


def revoke_token(row: ApiToken, *, by: User | None, now: datetime) -> None:
    """Stop a token from working; the row stays for the record."""
    if row.revoked_at is None:
        row.revoked_at = now
        _audit(AuditAction.API_TOKEN_REVOKE, row, by=by, now=now)


def _audit(action: AuditAction, row: ApiToken, *, by: User | None, now: datetime) -> None:
    audit.record(
        action,
        actor=by,
        at=now,
        object_type="api_token",
        object_id=row.id,
        detail={"user_id": row.user_id, "scope": row.scope},
    )


def user_for_token(token: str) -> tuple[User, ApiToken] | None:
    """Return the active user and live token row a presented token belongs to, if any."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 128:
        return None
    digest = hash_token(token)
    row = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None))
    )
    if row is None or not row.user.active:
        return None
    return row.user, row


def note_token_use(row: ApiToken, now: datetime) -> None:
    """Remember when a token was last used (at most once a minute); commits on its own."""
    if row.last_used_at is not None and now - row.last_used_at < LAST_USED_RESOLUTION:
        return
    db.session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
    db.session.commit()


def all_tokens() -> list[ApiToken]:
    """Return every token, live ones first, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())
        )
    )
