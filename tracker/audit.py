"""The audit log: the one way in (record) and the ways out (search, per-case CSV export).

A row says who did what to which object, when and from which address. It never
holds case content: `detail` takes ids, flags and short action names only, and
record() refuses anything else. Rows are never changed or deleted (see
tracker.models.AuditEvent and the triggers in the first migration).

What happened is an AuditAction ("object.verb"); who did it is passed in by the
caller as `actor`, never guessed from the request (a command or the scheduler
acts as None, "the system"). Rows written before AuditAction keep their old names
and are read through LEGACY_ACTIONS.

Case events: pass object_type="notification" (CASE_OBJECT_TYPE) and the case id,
or case_id= for an object inside a case (a deadline), and team_id= for the team
that owns the case, so the team's leaders find the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from flask import current_app, g, has_request_context, request
from sqlalchemy import Select, or_, select

from tracker.extensions import db
from tracker.models import AuditEvent, Notification, User

CASE_OBJECT_TYPE = "notification"
MAX_DETAIL_TEXT = 64
SEARCH_LIMIT = 500


class AuditAction(StrEnum):
    """What an audit row records: "object.verb", the object being what object_type names."""

    # Signing in and out; for a failed sign-in the row's user is the account tried, if known.
    USER_LOGIN = "user.login"
    USER_LOGIN_FAILED = "user.login_failed"
    USER_LOGOUT = "user.logout"
    SIGN_IN_LOCK_LIFT = "sign_in_lock.lift"  # an administrator let an account or address try again
    USER_SIGN_OUT_EVERYWHERE = "user.sign_out_everywhere"  # an administrator ended all sessions
    # People, teams and their access.
    TEAM_CREATE = "team.create"
    TEAM_RENAME = "team.rename"
    USER_CREATE = "user.create"
    USER_VIEW = "user.view"
    USER_UPDATE = "user.update"
    USER_CHANGE_EMAIL = "user.change_email"
    USER_SET_PASSWORD = "user.set_password"  # noqa: S105  (an action name)
    USER_CHANGE_OWN_PASSWORD = "user.change_own_password"  # noqa: S105  (an action name)
    USER_SET_LANGUAGE = "user.set_language"  # a user chose the language of their pages
    USER_DEACTIVATE = "user.deactivate"
    # A user was given a team, and so its cases: who gave it, which team, which before.
    USER_GRANT_CASE_ACCESS = "user.grant_case_access"
    USER_REROUTE_ALERTS = "user.reroute_alerts"  # their deadlines' alerts, to the team's leaders
    API_TOKEN_CREATE = "api_token.create"  # noqa: S105  (an action name)
    API_TOKEN_REVOKE = "api_token.revoke"  # noqa: S105  (an action name)
    CALENDAR_TOKEN_ISSUE = "calendar_token.issue"  # noqa: S105  (an action name)
    CALENDAR_TOKEN_REVOKE = "calendar_token.revoke"  # noqa: S105  (an action name)
    SETTINGS_DIGEST = "settings.digest"  # a user turned the daily digest on or off
    # Cases (object_type "notification") and what is inside them.
    NOTIFICATION_CREATE = "notification.create"
    NOTIFICATION_VIEW = "notification.view"
    NOTIFICATION_LIST_VIEW = "notification_list.view"  # the list of open cases
    NOTIFICATION_RECORD_OUTCOME = "notification.record_outcome"
    NOTIFICATION_REASSIGN = "notification.reassign"
    NOTIFICATION_CLOSE = "notification.close"
    NOTIFICATION_REOPEN = "notification.reopen"  # a leader opened a closed case again
    NOTE_ADD = "note.add"  # a journal note on the case's timeline
    DEADLINE_COMPLETE = "deadline.complete"
    DEADLINE_MARK_NOT_APPLICABLE = "deadline.mark_not_applicable"
    DECISION_CREATE = "decision.create"
    # A deadline given a new date or citation: the rules changed, or a follow-up came earlier.
    DEADLINE_RECOMPUTE = "deadline.recompute"
    INVESTIGATION_START = "investigation.start"
    CHECKLIST_TICK = "checklist.tick"  # before the case timeline: an action-card item ticked
    STEP_RECORD = "step.record"  # a step of the case's action card done (the timeline)
    TIMELINE_CORRECT = "timeline_entry.correct"  # a timeline entry corrected by a new one
    # The registration's repeat lookup: which child reference a user asked about (answered,
    # or refused for too many lookups).
    CHILD_REFERENCE_LOOKUP = "child_reference.lookup"
    CHILD_REFERENCE_LOOKUP_REFUSED = "child_reference.lookup_refused"
    # Intake (object_type "intake_item"): an arrival stored, looked at, its raw message
    # downloaded, registered as a case, or marked "ikke en underretning"; and a list of them.
    INTAKE_ITEM_CREATE = "intake_item.create"
    INTAKE_ITEM_VIEW = "intake_item.view"
    INTAKE_ITEM_DOWNLOAD = "intake_item.download"
    INTAKE_ITEM_REGISTER = "intake_item.register"
    INTAKE_ITEM_DISMISS = "intake_item.dismiss"
    INTAKE_ITEM_PURGE = "intake_item.purge"
    INTAKE_LIST_VIEW = "intake_list.view"
    # Lists, reports and exports that show case data.
    DEADLINE_LIST_VIEW = "deadline_list.view"
    DASHBOARD_EXPORT = "dashboard.export"
    CALENDAR_EXPORT = "calendar.export"
    REPORT_VIEW = "report.view"
    REPORT_EXPORT = "report.export"
    AUDIT_LOG_EXPORT = "audit_log.export"
    # The rules file: one row per `tracker rules apply` run (object_type "rules").
    RULES_APPLY = "rules.apply"
    # The outbox.
    ALERT_RETRY = "alert.retry"
    ALERT_RETRY_ALL = "alert.retry_all"  # "Send igen" for every failed e-mail at once
    ALERT_ACKNOWLEDGE = "alert.acknowledge"  # "Jeg har den": someone took a deadline's alert
    # The on-call rota (object_type "on_call_shift"): a shift added or withdrawn.
    ON_CALL_SHIFT_CREATE = "on_call_shift.create"
    ON_CALL_SHIFT_WITHDRAW = "on_call_shift.withdraw"
    # Retention: a case's personal data removed, and one row per purge run.
    NOTIFICATION_ANONYMISE = "notification.anonymise"
    RETENTION_PURGE = "retention.purge"


# The names rows were written with before AuditAction; the log is append-only, so they stay
# and are read as today's actions. Keyed by (name, object_type); None matches any object.
LEGACY_ACTIONS: dict[tuple[str, str | None], AuditAction] = {
    ("login", None): AuditAction.USER_LOGIN,
    ("login_failed", None): AuditAction.USER_LOGIN_FAILED,
    ("logout", None): AuditAction.USER_LOGOUT,
    ("team_created", None): AuditAction.TEAM_CREATE,
    ("team_renamed", None): AuditAction.TEAM_RENAME,
    ("user_created", None): AuditAction.USER_CREATE,
    ("user_updated", None): AuditAction.USER_UPDATE,
    ("email_changed", None): AuditAction.USER_CHANGE_EMAIL,
    ("password_set", None): AuditAction.USER_SET_PASSWORD,
    ("user_deactivated", None): AuditAction.USER_DEACTIVATE,
    ("deadline_alerts_rerouted", None): AuditAction.USER_REROUTE_ALERTS,
    ("token_created", None): AuditAction.API_TOKEN_CREATE,
    ("token_revoked", None): AuditAction.API_TOKEN_REVOKE,
    ("calendar_token_issued", None): AuditAction.CALENDAR_TOKEN_ISSUE,
    ("calendar_token_revoked", None): AuditAction.CALENDAR_TOKEN_REVOKE,
    ("user.settings", None): AuditAction.SETTINGS_DIGEST,  # the settings page
    ("preferences_changed", None): AuditAction.SETTINGS_DIGEST,  # PATCH /api/me
    ("notification.assessment_outcome", None): AuditAction.NOTIFICATION_RECORD_OUTCOME,
    ("deadline.not_applicable", None): AuditAction.DEADLINE_MARK_NOT_APPLICABLE,
    ("viewed", CASE_OBJECT_TYPE): AuditAction.NOTIFICATION_VIEW,
    ("viewed", "user"): AuditAction.USER_VIEW,
    ("viewed", "deadline_list"): AuditAction.DEADLINE_LIST_VIEW,
    ("viewed", "report"): AuditAction.REPORT_VIEW,
    ("exported", "dashboard"): AuditAction.DASHBOARD_EXPORT,
    ("exported", "calendar"): AuditAction.CALENDAR_EXPORT,
    ("exported", "report"): AuditAction.REPORT_EXPORT,
    ("exported", "audit_log"): AuditAction.AUDIT_LOG_EXPORT,
}


_CURRENT_NAMES = frozenset(AuditAction)


def action_of(event: AuditEvent) -> str:
    """Return what a stored row records, as today's action name (an old name read as one)."""
    if event.action in _CURRENT_NAMES:
        return event.action
    known = LEGACY_ACTIONS.get((event.action, event.object_type)) or LEGACY_ACTIONS.get(
        (event.action, None)
    )
    return known.value if known is not None else event.action


def record(
    action: AuditAction,
    *,
    actor: User | None,
    at: datetime,
    object_type: str | None = None,
    object_id: int | str | None = None,
    detail: dict | None = None,
    case_id: int | None = None,
    team_id: int | None = None,
) -> AuditEvent:
    """Add an audit row to the session (the caller commits).

    `actor` is the user who acts, passed in by the caller (None: the system, e.g. the
    scheduler or a command run on the server); `at` is the time of the action. The
    request's address and API token, if any, are added.
    """
    action = AuditAction(action)  # an unknown name is refused, not stored
    if actor is not None and not isinstance(actor, User):
        raise TypeError(f"audit actor must be a User or None, not {type(actor).__name__}")
    detail = dict(detail or {})
    _check_detail(detail)
    if has_request_context() and g.get("api_token_id") is not None:
        detail["api_token_id"] = g.api_token_id
    if case_id is None and object_type == CASE_OBJECT_TYPE and object_id is not None:
        case_id = int(object_id)
    event = AuditEvent(
        at=at,
        user_id=actor.id if actor is not None else None,
        action=action.value,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        case_id=case_id,
        team_id=team_id,
        remote_addr=request.remote_addr if has_request_context() else None,
        detail=detail or None,
    )
    db.session.add(event)
    return event


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
