"""Intake pages: the arrivals nobody has registered, one item, its raw message, dismissing it.

Team-scoped like cases (another team's item answers 404) and audited on every view.
Registering from an item is the registration form with `?intake=<id>` (tracker.web.cases).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from tracker import audit, clock
from tracker.audit import AuditAction
from tracker.cases.actions import CaseError
from tracker.domain.intake import assessment_due_at
from tracker.extensions import db
from tracker.intake import items as intake_items
from tracker.models import IntakeItem, IntakeStatus, Role
from tracker.models.cases import REASON_LENGTH
from tracker.text.wording import time_left_phrase
from tracker.web.access import can_register_cases, get_visible_or_404, visible_team_ids
from tracker.web.forms import REQUIRED, TOO_LONG, Form

bp = Blueprint("intake", __name__, url_prefix="/intake")


class DismissForm(Form):
    """Mark an item "ikke en underretning", with the reason."""

    reason = StringField(
        _l("Why this is not a notification"),
        validators=[InputRequired(message=REQUIRED), Length(max=REASON_LENGTH, message=TOO_LONG)],
        render_kw={"maxlength": REASON_LENGTH},
    )


def clock_of(item: IntakeItem, now) -> dict:
    """Return an unregistered item's 24-hour clock: when it is due and how far that is."""
    due = assessment_due_at(item.arrived_at)
    return {"due": due, "phrase": time_left_phrase(due, now), "overdue": due <= now}


def load_item(item_id: int) -> IntakeItem:
    """Load an item the current user may see (its team's), or answer 404."""
    return get_visible_or_404(IntakeItem, item_id)


@bp.get("/")
def index():
    """List the unregistered arrivals of the user's teams, oldest first, with their clocks."""
    now = clock.now()
    waiting = intake_items.unregistered(visible_team_ids(current_user))
    page = render_template(
        "intake/index.html", items=waiting, now=now, clock_of=lambda item: clock_of(item, now)
    )
    audit.record(
        AuditAction.INTAKE_LIST_VIEW,
        actor=current_user,
        at=now,
        object_type="intake_list",
        team_id=current_user.team_id,
        detail={"count": len(waiting), "intake_item_ids": [item.id for item in waiting]},
    )
    db.session.commit()
    return page


@bp.get("/<id:item_id>")
def show(item_id: int):
    """Show one item: what arrived, when, its clock, and what can be done with it."""
    item = load_item(item_id)
    now = clock.now()
    page = render_template("intake/show.html", **_context(item, now, DismissForm()))
    intake_items.record_view(item, by=current_user, now=now)
    db.session.commit()
    return page


@bp.get("/<id:item_id>/raw")
def raw(item_id: int):
    """Download the item as received (the e-mail with its attachments, or the form's JSON)."""
    item = load_item(item_id)
    if item.raw is None:
        abort(404)
    intake_items.record_view(item, by=current_user, now=clock.now(), download=True)
    db.session.commit()
    extension = "eml" if item.raw_type == "message/rfc822" else "json"
    response = current_app.response_class(item.raw, mimetype=item.raw_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="underretning-{item.id}.{extension}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<id:item_id>/dismiss")
def dismiss(item_id: int):
    """Mark an item "ikke en underretning" (a leader of its team), with the reason."""
    item = load_item(item_id)
    form = DismissForm()
    now = clock.now()
    if form.validate():
        try:
            intake_items.dismiss(item, form.reason.data, by=current_user, now=now)
        except CaseError as exc:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, str(exc.message)]
        else:
            db.session.commit()
            flash(_("The item is marked as not a notification."), "success")
            return redirect(url_for("intake.index"))
    page = render_template("intake/show.html", **_context(item, now, form))
    intake_items.record_view(item, by=current_user, now=now)
    db.session.commit()
    return page, 422


def _context(item: IntakeItem, now, form: DismissForm) -> dict:
    return {
        "item": item,
        "now": now,
        "clock": clock_of(item, now),
        "form": form,
        "waiting": item.status == IntakeStatus.UNREGISTERED,
        "may_register": can_register_cases(current_user),
        "may_dismiss": current_user.role == Role.LEADER and current_user.team_id == item.team_id,
    }
