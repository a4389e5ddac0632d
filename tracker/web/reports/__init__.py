"""Reports and exports (one blueprint): compliance, intake, CSV files, the iCalendar feed.

The reports are for leaders, and so is a page added here, unless it is one of the exports
of a person's own lists (the dashboard's CSV, the calendar feed), which check their own access.
"""

from __future__ import annotations

from flask import Blueprint, request

from tracker.models import Role
from tracker.web.access import ensure_role

bp = Blueprint("reports", __name__)

# Everyone's own lists; the calendar feed itself signs in with the token in its address.
OWN_LIST_PAGES = frozenset(
    {
        "reports.dashboard_csv",
        "reports.calendar_settings",
        "reports.calendar_new_token",
        "reports.calendar_off",
        "reports.calendar_feed",
    }
)


@bp.before_request
def _reports_for_leaders() -> None:
    if request.endpoint not in OWN_LIST_PAGES:
        ensure_role(Role.LEADER)


from tracker.web.reports import exports, views  # noqa: E402, F401  (add the routes to bp)
