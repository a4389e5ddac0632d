"""The on-call service (socialvagt / døgnvagt): who is on call when, and the opening hours.

Leaders and administrators keep the rota (`add_shift`, `withdraw_shift`); the alerts ask
`on_call_recipients(at)` whom to tell outside opening hours, and so does the intake
(issue 16). A gap in the rota falls back to ONCALL_DEFAULT_EMAIL. Shifts are never
changed or deleted: a withdrawn one keeps its row, with who withdrew it and when.

Like every use case this never commits; the edge does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker import audit
from tracker.audit import AuditAction
from tracker.domain.opening_hours import OpeningHours
from tracker.extensions import db
from tracker.models import OnCallShift, User
from tracker.models.oncall import ADDRESS_LENGTH, LABEL_LENGTH
from tracker.people.errors import PeopleError

OBJECT_TYPE = "on_call_shift"


@dataclass(frozen=True)
class OnCallRecipient:
    """Someone on call: a person (user_id) or a functional address, and an SMS address."""

    email: str
    label: str  # the person's name or the address's label: for the staff's pages only
    user_id: int | None = None
    sms_email: str | None = None
    shift_id: int | None = None  # None: the default address for a gap in the rota


def opening_hours(config=None) -> OpeningHours:
    """Return the municipality's opening hours (OPENING_HOURS)."""
    return _parsed((config or current_app.config)["OPENING_HOURS"])


@lru_cache(maxsize=4)
def _parsed(text: str) -> OpeningHours:
    return OpeningHours.parse(text)


def check_at_startup(app: Flask) -> None:
    """Refuse to start with opening hours that cannot be read, naming the problem."""
    try:
        opening_hours(app.config)
    except ValueError as exc:
        raise RuntimeError(f"TRACKER_OPENING_HOURS: {exc}") from None


def shifts_at(at: datetime) -> list[OnCallShift]:
    """Return the shifts in force at `at`, earliest start first."""
    return list(
        db.session.scalars(
            select(OnCallShift)
            .options(joinedload(OnCallShift.user))
            .where(
                OnCallShift.starts_at <= at,
                OnCallShift.ends_at > at,
                OnCallShift.withdrawn_at.is_(None),
            )
            .order_by(OnCallShift.starts_at, OnCallShift.id)
        )
    )


def on_call_recipients(at: datetime) -> list[OnCallRecipient]:
    """Return who is on call at `at`: the rota's shifts, else the default address, else [].

    A person on call who has been deactivated is skipped (the default address covers
    a shift left empty by that).
    """
    found = [
        OnCallRecipient(
            email=shift.address,
            label=shift.user.name if shift.user is not None else (shift.label or shift.address),
            user_id=shift.user_id,
            sms_email=shift.sms_email,
            shift_id=shift.id,
        )
        for shift in shifts_at(at)
        if shift.user is None or shift.user.active
    ]
    if found:
        return found
    default = current_app.config["ONCALL_DEFAULT_EMAIL"]
    if default:
        return [OnCallRecipient(email=default, label=str(_l("The on-call service's address")))]
    return []


def shifts_between(start: datetime, end: datetime) -> list[OnCallShift]:
    """Return the shifts (withdrawn ones too) that overlap [start, end), by start."""
    return list(
        db.session.scalars(
            select(OnCallShift)
            .options(joinedload(OnCallShift.user))
            .where(OnCallShift.starts_at < end, OnCallShift.ends_at > start)
            .order_by(OnCallShift.starts_at, OnCallShift.id)
        )
    )


def add_shift(
    *,
    starts_at: datetime,
    ends_at: datetime,
    user: User | None = None,
    email: str | None = None,
    label: str | None = None,
    sms_email: str | None = None,
    by: User | None,
    now: datetime,
) -> OnCallShift:
    """Add a shift to the rota: a person or a functional address (with a label)."""
    if ends_at <= starts_at:
        raise PeopleError(_l("A shift must end after it starts."))
    email = _address(email, _l("The on-call address is not an e-mail address."))
    sms_email = _address(sms_email, _l("The SMS address is not an e-mail address."))
    label = (label or "").strip() or None
    if (user is None) == (email is None):
        raise PeopleError(_l("Choose a person or give a functional address, not both."))
    if user is not None and not user.active:
        raise PeopleError(_l("A deactivated user cannot be on call."))
    if label is not None and len(label) > LABEL_LENGTH:
        raise PeopleError(_l("The label is longer than %(num)d characters.", num=LABEL_LENGTH))
    shift = OnCallShift(
        starts_at=starts_at,
        ends_at=ends_at,
        user=user,
        email=email,
        label=label,
        sms_email=sms_email,
        created_at=now,
        created_by_id=by.id if by is not None else None,
    )
    db.session.add(shift)
    db.session.flush()
    audit.record(
        AuditAction.ON_CALL_SHIFT_CREATE, actor=by, at=now, object_type=OBJECT_TYPE,
        object_id=shift.id, detail={"user_id": shift.user_id, "sms": sms_email is not None},
    )  # fmt: skip
    return shift


def withdraw_shift(shift: OnCallShift, *, by: User | None, now: datetime) -> bool:
    """Withdraw a shift from the rota (its row stays); False when withdrawn already."""
    if shift.withdrawn_at is not None:
        return False
    shift.withdrawn_at = now
    shift.withdrawn_by_id = by.id if by is not None else None
    audit.record(
        AuditAction.ON_CALL_SHIFT_WITHDRAW, actor=by, at=now, object_type=OBJECT_TYPE,
        object_id=shift.id,
    )  # fmt: skip
    return True


def _address(value: str | None, message) -> str | None:
    value = (value or "").strip().lower()
    if not value:
        return None
    local, _, domain = value.partition("@")
    if (
        not local
        or "." not in domain
        or len(value) > ADDRESS_LENGTH
        or any(c.isspace() for c in value)
    ):
        raise PeopleError(message)
    return value
