"""`tracker calc`: the deadline calculator for people (a Danish table) and scripts (--json)."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from tracker.cases.rules_inputs import notifier_identifiable, rulebook
from tracker.domain.errors import (
    DateOutOfRange,
    DecisionBeforeReceipt,
    NonexistentLocalTime,
    StartBeforeDecision,
)
from tracker.domain.local_time import localize, to_local
from tracker.domain.rules import (
    SUPPORTED_YEARS,
    ComputedDeadline,
    DecisionKind,
    compute_deadlines,
)
from tracker.models.cases import NotifierKind
from tracker.text.labels import KIND_LABELS


class CalcInputError(Exception):
    """Bad calculator input; the message names the bad value and fits on one line."""


def parse_received(text: str) -> datetime:
    """Read --received: naive means Copenhagen wall-clock time, an offset is taken as given."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        value = None
    if value is None or ("T" not in text and " " not in text.strip()):
        raise CalcInputError(
            _(
                "--received '%(value)s' is not a date and time "
                "(use YYYY-MM-DDTHH:MM, optionally with an offset such as +02:00).",
                value=text,
            )
        )
    if value.year not in SUPPORTED_YEARS:
        raise CalcInputError(_out_of_range("--received", text))
    if value.tzinfo is not None:
        return value
    try:
        return localize(value)
    except NonexistentLocalTime:
        raise CalcInputError(
            _(
                "--received '%(value)s' does not exist in Danish time: the clocks skip "
                "from 02:00 to 03:00 when summer time begins.",
                value=text,
            )
        ) from None


def parse_date(option: str, text: str | None) -> date | None:
    """Read an optional YYYY-MM-DD option."""
    if text is None:
        return None
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise CalcInputError(
            _("%(option)s '%(value)s' is not a date (use YYYY-MM-DD).", option=option, value=text)
        ) from None
    if value.year not in SUPPORTED_YEARS:
        raise CalcInputError(_out_of_range(option, text))
    return value


def _out_of_range(option: str, text: str) -> str:
    return _(
        "%(option)s '%(value)s' is outside the years the calculator supports (%(first)d–%(last)d).",
        option=option,
        value=text,
        first=SUPPORTED_YEARS.start,
        last=SUPPORTED_YEARS.stop - 1,
    )


def parse_choice(option: str, text: str, choices: list[str]) -> str:
    """Check that an option's value is one of the allowed words."""
    if text not in choices:
        raise CalcInputError(
            _(
                "%(option)s '%(value)s' is not one of: %(choices)s.",
                option=option,
                value=text,
                choices=", ".join(choices),
            )
        )
    return text


def deadline_as_json(deadline: ComputedDeadline) -> dict:
    """Return one deadline as plain JSON data, instants in Danish time with their offset."""
    return {
        "kind": str(deadline.kind),
        "due_date": deadline.due_date.isoformat() if deadline.due_date else None,
        "overdue_from": _iso(deadline.overdue_from),
        "starts_at": _iso(deadline.starts_at),
        "legal_basis": {
            "paragraph": deadline.legal_basis.paragraph,
            "text": deadline.legal_basis.text,
            "to_confirm": deadline.legal_basis.to_confirm,
            "sources": list(deadline.legal_basis.sources),
        },
        "rules_version": deadline.rules_version,
        "trace": list(deadline.trace),
        "precondition": deadline.precondition,
    }


def _iso(instant: datetime | None) -> str | None:
    return to_local(instant).isoformat() if instant else None


@click.command("calc")
@click.option("--received", metavar="DATETIME", help="When the notification arrived.")
@click.option("--decision", metavar="DATE", help="Date of the decision on a measure.")
@click.option(
    "--decision-kind",
    metavar="KIND",
    help="stoettende (§ 32, default), frivillig (§ 46), uden-samtykke (§ 47), "
    "akut-stoettende (§ 32, stk. 4) or akut-anbringelse (§ 46, stk. 3).",
)
@click.option(
    "--started",
    metavar="DATE",
    help="When the measure started (with --decision): adds the first follow-up.",
)
@click.option(
    "--birth-date",
    metavar="DATE",
    help="The child's birth date (with --decision): adds the youth plan at 16.",
)
@click.option(
    "--investigation-start",
    metavar="DATE",
    help="When the municipality became aware of the need (default: the receipt day).",
)
@click.option(
    "--notifier",
    default=NotifierKind.PROFESSIONAL.value,
    show_default=True,
    metavar="WHO",
    help="professional (§ 133), citizen, anonymous, police or other, as in the API: "
    "decides receipt and orientation.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@with_appcontext
def calc_command(
    received: str | None,
    decision: str | None,
    decision_kind: str | None,
    started: str | None,
    birth_date: str | None,
    investigation_start: str | None,
    notifier: str,
    as_json: bool,
) -> None:
    """Compute the statutory deadlines of a notification (a naive time is Danish time)."""
    try:
        deadlines, received_at = _compute(
            received,
            decision,
            decision_kind,
            investigation_start,
            notifier,
            started=started,
            birth_date=birth_date,
        )
    except CalcInputError as error:
        click.echo(_("Error: %(message)s", message=str(error)), err=True)
        sys.exit(2)
    if as_json:
        payload = {
            "received_at": to_local(received_at).isoformat(),
            "deadlines": [deadline_as_json(d) for d in deadlines],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(render_table(deadlines, received_at))


def _compute(
    received: str | None,
    decision: str | None,
    decision_kind: str | None,
    investigation_start: str | None,
    notifier: str,
    *,
    started: str | None = None,
    birth_date: str | None = None,
) -> tuple[list[ComputedDeadline], datetime]:
    if not received:
        raise CalcInputError(_("--received is required, e.g. --received 2026-04-30T14:00."))
    received_at = parse_received(received)
    decided_on = parse_date("--decision", decision)
    aware_on = parse_date("--investigation-start", investigation_start)
    started_on = parse_date("--started", started)
    born_on = parse_date("--birth-date", birth_date)
    for option, value in (
        ("--decision-kind", decision_kind),
        ("--started", started_on),
        ("--birth-date", born_on),
    ):
        if value is not None and decided_on is None:
            raise CalcInputError(_("%(option)s needs a --decision date.", option=option))
    kind = parse_choice("--decision-kind", decision_kind or "stoettende", list(DecisionKind))
    notifier = parse_choice("--notifier", notifier, list(NotifierKind))
    try:
        deadlines = compute_deadlines(
            received_at,
            notifier_kind=notifier,
            notifier_identifiable=notifier_identifiable(notifier),
            decided_on=decided_on,
            decision_kind=DecisionKind(kind),
            started_on=started_on,
            birth_date=born_on,
            aware_on=aware_on,
            rules=rulebook(),
        )
    except DateOutOfRange as error:
        option = {"received_at": "--received", "decided_on": "--decision"}.get(
            error.field, "--investigation-start"
        )
        raise CalcInputError(_out_of_range(option, error.value.isoformat())) from None
    except StartBeforeDecision as error:
        raise CalcInputError(
            _(
                "--started %(start)s is before the decision (%(decision)s).",
                start=error.started_on.isoformat(),
                decision=error.decided_on.isoformat(),
            )
        ) from None
    except DecisionBeforeReceipt as error:
        raise CalcInputError(
            _(
                "--decision %(decision)s is before the notification was received (%(received)s).",
                decision=error.decided_on.isoformat(),
                received=error.received_on.isoformat(),
            )
        ) from None
    return deadlines, received_at


def render_table(deadlines: list[ComputedDeadline], received_at: datetime) -> str:
    """Render the deadlines as a Danish text table followed by each one's trace."""
    header = (_("Deadline"), _("Due date"), _("Overdue from"), _("Legal basis"))
    rows = [header] + [
        (
            str(KIND_LABELS[d.kind]),
            d.due_date.isoformat() if d.due_date else "—",
            to_local(d.overdue_from).strftime("%Y-%m-%d %H:%M") if d.overdue_from else "—",
            d.legal_basis.paragraph + (" *" if d.legal_basis.to_confirm else ""),
        )
        for d in deadlines
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        _("Received %(when)s (Danish time)", when=to_local(received_at).strftime("%Y-%m-%d %H:%M")),
        "",
    ]
    for index, row in enumerate(rows):
        lines.append(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    if any(d.legal_basis.to_confirm for d in deadlines):
        lines += ["", "* " + _("The citation should be confirmed by the municipality's jurist.")]
    for deadline in deadlines:
        lines += ["", f"{KIND_LABELS[deadline.kind]} ({deadline.legal_basis.paragraph})"]
        if deadline.precondition:
            lines.append("  " + _("Precondition: %(text)s", text=deadline.precondition))
        lines += [f"  {step}" for step in deadline.trace]
    return "\n".join(lines)
