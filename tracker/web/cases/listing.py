"""Find a case: the team's open or closed cases, searched by case or child reference.

Only the teams the user sees are searched. Each list shown is audited with the cases
it showed (and, for a search, what was searched for: a reference, never free text).
"""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from tracker import audit, clock
from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.models import CaseStatus, Notification
from tracker.models.cases import CHILD_REFERENCE_LENGTH
from tracker.text.labels import CONCERN_LABELS, label
from tracker.web.access import team_scope
from tracker.web.cases import bp

LIST_LIMIT = 200
STATUSES = (CaseStatus.OPEN.value, CaseStatus.CLOSED.value)


@bp.get("/")
def index():
    """List the team's open (or closed) cases, newest first, or those a search finds."""
    status = request.args.get("status", "") or CaseStatus.OPEN.value
    if status not in STATUSES:
        status = CaseStatus.OPEN.value
    search = (request.args.get("q") or "").strip()
    error = None
    if len(search) > CHILD_REFERENCE_LENGTH:
        error = _l("Search for a case reference or a child's case reference.")
        search = ""
    query = select(Notification).where(team_scope(Notification.team_id))
    if search:
        query = query.where(
            or_(
                Notification.reference == search.upper(),
                func.lower(Notification.child_reference) == search.lower(),
            )
        )
    else:
        query = query.where(Notification.status == status)
    query = (
        query.order_by(Notification.received_at.desc())
        .limit(LIST_LIMIT)
        # The list shows each case's caseworker and concerns: loaded with the cases, not
        # one query each.
        .options(joinedload(Notification.caseworker), selectinload(Notification.concerns))
    )
    notifications = list(db.session.scalars(query))
    page = render_template(
        "cases/index.html",
        notifications=notifications,
        status=status,
        search=search,
        error=error,
        label=label,
        CONCERN_LABELS=CONCERN_LABELS,
    )
    detail = {"count": len(notifications), "case_ids": [n.id for n in notifications]}
    if search:
        detail["search"] = search[:64]
    else:
        detail["status"] = status
    audit.record(
        AuditAction.NOTIFICATION_LIST_VIEW,
        actor=current_user,
        at=clock.now(),
        object_type="notification_list",
        team_id=current_user.team_id,
        detail=detail,
    )
    db.session.commit()
    return page, 400 if error else 200
