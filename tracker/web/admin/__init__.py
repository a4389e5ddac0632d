"""Administration pages (one blueprint): users, teams, API keys, the access log, the outbox.

Every page here is for administrators, except the access log, which leaders also read
(for their own team): a page added here is closed to everyone else without a line more.
"""

from __future__ import annotations

from flask import Blueprint, request

from tracker.models import Role
from tracker.web.access import ensure_role

bp = Blueprint("admin", __name__)

# The pages leaders may use as well.
LEADER_PAGES = frozenset({"admin.audit_log", "admin.audit_case_export"})


@bp.before_request
def _administrators_only() -> None:
    if request.endpoint in LEADER_PAGES:
        ensure_role(Role.LEADER, Role.ADMIN)
    else:
        ensure_role(Role.ADMIN)


from tracker.web.admin import (  # noqa: E402, F401  (routes)
    audit_log,
    intake,
    outbox,
    sign_in_locks,
    views,
)
