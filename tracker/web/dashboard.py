"""The overdue dashboard: what is late, what is about to be, and whose it is.

Every filter lives in the query string, so a view can be bookmarked and shared.
A request with the `HX-Request` header (htmx's minute refresh) gets the table
fragment only; without JavaScript the page works as plain links and a GET form.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.alerts import acknowledge
from tracker.clock import now as clock_now
from tracker.domain.kinds import is_due_at_an_instant
from tracker.domain.rules import DeadlineKind
from tracker.extensions import db
from tracker.intake import items as intake_items
from tracker.models import Role, User
from tracker.reporting import dashboard
from tracker.reporting.dashboard import Cursor, CursorError, DashboardFilters, StatusFilter
from tracker.text.labels import DEADLINE_STATUS_LABELS, KIND_LABELS
from tracker.text.wording import deadline_time_phrase, status_of
from tracker.web.access import visible_team_ids
from tracker.web.filters import local_date, local_datetime
from tracker.web.ids import is_id
from tracker.web.intake import clock_of as intake_clock_of
from tracker.web.periods import parse_date

bp = Blueprint("dashboard", __name__)

STATUS_CHOICES = {
    StatusFilter.OPEN: _l("All open"),
    StatusFilter.OVERDUE: _l("Overdue"),
    StatusFilter.DUE_SOON: _l("Due within 24 hours"),
    StatusFilter.MET_LATE: _l("Met late in a period"),
}
MINE, EVERYONE = "mine", "all"


@dataclass
class ParsedFilters:
    """The filters of a request, what the form shows, and the first error, if any."""

    filters: DashboardFilters
    form: dict[str, str]
    error: str | None = None


def default_who(user) -> str:
    """Return a user's default view: caseworkers see their own, leaders their team's."""
    return MINE if dashboard.sees_own_deadlines_by_default(user) else EVERYONE


def filters_from_request(user, args) -> ParsedFilters:
    """Read the dashboard's filters from a query string, scoped to the user's teams."""
    team_ids = tuple(visible_team_ids(user))
    form = {
        "team": args.get("team", ""),
        "who": args.get("who", "") or default_who(user),
        "kind": args.get("kind", ""),
        "status": args.get("status", "") or StatusFilter.OPEN.value,
        "from": args.get("from", ""),
        "to": args.get("to", ""),
    }
    parsed = ParsedFilters(DashboardFilters(team_ids=team_ids), form)
    try:
        parsed.filters = _filters(user, team_ids, form, args.get("after", ""))
    except ValueError as error:
        parsed.error = str(error)
    return parsed


def _filters(user, team_ids: tuple[int, ...], form: dict[str, str], after: str):
    visible = team_ids
    if form["team"]:
        if not _is_number(form["team"]) or int(form["team"]) not in team_ids:
            abort(404)  # another team's view does not reveal that the team exists
        team_ids = (int(form["team"]),)
    if form["kind"] and form["kind"] not in set(DeadlineKind):
        raise ValueError(_l("Choose a deadline kind from the list."))
    if form["status"] not in STATUS_CHOICES:
        raise ValueError(_l("Choose a status from the list."))
    period_start, period_end = parse_date(form["from"]), parse_date(form["to"])
    if period_start and period_end and period_start > period_end:
        raise ValueError(_l("The 'from' date is after the 'to' date. Swap them or correct one."))
    return DashboardFilters(
        team_ids=team_ids,
        kind=form["kind"] or None,
        caseworker_id=_caseworker_id(user, form["who"], visible),
        status=StatusFilter(form["status"]),
        period_start=period_start,
        period_end=period_end,
        after=_cursor(after),
    )


def _caseworker_id(user, who: str, team_ids: tuple[int, ...]) -> int | None:
    # Only people of the teams the user sees: the list offers no one else.
    if who == MINE:
        return user.id
    if who == EVERYONE:
        return None
    person = int(who) if _is_number(who) else None
    if is_id(person) and dashboard.is_team_member(person, team_ids):
        return person
    raise ValueError(_l("Choose whose deadlines to see from the list."))


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()  # isdigit() alone lets "²" through to int()


def _cursor(text: str) -> Cursor | None:
    try:
        return Cursor.decode(text) if text else None
    except CursorError:
        raise ValueError(
            _l("The page link is not valid. Start again from the first page.")
        ) from None


def query_args(form: dict[str, str], **changes) -> dict[str, str]:
    """Return the query string of a filtered view, without empty values."""
    return {key: value for key, value in {**form, **changes}.items() if value}


@bp.app_template_global()
def due_text(row) -> str:
    """Say when a deadline falls due: the instant for the 24-hour one, else the last day."""
    if is_due_at_an_instant(row.kind):
        return local_datetime(row.overdue_from)
    return _("%(day)s, end of day", day=local_date(row.due_date))


@bp.app_template_global()
def case_url(notification_id: int) -> str:
    """Return the link to a case page."""
    if "cases.show" in current_app.view_functions:
        return url_for("cases.show", case_id=notification_id)
    return f"/cases/{notification_id}"


def _heading(filters: DashboardFilters) -> str:
    """Say whose deadlines the list shows: the user's own, the team's or one person's."""
    if filters.caseworker_id is None:
        return _("The team's deadlines")
    if filters.caseworker_id == current_user.id:
        return _("My deadlines")
    person = db.session.get(User, filters.caseworker_id)
    return _("Deadlines of %(name)s", name=person.name if person else "")


@bp.get("/dashboard")
def show():
    """Show the counts and the filtered list of deadlines, or only the table for htmx."""
    parsed = filters_from_request(current_user, request.args)
    now = clock_now()
    status = 400 if parsed.error else 200
    page = None if parsed.error else dashboard.deadline_page(parsed.filters, now)
    context = dict(
        parsed=parsed,
        page=page,
        # Who took an alert of a deadline on the page ("Jeg har den"), and when.
        taken=acknowledge.takers(row.id for row in page.rows) if page else {},
        now=now,
        query_args=query_args,
        row_status=lambda row: DEADLINE_STATUS_LABELS[status_of(row, now)],
        row_phrase=lambda row: deadline_time_phrase(row, now),
        kind_labels=KIND_LABELS,
        status_choices=STATUS_CHOICES,
        # Arrivals nobody has registered: their 24-hour clock runs already (mailbox, times).
        intake_rows=intake_items.unregistered(parsed.filters.team_ids),
        intake_clock=lambda item: intake_clock_of(item, now),
    )
    if request.headers.get("HX-Request") == "true":
        response = current_app.make_response(
            (render_template("dashboard/_table.html", **context), status)
        )
    else:
        team_ids = tuple(visible_team_ids(current_user))
        scope = parsed.filters if not parsed.error else DashboardFilters(team_ids=team_ids)
        context.update(
            heading=_heading(parsed.filters),
            counts=dashboard.counts(scope, now),
            teams=dashboard.teams(team_ids),
            people=dashboard.team_caseworkers(team_ids),
            is_caseworker=current_user.role == Role.CASEWORKER,
        )
        response = current_app.make_response(
            (render_template("dashboard/index.html", **context), status)
        )
    response.vary.add("HX-Request")
    return response
