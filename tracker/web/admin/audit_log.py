"""Searching the audit log and exporting one case's log (leaders and administrators).

Administrators see every row; leaders see rows about their team's objects and
rows made by their team's people.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from tracker import audit, clock
from tracker.audit import AuditAction
from tracker.domain.local_time import COPENHAGEN
from tracker.extensions import db
from tracker.models import Notification, User
from tracker.text.audit_labels import action_label, object_label
from tracker.text.labels import ROLE_LABELS, label
from tracker.web.access import can_see_team, is_admin, visible_team_ids
from tracker.web.admin import bp
from tracker.web.forms import AuditSearchForm
from tracker.web.reports.exports import csv_response


def _team_scope() -> list[int] | None:
    return None if is_admin(current_user) else visible_team_ids(current_user)


def _searchable_users(team_ids: list[int] | None) -> list[User]:
    statement = select(User).order_by(User.name)
    if team_ids is not None:
        statement = statement.where(User.team_id.in_(team_ids))
    return list(db.session.scalars(statement))


@bp.get("/audit/")
def audit_log():
    """Search the log by case, user and date."""
    team_ids = _team_scope()
    form = AuditSearchForm(formdata=request.args or None)
    form.user_id.choices = [SelectChoice(0, _("All users"))] + [
        SelectChoice(user.id, user.name) for user in _searchable_users(team_ids)
    ]
    events, case_id, status = None, None, 200
    if request.args and form.validate():
        case_id = audit.find_case_id(form.case.data) if form.case.data else None
        if form.case.data and case_id is None:
            form.case.errors.append(_("No case has this reference or number."))
            status = 400
        else:
            query = audit.AuditQuery(
                case_id=case_id,
                user_id=form.user_id.data or None,
                since=form.since.data,
                until=form.until.data,
            )
            events = audit.search(query, team_ids=team_ids)
    elif request.args:
        status = 400
    return render_template(
        "admin/audit_log.html",
        form=form,
        events=events,
        case_id=case_id,
        limit=audit.SEARCH_LIMIT,
        action_of=lambda event: action_label(audit.action_of(event)),
        object_of=object_label,
        references=references_of(events or []),
        case_name=case_name,
    ), status


def references_of(events) -> dict[int, str]:
    """Return the case references (U-2026-…) of the cases the rows are about, by case id."""
    case_ids = {event.case_id for event in events if event.case_id is not None}
    if not case_ids:
        return {}
    rows = db.session.execute(
        select(Notification.id, Notification.reference).where(Notification.id.in_(case_ids))
    )
    return dict(rows.all())


def case_name(case_id: int | None, references: dict[int, str]) -> str:
    """Return how a case is named on a screen: its reference, else its number."""
    if case_id is None:
        return ""
    return references.get(case_id) or _("case no. %(id)d", id=case_id)


@bp.get("/audit/cases/<id:case_id>.csv")
def audit_case_export(case_id: int):
    """Download every row about one case as CSV (for a citizen's request for access)."""
    if not is_admin(current_user) and not can_see_team(current_user, audit.case_team_id(case_id)):
        abort(404)
    events = audit.case_events(case_id)
    references = references_of(events)
    rows: list[list[object]] = [
        [
            _("Time"),
            _("User number"),
            _("User"),
            _("Role"),
            _("Action"),
            _("Object"),
            _("Object number"),
            _("Case"),
            _("Address"),
        ]
    ]
    for event in events:
        user = event.user
        rows.append(
            [
                event.at.astimezone(COPENHAGEN).strftime("%Y-%m-%d %H:%M:%S"),
                event.user_id or "",
                user.name if user else _("The system"),
                label(ROLE_LABELS, user.role) if user else "",
                action_label(audit.action_of(event)),
                object_label(event.object_type),
                event.object_id or "",
                case_name(event.case_id, references),
                event.remote_addr or "",
            ]
        )
    audit.record(
        AuditAction.AUDIT_LOG_EXPORT,
        actor=current_user,
        at=clock.now(),
        object_type="audit_log",
        case_id=case_id,
        team_id=audit.case_team_id(case_id),
    )
    db.session.commit()
    name = references.get(case_id) or str(case_id)
    return csv_response(rows, f"adgangslog-{name}.csv")
