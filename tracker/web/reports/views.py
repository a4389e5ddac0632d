"""Leaders' reports: deadline compliance with a chart, and intake statistics."""

from __future__ import annotations

from collections.abc import Mapping

from flask import abort, render_template, request
from flask_babel import format_decimal, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker import audit
from tracker.audit import AuditAction
from tracker.cases.notifier_sectors import sectors_for_app
from tracker.clock import now as clock_now
from tracker.domain.local_time import to_local
from tracker.extensions import db
from tracker.reporting import reports
from tracker.reporting.dashboard import teams as visible_teams
from tracker.reporting.reports import ReportQuery
from tracker.text.labels import (
    AGE_GROUP_LABELS,
    CHANNEL_LABELS,
    CONCERN_LABELS,
    GENDER_LABELS,
    KIND_LABELS,
    NOTIFIER_KIND_LABELS,
)
from tracker.web.access import visible_team_ids
from tracker.web.periods import PeriodError, parse_month
from tracker.web.reports import bp
from tracker.web.reports.chart import build_chart

MAX_MONTHS = 120
DEFAULT_MONTHS = 12

DIMENSION_LABELS = {
    "channel": _l("Channel"),
    "notifier_kind": _l("Notifier"),
    "notifier_sector": _l("Notifier's sector"),
    "concerns": _l("Concern"),
    "age_group": _l("Age group"),
    "child_gender": _l("Gender"),
}
VALUE_LABELS = {
    "channel": CHANNEL_LABELS,
    "notifier_kind": NOTIFIER_KIND_LABELS,
    "concerns": CONCERN_LABELS,
    "age_group": AGE_GROUP_LABELS,
    "child_gender": GENDER_LABELS,
}


# Danish alphabetical order: æ, ø, å come after z.
_DANISH_ORDER = str.maketrans({"æ": "z{", "ø": "z|", "å": "z}"})


def danish_sort_key(text: str) -> str:
    """Return a key that sorts text alphabetically as in Danish (æ, ø, å last)."""
    return text.casefold().translate(_DANISH_ORDER)


def ordered_rows(
    dimension: str, table: dict[str, dict[str, int]], labels: Mapping
) -> list[tuple[str, dict]]:
    """Return a table's rows in the stated order: age groups by age, the rest most first.

    Rows of equal count are alphabetical in Danish, by their labels.
    """
    if dimension == "age_group":
        rank = {str(key): index for index, key in enumerate(labels)}
        return sorted(table.items(), key=lambda item: rank.get(item[0], len(rank)))
    return sorted(
        table.items(),
        key=lambda item: (
            -sum(item[1].values()),
            danish_sort_key(str(labels.get(item[0], item[0]))),
        ),
    )


@bp.app_template_global()
def duration_text(hours: float | None) -> str:
    """Say a time to completion: in hours up to two days, in days beyond."""
    if hours is None:
        return "–"
    if hours < 48:
        amount = format_decimal(round(hours, 1))
        return ngettext("%(amount)s hour", "%(amount)s hours", round(hours), amount=amount)
    days = hours / 24
    amount = format_decimal(round(days, 1))
    return ngettext("%(amount)s day", "%(amount)s days", round(days), amount=amount)


def _shift_month(month: str, delta: int) -> str:
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def report_query_from_request(user, args) -> tuple[ReportQuery, str | None]:
    """Read team and period (YYYY-MM to YYYY-MM) from a query string; default the last year."""
    team_ids = tuple(visible_team_ids(user))
    current = f"{to_local(clock_now()):%Y-%m}"
    default = ReportQuery(team_ids, _shift_month(current, -DEFAULT_MONTHS + 1), current)
    team = args.get("team", "")
    if team:
        if not (team.isascii() and team.isdigit()) or int(team) not in team_ids:
            abort(404)
        team_ids = (int(team),)
    try:
        last = parse_month(args.get("to", "") or current)
        first = parse_month(args.get("from", "") or _shift_month(last, -11))
    except PeriodError as error:
        return default, str(error)
    query = ReportQuery(team_ids, first, last)
    months = len(reports.local_months(query))
    if months < 1:
        return default, str(_l("The first month must come before the last."))
    if months > MAX_MONTHS:
        return default, str(_l("Choose at most %(count)d months.", count=MAX_MONTHS))
    return query, None


def _months(query: ReportQuery) -> list[str]:
    return [label for label, _start, _end in reports.local_months(query)]


@bp.get("/reports/compliance")
def compliance():
    """Show how well the deadlines were kept, per month and kind, as a chart and a table."""
    query, error = report_query_from_request(current_user, request.args)
    lines = reports.compliance_report(query, clock_now())
    months = _months(query)
    audit.record(
        AuditAction.REPORT_VIEW,
        actor=current_user,
        at=clock_now(),
        object_type="report",
        detail={"what": "compliance", "teams": list(query.team_ids)},
    )
    db.session.commit()
    return render_template(
        "reports/compliance.html",
        query=query,
        error=error,
        lines=lines,
        chart=build_chart(lines, months, KIND_LABELS),
        kind_labels=KIND_LABELS,
        teams=visible_teams(tuple(visible_team_ids(current_user))),
        args=request.args,
    ), 400 if error else 200


@bp.get("/reports/intake")
def intake():
    """Show notifications per month by channel, notifier, concern and age group."""
    query, error = report_query_from_request(current_user, request.args)
    statistics = reports.intake_statistics(query)
    sectors = {**sectors_for_app().labels, reports.NOT_STATED: _l("Not stated")}
    return render_template(
        "reports/intake.html",
        query=query,
        error=error,
        stats=statistics,
        dimension_labels=DIMENSION_LABELS,
        value_labels={**VALUE_LABELS, "notifier_sector": sectors},
        ordered_rows=ordered_rows,
        teams=visible_teams(tuple(visible_team_ids(current_user))),
        args=request.args,
    ), 400 if error else 200
