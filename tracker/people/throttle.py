"""The sign-in throttle: failed password sign-ins counted per account and per address.

Once either has LOGIN_FAILURES_ALLOWED failures within LOGIN_FAILURE_WINDOW_MINUTES,
further attempts are refused without checking the password, with the same answer
whether or not the account exists, until the failures fall out of the window or an
administrator lifts the lock. The failures are rows in the database (SignInFailure),
so the limit holds however many web workers and hosts answer; rows older than the
window are pruned as new ones come. The account is kept as the SHA-256 of the e-mail
address tried (normalised), never the address itself.

Like every use case this never commits: the view does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select

from tracker import audit
from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.models import SignInFailure, User
from tracker.people.accounts import normalize_email


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures are allowed within a window, per account and per address."""

    allowed: int
    window: timedelta

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ThrottlePolicy:
        """Read LOGIN_FAILURES_ALLOWED and LOGIN_FAILURE_WINDOW_MINUTES."""
        return cls(
            allowed=int(config["LOGIN_FAILURES_ALLOWED"]),
            window=timedelta(minutes=int(config["LOGIN_FAILURE_WINDOW_MINUTES"])),
        )


def account_key(email: str) -> str:
    """Return how an e-mail address tried is kept: the SHA-256 of its normalised form."""
    return hashlib.sha256(normalize_email(email).encode("utf-8", "replace")).hexdigest()


def is_locked(email: str, address: str, *, now: datetime, policy: ThrottlePolicy) -> bool:
    """Tell whether the account or the address has used up its failures in the window."""
    since = now - policy.window
    for column, key in (
        (SignInFailure.account, account_key(email)),
        (SignInFailure.address, address),
    ):
        failures = db.session.scalar(
            select(func.count()).where(column == key, SignInFailure.at > since)
        )
        if failures >= policy.allowed:
            return True
    return False


def record_failure(email: str, address: str, *, now: datetime, policy: ThrottlePolicy) -> None:
    """Count a failed sign-in against the account and the address; prune old failures."""
    db.session.execute(delete(SignInFailure).where(SignInFailure.at <= now - policy.window))
    db.session.add(SignInFailure(account=account_key(email), address=address, at=now))


@dataclass(frozen=True)
class Lock:
    """An account or an address that may not try to sign in for now."""

    kind: str  # "account" or "address"
    key: str  # the account's hash, or the address
    failures: int
    last_at: datetime
    user: User | None  # the account's user, if the address tried belongs to one


def current_locks(*, now: datetime, policy: ThrottlePolicy) -> list[Lock]:
    """Return the accounts and addresses locked at `now`, the most recently failed first."""
    since = now - policy.window
    users = _users_by_account()
    locks = []
    for kind, column in (("account", SignInFailure.account), ("address", SignInFailure.address)):
        rows = db.session.execute(
            select(column, func.count(), func.max(SignInFailure.at))
            .where(SignInFailure.at > since)
            .group_by(column)
            .having(func.count() >= policy.allowed)
        ).all()
        for key, failures, last_at in rows:
            user = users.get(key) if kind == "account" else None
            locks.append(Lock(kind, key, failures, last_at, user))
    return sorted(locks, key=lambda lock: lock.last_at, reverse=True)


def lift_lock(kind: str, key: str, *, by: User | None, now: datetime) -> int:
    """Forget an account's or an address's failures, so it may try again; return how many."""
    column = {"account": SignInFailure.account, "address": SignInFailure.address}[kind]
    lifted = db.session.execute(delete(SignInFailure).where(column == key)).rowcount
    user = _user_of(key) if kind == "account" else None
    audit.record(
        AuditAction.SIGN_IN_LOCK_LIFT,
        actor=by,
        at=now,
        object_type="user" if user is not None else None,
        object_id=user.id if user is not None else None,
        team_id=user.team_id if user is not None else None,
        detail={"kind": kind, "failures": lifted, "address": key if kind == "address" else None},
    )
    return lifted


def _users_by_account() -> dict[str, User]:
    # Tens or hundreds of users: hashing each address is simpler than storing the hashes.
    return {account_key(user.email): user for user in db.session.scalars(select(User))}


def _user_of(key: str) -> User | None:
    return _users_by_account().get(key)
