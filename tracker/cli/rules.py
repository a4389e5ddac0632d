"""`tracker rules check` and `tracker rules apply`: open deadlines after the rules change.

A new rules version, a corrected citation or a corrected hverdag table changes what the
rules compute; deadlines already stored keep their computation until `apply` recomputes
them. `check` lists what would change (and may read a candidate file first).
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from tracker import clock
from tracker.cases import recompute
from tracker.cases.legal_rules import RulesFileError, load
from tracker.cases.rules_inputs import rulebook
from tracker.extensions import db
from tracker.text.labels import KIND_LABELS, label


@click.group("rules")
def rules_group() -> None:
    """The rules file: what a change would move, and recomputing it."""


@rules_group.command("check")
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Check a candidate rules file instead of the one the app uses.",
)
@with_appcontext
def check_command(path: Path | None) -> None:
    """List the open deadlines the rules would move or cite anew; exit status 1 if any."""
    try:
        rules = load(path) if path else rulebook()
    except RulesFileError as error:
        raise click.ClickException(str(error)) from None
    changes = recompute.pending_changes(rules)
    db.session.rollback()  # nothing is written
    for change in changes:
        click.echo(_describe(change))
    click.echo(
        _(
            "%(count)d open deadlines would be moved or get a new legal basis.",
            count=len(changes),
        )
    )
    if changes:
        raise SystemExit(1)


@rules_group.command("apply")
@with_appcontext
def apply_command() -> None:
    """Recompute the open deadlines the app's rules file changes (completed ones never)."""
    changes = recompute.apply_changes(rulebook(), now=clock.now())
    lines = [_describe(change) for change in changes]
    db.session.commit()
    for line in lines:
        click.echo(line)
    click.echo(_("%(count)d open deadlines were recomputed.", count=len(changes)))


def _describe(change: recompute.Change) -> str:
    deadline, computed = change.deadline, change.computed
    parts = [
        deadline.notification.reference,
        label(KIND_LABELS, deadline.kind),
        _("due %(old)s → %(new)s", old=_day(change.old_due), new=_day(computed.due_date))
        if change.moves
        else _("due %(day)s unchanged", day=_day(change.old_due)),
    ]
    if change.new_citation:
        parts.append(
            _(
                "legal basis %(old)s → %(new)s",
                old=change.old_paragraph,
                new=computed.legal_basis.paragraph,
            )
        )
    elif change.new_text:
        parts.append(_("new legal text"))
    parts.append(_("rules version %(version)s", version=computed.rules_version))
    return "  ".join(parts)


def _day(day) -> str:
    return day.isoformat() if day else "—"


def init_app(app) -> None:
    """Register the rules commands."""
    app.cli.add_command(rules_group)
