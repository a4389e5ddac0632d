"""The audit log: the one way in (record) and the ways out (search, per-case CSV export).

A row says who did what to which object, when and from which address. It never
holds case content: `detail` takes ids, flags and short action names only, and
record() refuses anything else. Rows are never changed or deleted (see
tracker.models.AuditEvent and the triggers in the first migration).

Case events: pass object_type="notification" (CASE_OBJECT_TYPE) and the case id,
or case_id= for an object inside a case (a deadline), and team_id= for the team
that owns the case, so the team's leaders find the row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, g, has_request_context, request
from sqlalchemy import Select, or_, select

from tracker import clock
from tracker.extensions import db
from tracker.models import AuditEvent, Notification, User

CASE_OBJECT_TYPE = "notification"
MAX_DETAIL_TEXT = 64
SEARCH_LIMIT = 500

# Action names used so far; later work adds its own ("case_viewed", "deadline_completed", ...).
LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGOUT = "logout"
VIEWED = "viewed"
EXPORTED = "exported"


def record(
    action: str,
    *,
    object_type: str | None = None,
    object_id: int | str | None = None,
    user=None,
    detail: dict | None = None,
    case_id: int | None = None,
    team_id: int | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Add an audit row to the session (the caller commits), with the request's user and address."""
    detail = dict(detail or {})
    _check_detail(detail)
    if has_request_context() and g.get("api_token_id") is not None:
        detail["api_token_id"] = g.api_token_id
    if case_id is None and object_type == CASE_OBJECT_TYPE and object_id is not None:
        case_id = int(object_id)
    actor = user if user is not None else _request_user()
    event = AuditEvent(
        at=at or clock.now(),
        user_id=actor.id if actor is not None else None,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        case_id=case_id,
        team_id=team_id,
        remote_addr=request.remote_addr if has_request_context() else None,
        detail=detail or None,
    )
    db.session.add(event)
    return event


def _request_user():
    if not has_request_context():
        return None
    from flask_login import current_user

    return current_user if current_user.is_authenticated else None


def _check_detail(detail: dict) -> None:
    # A guard against case content slipping into the log: short scalar values only.
    for key, value in detail.items():
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if isinstance(item, str) and len(item) <= MAX_DETAIL_TEXT:
                continue
            if item is None or isinstance(item, bool | int):
                continue
            raise ValueError(f"audit detail {key!r} must hold ids or short names only")


@dataclass(frozen=True)
class AuditQuery:
    """What to look for in the log; empty fields match everything."""

    case_id: int | None = None
    user_id: int | None = None
    since: date | None = None
    until: date | None = None


def search(query: AuditQuery, *, team_ids: list[int] | None) -> list[AuditEvent]:
    """Return the newest matching rows; team_ids limits to those teams (None: every row)."""
    statement = _filtered(select(AuditEvent), query)
    if team_ids is not None:
        statement = statement.where(
            or_(
                AuditEvent.team_id.in_(team_ids),
                AuditEvent.user_id.in_(select(User.id).where(User.team_id.in_(team_ids))),
            )
        )
    statement = statement.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(SEARCH_LIMIT)
    return list(db.session.scalars(statement))


def _filtered(statement: Select, query: AuditQuery) -> Select:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    if query.case_id is not None:
        statement = statement.where(AuditEvent.case_id == query.case_id)
    if query.user_id is not None:
        statement = statement.where(AuditEvent.user_id == query.user_id)
    if query.since is not None:
        statement = statement.where(AuditEvent.at >= _local_midnight(query.since, zone))
    if query.until is not None:
        next_day = query.until + timedelta(days=1)
        statement = statement.where(AuditEvent.at < _local_midnight(next_day, zone))
    return statement


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def find_case_id(text: str) -> int | None:
    """Return the case a search names: its reference (U-2026-000017) or its number."""
    text = (text or "").strip()
    if text.isdigit() and len(text) < 10:
        return int(text)
    if not text or len(text) > 40:
        return None
    return db.session.scalar(select(Notification.id).where(Notification.reference == text.upper()))


def case_team_id(case_id: int) -> int | None:
    """Return the team that owns a case now, or, for a deleted case, the last one recorded."""
    team_id = db.session.scalar(select(Notification.team_id).where(Notification.id == case_id))
    if team_id is not None:
        return team_id
    return db.session.scalar(
        select(AuditEvent.team_id)
        .where(AuditEvent.case_id == case_id, AuditEvent.team_id.is_not(None))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    )


def case_events(case_id: int) -> list[AuditEvent]:
    """Return every row about one case, oldest first."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.case_id == case_id)
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )


CSV_HEADER = ["time", "user_id", "user_name", "user_role", "action", "object_type", "object_id"]
CSV_HEADER += ["case_id", "remote_addr"]


def case_csv(case_id: int) -> str:
    """Return one case's log as CSV: the answer to a citizen's request for access."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for event in case_events(case_id):
        user = event.user
        row = [
            event.at.astimezone(zone).isoformat(timespec="seconds"),
            event.user_id or "",
            user.name if user else "",
            user.role.value if user else "",
            event.action,
            event.object_type or "",
            event.object_id or "",
            event.case_id,
            event.remote_addr or "",
        ]
        writer.writerow([_spreadsheet_safe(value) for value in row])
    return out.getvalue()


def _spreadsheet_safe(value) -> str:
    # A cell starting with = + - @ is a formula in spreadsheet programs (CSV injection).
    text = str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text
