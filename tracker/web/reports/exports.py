"""Exports: the dashboard and the report as CSV, and the personal calendar feed.

CSV files are UTF-8 with a byte-order mark and separated by semicolons, with
decimal commas: what Danish Excel opens correctly with a double click. They hold
references, kinds, times and staff names only: never free text or CPR numbers.
Every export is written to the audit log ("exported", with what).
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from tracker import audit
from tracker.audit import AuditAction
from tracker.cases.notifier_sectors import sectors_for_app
from tracker.clock import now as clock_now
from tracker.domain.local_time import COPENHAGEN
from tracker.extensions import db
from tracker.models import Role
from tracker.reporting import dashboard, ical_feed, intake_export, reports
from tracker.reporting.dashboard import DashboardFilters, StatusFilter
from tracker.text.labels import (
    AGE_GROUP_LABELS,
    CONCERN_LABELS,
    DEADLINE_STATUS_LABELS,
    GENDER_LABELS,
    KIND_LABELS,
    label,
)
from tracker.text.wording import deadline_time_phrase, status_of
from tracker.web.access import ensure_role, visible_team_ids
from tracker.web.dashboard import case_url, due_text, filters_from_request
from tracker.web.links import base_url, external_url
from tracker.web.reports import bp
from tracker.web.reports.views import report_query_from_request

CSV_DELIMITER = ";"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
FEED_MAX_EVENTS = 2000


def csv_response(rows: list[list[object]], filename: str) -> Response:
    """Return rows as a CSV download for Danish Excel (BOM, semicolons)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=CSV_DELIMITER)
    writer.writerows([[spreadsheet_safe(value) for value in row] for row in rows])
    response = Response(out.getvalue(), content_type=CSV_MEDIA_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def spreadsheet_safe(value: object) -> str:
    """Return a cell that a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def decimal(value: float | None, digits: int = 1) -> str:
    """Format a number with a decimal comma, as Danish Excel reads it."""
    return "" if value is None else f"{value:.{digits}f}".replace(".", ",")


@bp.get("/dashboard.csv")
def dashboard_csv():
    """Download the dashboard's current filter as CSV."""
    parsed = filters_from_request(current_user, request.args)
    if parsed.error:
        abort(400, parsed.error)
    now = clock_now()
    header = [
        _("Case"),
        _("Deadline"),
        _("Due"),
        _("Status"),
        _("Time left or over"),
        _("Completed"),
    ]
    header += [_("Caseworker"), _("Team")]
    rows: list[list[object]] = [header]
    for row in dashboard.all_deadlines(parsed.filters, now):
        completed = row.completed_at.astimezone(COPENHAGEN) if row.completed_at else None
        rows.append(
            [
                row.reference,
                str(KIND_LABELS.get(row.kind, row.kind)),
                due_text(row),
                str(DEADLINE_STATUS_LABELS[status_of(row, now)]),
                deadline_time_phrase(row, now),
                completed.strftime("%Y-%m-%d %H:%M") if completed else "",
                row.caseworker_name or "",
                row.team_name,
            ]
        )
    _record_export("dashboard", parsed.filters, count=len(rows) - 1, now=now)
    db.session.commit()
    return csv_response(rows, f"frister-{now.astimezone(COPENHAGEN):%Y-%m-%d}.csv")


@bp.get("/reports/compliance.csv")
def compliance_csv():
    """Download the compliance report as CSV (leaders)."""
    ensure_role(Role.LEADER)
    query, error = report_query_from_request(current_user, request.args)
    if error:
        abort(400, error)
    report = reports.compliance_report(query, clock_now())
    header = [_("Month"), _("Deadline"), _("Met on time"), _("Met late"), _("Still overdue")]
    header += [_("Not yet due"), _("Share on time (%)"), _("Median time to completion (hours)")]
    header += [_("90th percentile (hours)")]
    rows: list[list[object]] = [header]
    for line in report:
        share = None if line.share_on_time is None else line.share_on_time * 100
        counts = [line.met_on_time, line.met_late, line.overdue, line.pending]
        figures = [decimal(share), decimal(line.median_hours), decimal(line.p90_hours)]
        kind = str(KIND_LABELS.get(line.kind, line.kind))
        rows.append([line.month, kind, *counts, *figures])
    audit.record(
        AuditAction.REPORT_EXPORT,
        actor=current_user,
        at=clock_now(),
        object_type="report",
        team_id=query.team_ids[0] if len(query.team_ids) == 1 else None,
        detail={"what": "compliance_report", "rows": len(rows) - 1, "teams": list(query.team_ids)},
    )
    db.session.commit()
    return csv_response(rows, f"overholdelse-{query.first_month}-{query.last_month}.csv")


# The columns of /reports/intake.csv: one row per underretning (Danmarks Statistik's shape).
INTAKE_COLUMNS = (
    "modtaget",
    "sag",
    "barnets_reference",
    "underretter_sektor",
    "aarsager",
    "alder_ved_modtagelse",
    "aldersgruppe",
    "koen",
)


@bp.get("/reports/intake.csv")
def intake_csv():
    """Download one row per underretning of the period: references, no CPR, no free text."""
    query, error = report_query_from_request(current_user, request.args)
    if error:
        abort(400, error)
    sectors = sectors_for_app().labels
    rows: list[list[object]] = [list(INTAKE_COLUMNS)]
    for line in intake_export.intake_rows(query):
        rows.append(
            [
                line.received_on.isoformat(),
                line.reference,
                line.child_reference,
                sectors.get(line.notifier_sector, line.notifier_sector)
                if line.notifier_sector
                else _("Not stated"),
                ", ".join(label(CONCERN_LABELS, c) for c in line.concerns),
                "" if line.age is None else line.age,
                label(AGE_GROUP_LABELS, line.age_group),
                label(GENDER_LABELS, line.gender),
            ]
        )
    audit.record(
        AuditAction.REPORT_EXPORT,
        actor=current_user,
        at=clock_now(),
        object_type="report",
        team_id=query.team_ids[0] if len(query.team_ids) == 1 else None,
        detail={"what": "intake_rows", "rows": len(rows) - 1, "teams": list(query.team_ids)},
    )
    db.session.commit()
    return csv_response(rows, f"underretninger-{query.first_month}-{query.last_month}.csv")


def _record_export(what: str, filters: DashboardFilters, *, count: int, now) -> None:
    audit.record(
        AuditAction.DASHBOARD_EXPORT,
        actor=current_user,
        at=now,
        object_type=what,
        team_id=filters.team_ids[0] if len(filters.team_ids) == 1 else None,
        detail={
            "what": what,
            "rows": count,
            "teams": list(filters.team_ids),
            "kind": filters.kind,
            "status": filters.status.value,
            "caseworker_id": filters.caseworker_id,
        },
    )


def _sees_own() -> bool:
    return dashboard.sees_own_deadlines_by_default(current_user)


@bp.get("/calendar")
def calendar_settings():
    """Explain the calendar feed and offer to make (or remake) its address."""
    return render_template("reports/calendar.html", sees_own=_sees_own(), feed_url=None)


@bp.post("/calendar")
def calendar_new_token():
    """Make a new feed address; the old one stops working. Shown this once only."""
    user = current_user._get_current_object()
    token = ical_feed.issue_token(user, by=user, now=clock_now())
    db.session.commit()
    feed_url = external_url("reports.calendar_feed", token=token)
    return render_template("reports/calendar.html", sees_own=_sees_own(), feed_url=feed_url)


@bp.post("/calendar/off")
def calendar_off():
    """Turn the feed off."""
    user = current_user._get_current_object()
    ical_feed.revoke_token(user, by=user, now=clock_now())
    db.session.commit()
    # Replaces the page that showed the address, which the browser must not keep either.
    return render_template(
        "reports/calendar.html", sees_own=_sees_own(), feed_url=None, turned_off=True
    )


@bp.get("/calendar/<token>.ics", endpoint="calendar_feed")
def calendar_feed_view(token: str):
    """Serve a user's open deadlines as iCalendar; the token in the address is the key."""
    user = ical_feed.user_for_token(token)
    if user is None:
        abort(404)
    now = clock_now()
    filters = DashboardFilters(
        team_ids=tuple(visible_team_ids(user)),
        caseworker_id=user.id if dashboard.sees_own_deadlines_by_default(user) else None,
        status=StatusFilter.OPEN,
    )
    rows = []
    for row in dashboard.all_deadlines(filters, now):
        rows.append(row)
        if len(rows) >= FEED_MAX_EVENTS:
            break
    body = ical_feed.build_calendar(
        rows,
        title=_("Deadlines · Fristsporing"),
        now=now,
        kind_label=lambda kind: str(KIND_LABELS.get(kind, kind)),
        link=lambda notification_id: base_url() + case_url(notification_id),
        host=urlsplit(base_url()).hostname or "localhost",
        reminder_text=lambda kind, reference: _(
            "Deadline soon: %(kind)s · %(reference)s", kind=kind, reference=reference
        ),
    )
    audit.record(
        AuditAction.CALENDAR_EXPORT,
        actor=user,  # whoever holds the feed's secret address reads as its owner
        at=now,
        object_type="calendar",
        detail={"what": "calendar", "rows": len(rows)},
    )
    db.session.commit()
    return Response(body, content_type="text/calendar; charset=utf-8")
