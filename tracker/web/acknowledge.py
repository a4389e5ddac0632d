"""The "Jeg har den" page: an alert e-mail's link, signed in, to take the alert.

The link holds only an opaque id. GET shows what the alert is about (kind, case reference,
due, stage: no personal data) and who took it, if anyone; POST takes it. A mail client
that fetches links to scan them therefore takes nothing.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import clock
from tracker.alerts import acknowledge
from tracker.alerts.compose import due_local
from tracker.extensions import db
from tracker.text.labels import KIND_LABELS, label, stage_label
from tracker.web.forms import ConfirmForm

bp = Blueprint("acknowledge", __name__)


def _alert(token: str):
    alert = acknowledge.find_alert(token)
    if alert is None or alert.deadline is None:
        abort(404)
    return alert


@bp.get("/alerts/ack/<token>")
def page(token: str):
    """Show the alert to take, or who took it."""
    alert = _alert(token)
    deadline = alert.deadline
    return render_template(
        "alerts/acknowledge.html",
        token=token,
        kind_label=label(KIND_LABELS, deadline.kind),
        reference=deadline.notification.reference,
        due=due_local(deadline),
        stage=stage_label(alert.stage),
        is_open=deadline.is_open,
        taken=acknowledge.acknowledgement_of(alert),
        case_id=deadline.notification_id,
        form=ConfirmForm(),
    )


@bp.post("/alerts/ack/<token>")
def take(token: str):
    """Take the alert: record who and when, on the case's timeline; stop the escalation."""
    alert = _alert(token)
    if ConfirmForm().validate():
        taken, new = acknowledge.acknowledge(alert, by=current_user, now=clock.now())
        db.session.commit()
        if new:
            flash(_("You have taken it: the others can see that you are on it."), "success")
        elif taken.user_id != current_user.id:
            flash(_("Someone else took it already."), "info")
    return redirect(url_for("acknowledge.page", token=token))
