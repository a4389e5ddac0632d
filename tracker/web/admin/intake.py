"""The admin page "Indbakker til underretninger": how the polling of each mailbox goes.

Names, times and errors only; how many items wait per team, never what they say.
"""

from __future__ import annotations

from flask import current_app, render_template
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.intake.mailboxes import mailboxes_from_config
from tracker.models import IntakeItem, IntakeMailboxState, IntakeStatus, Team
from tracker.web.admin import bp


@bp.get("/admin/intake")
def intake_status():
    """Show each configured mailbox's state and the unregistered items per team."""
    try:
        boxes, settings_error = mailboxes_from_config(current_app.config), None
    except ValueError as exc:
        boxes, settings_error = [], str(exc)
    states = {state.name: state for state in db.session.scalars(select(IntakeMailboxState))}
    waiting = db.session.execute(
        select(Team.name, func.count(IntakeItem.id), func.min(IntakeItem.arrived_at))
        .join(Team, Team.id == IntakeItem.team_id)
        .where(IntakeItem.status == IntakeStatus.UNREGISTERED)
        .group_by(Team.name)
        .order_by(Team.name)
    ).all()
    return render_template(
        "admin/intake.html",
        boxes=boxes,
        states=states,
        waiting=waiting,
        settings_error=settings_error,
    )
