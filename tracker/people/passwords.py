"""Password hashing with Argon2id (argon2-cffi's recommended parameters)."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 256

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """Return the Argon2id hash of a password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Tell whether the password matches; always spend the time of one verification."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Tell whether a stored hash uses weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def generate_password() -> str:
    """Return a random password that is easy to type once and then change."""
    return secrets.token_urlsafe(15)


def password_problem(password: str) -> str | None:
    """Return why a new password is not acceptable (a translatable text), or None."""
    if len(password) < MIN_LENGTH:
        return _l("The password must be at least %(count)d characters long.", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("The password must be at most %(count)d characters long.", count=MAX_LENGTH)
    return None


@cache
def _dummy_hash() -> str:
    # Unknown accounts are verified against this, so timing does not tell them apart.
    return _hasher.hash(secrets.token_urlsafe(16))
