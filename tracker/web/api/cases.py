"""JSON API v1 for cases: register notifications, read them, list and complete deadlines.

Authentication and the JSON error pages come from tracker.web.access and
tracker.web.errors; team scoping from access (another team's case is 404).
The shapes are documented in tracker.web.openapi. One commit per request, and
every read and write goes to the audit log.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker import audit, clock
from tracker.audit import AuditAction
from tracker.cases.actions import CaseError, complete_deadline, register_notification
from tracker.cases.input import FIELDS, too_long, validate_notification
from tracker.domain.characters import has_refused_characters
from tracker.domain.rules import DeadlineKind
from tracker.extensions import db
from tracker.models import Deadline, Notification
from tracker.models.cases import NOTE_LENGTH
from tracker.reporting import dashboard
from tracker.reporting.dashboard import Cursor, CursorError, DashboardFilters, StatusFilter
from tracker.web.access import can_see_team, get_visible_or_404, visible_team_ids
from tracker.web.api import bp, json_object
from tracker.web.api.openapi import openapi_document
from tracker.web.api.schemas import API_PREFIX, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from tracker.web.api.shapes import deadline_json, notification_json, parse_aware_time
from tracker.web.errors import error_response
from tracker.web.ids import MAX_ID

# "concern_category" (one concern) is what the API took before "concerns" (a list).
NOTIFICATION_FIELDS = frozenset(FIELDS) | {"team_id", "caseworker_id", "concern_category"}
COMPLETE_FIELDS = frozenset({"completed_at", "note"})


def field_errors(fields: dict[str, list[str]], *, code: int = 422, message: str | None = None):
    """Return a JSON error naming what is wrong with each field."""
    body = error_response(code, message or _("Some fields are not valid.")).get_json()
    if fields:
        body["fields"] = fields
    response = jsonify(body)
    response.status_code = code
    return response


def refuse(fields: dict[str, list[str]], *, code: int = 422):
    """Stop the request with a per-field JSON error."""
    abort(field_errors(fields, code=code))


@bp.get("/v1/openapi.json")
def openapi():
    """Serve the OpenAPI document of this API."""
    return jsonify(openapi_document())


@bp.post("/v1/notifications")
def create_notification():
    """Register an underretning and answer 201 with its computed deadlines."""
    body = json_object()
    now = clock.now()
    _refuse_unknown_fields(body, NOTIFICATION_FIELDS)
    team_id = _team_for_new_case(body.get("team_id", None))
    caseworker_id = _caseworker_for_new_case(body.get("caseworker_id"))
    raw = {name: body.get(name) for name in FIELDS}
    if raw["concerns"] is None and body.get("concern_category") is not None:
        raw["concerns"] = [body["concern_category"]]
    wrong_types = {
        name: [_("Enter text.")]
        for name, value in raw.items()
        if value is not None and not isinstance(value, str) and name != "concerns"
    }
    concerns = raw["concerns"]
    if concerns is not None and not (
        isinstance(concerns, list) and all(isinstance(c, str) for c in concerns)
    ):
        wrong_types["concerns"] = [_("Give the concerns as a list of texts.")]
    if wrong_types:
        refuse(wrong_types)
    validation = validate_notification(raw, team_id=team_id, caseworker_id=caseworker_id, now=now)
    if not validation.ok:
        refuse(validation.errors)
    try:
        notification = register_notification(
            validation.value,
            registered_by=current_user,
            now=now,
        )
    except CaseError as refused:
        db.session.rollback()
        return _case_error(refused)
    db.session.flush()
    answer = _with_procedure(notification_json(notification, now), notification)
    db.session.commit()
    response = jsonify(answer)
    response.status_code = 201
    response.headers["Location"] = f"{API_PREFIX}/notifications/{notification.id}"
    return response


@bp.get("/v1/notifications/<id:notification_id>")
def get_notification(notification_id: int):
    """Answer one notification of the caller's teams, with its deadlines."""
    notification = get_visible_or_404(Notification, notification_id)
    now = clock.now()
    answer = _with_procedure(notification_json(notification, now), notification)
    audit.record(
        AuditAction.NOTIFICATION_VIEW,
        actor=current_user,
        at=now,
        object_type=audit.CASE_OBJECT_TYPE,
        object_id=notification.id,
        team_id=notification.team_id,
        detail={"via": "api"},
    )
    db.session.commit()
    return jsonify(answer)


@bp.post("/v1/deadlines/<id:deadline_id>/complete")
def complete(deadline_id: int):
    """Mark a deadline met, now or at an earlier time given as completed_at."""
    deadline = get_visible_or_404(Deadline, deadline_id)
    body = json_object() if request.get_data() else {}
    now = clock.now()
    _refuse_unknown_fields(body, COMPLETE_FIELDS)
    completed_at = _completed_at(body.get("completed_at"), now)
    note = _note(body.get("note"))
    try:
        complete_deadline(deadline, by=current_user, completed_at=completed_at, now=now, note=note)
    except CaseError as refused:
        db.session.rollback()
        return _case_error(refused)
    answer = deadline_json(deadline, now)
    db.session.commit()
    return jsonify(answer)


@bp.get("/v1/deadlines")
def list_deadlines():
    """List the caller's teams' deadlines, most urgent first, a page at a time.

    The dashboard's list (tracker.reporting.dashboard): its filters, order and cursor,
    with the deadlines that have no due time yet (a precondition) at the end.
    """
    filters, limit, team = _list_filters()
    now = clock.now()
    page = dashboard.deadline_page(filters, now, limit)
    deadlines = _full_rows([row.id for row in page.rows])
    audit.record(
        AuditAction.DEADLINE_LIST_VIEW,
        actor=current_user,
        at=now,
        object_type="deadline_list",
        team_id=team,
        detail={
            "status": filters.status.value,
            "kind": filters.kind,
            "count": len(deadlines),
            "case_ids": sorted({d.notification_id for d in deadlines}),
        },
    )
    answer = {
        "deadlines": [deadline_json(d, now, in_list=True) for d in deadlines],
        "next": page.next_cursor.encode() if page.next_cursor else None,
    }
    db.session.commit()
    return jsonify(answer)


def _with_procedure(answer: dict, notification: Notification) -> dict:
    """Add the case's action card (with its steps done) and its timeline to an answer."""
    from tracker.web.api.timeline import card_json, timeline_json

    return {**answer, "card": card_json(notification), "timeline": timeline_json(notification)}


def _full_rows(ids: list[int]) -> list[Deadline]:
    """Return the deadlines with these ids, in this order, each with its case's reference."""
    rows = db.session.scalars(
        select(Deadline)
        .where(Deadline.id.in_(ids))
        .options(joinedload(Deadline.notification).load_only(Notification.reference))
    )
    by_id = {row.id: row for row in rows}
    return [by_id[deadline_id] for deadline_id in ids]


def _list_filters() -> tuple[DashboardFilters, int, int | None]:
    args = request.args
    errors: dict[str, list[str]] = {}
    status = _choice(args.get("status", StatusFilter.OPEN.value), StatusFilter, "status", errors)
    kind = args.get("kind")
    if kind is not None and _choice(kind, DeadlineKind, "kind", errors) is None:
        kind = None
    team = _query_integer("team", 1, MAX_ID, errors)
    limit = _query_integer("limit", 1, MAX_PAGE_SIZE, errors)
    after = None
    if args.get("after"):  # empty: the first page, so clients can always send the parameter
        try:
            after = Cursor.decode(args["after"])
        except CursorError:
            errors["after"] = [_("Not a cursor from this API: use the value of `next`.")]
    if errors:
        refuse(errors, code=400)
    team_ids = visible_team_ids(current_user)
    if team is not None:
        if not can_see_team(current_user, team):
            abort(404)
        team_ids = [team]
    filters = DashboardFilters(
        team_ids=tuple(team_ids), kind=kind, status=status, after=after, undated=True
    )
    return filters, limit or DEFAULT_PAGE_SIZE, team


def _choice(value: str, enum, name: str, errors: dict):
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        errors[name] = [_("Choose one of: %(values)s.", values=allowed)]
        return None


def _query_integer(name: str, low: int, high: int, errors: dict) -> int | None:
    text = request.args.get(name)
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        errors[name] = [_("Enter a whole number from %(low)d to %(high)d.", low=low, high=high)]
        return None
    return int(text)


def _refuse_unknown_fields(body: dict, known: frozenset[str]) -> None:
    unknown = sorted(set(body) - known)
    if unknown:
        refuse({name: [_("Unknown field.")] for name in unknown})


def _team_for_new_case(value) -> int:
    teams = visible_team_ids(current_user)
    if value is None:
        if len(teams) == 1:
            return teams[0]
        refuse({"team_id": [_("Choose the team that handles the case.")]})
    if isinstance(value, bool) or not isinstance(value, int) or value not in teams:
        refuse({"team_id": [_("Choose one of your own teams.")]})
    return value


def _caseworker_for_new_case(value) -> int | None:
    # Whether the user may own the case is register_notification's rule; here only the type,
    # and the column's range (PostgreSQL refuses to look up a larger number).
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        refuse({"caseworker_id": [_("Choose an active caseworker in the case's team.")]})
    return value


def _completed_at(value, now: datetime) -> datetime:
    if value is None:
        return now
    parsed = parse_aware_time(value)
    if parsed is None:
        refuse({"completed_at": [_("Enter a date and time with its UTC offset (ISO 8601).")]})
    return parsed


def _note(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        refuse({"note": [_("Enter text.")]})
    value = value.strip()
    if has_refused_characters(value, multiline=True):
        refuse({"note": [_("The text contains characters that are not allowed.")]})
    if len(value) > NOTE_LENGTH:
        refuse({"note": [too_long(NOTE_LENGTH, len(value))]})
    return value or None


def _case_error(refused: CaseError):
    if refused.field:
        return field_errors({refused.field: [str(refused.message)]})
    return field_errors({}, code=409, message=str(refused.message))
