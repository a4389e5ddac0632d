"""The admin page "Udgående post": every e-mail the scheduler owes, sent or not, and retry."""

from __future__ import annotations

from functools import partial

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from tracker import clock
from tracker.alerts import mail_trouble, outbox
from tracker.extensions import db
from tracker.models import Alert, AlertStatus
from tracker.text.labels import ALERT_STATUS_LABELS
from tracker.web.admin import bp
from tracker.web.forms import ConfirmForm

PAGE_SIZE = 200


@bp.get("/admin/outbox/")
def outbox_messages():
    """List the newest e-mails of the outbox, optionally of one status."""
    status = request.args.get("status") or None
    if status is not None and status not in {s.value for s in AlertStatus}:
        status = None
    query = select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc()).limit(PAGE_SIZE)
    if status:
        query = query.where(Alert.status == status)
    counts = dict(
        db.session.execute(select(Alert.status, func.count()).group_by(Alert.status)).all()
    )
    return render_template(
        "admin/outbox.html",
        alerts=db.session.scalars(query).all(),
        counts=counts,
        status=status,
        status_labels=ALERT_STATUS_LABELS,
        page_size=PAGE_SIZE,
        confirm_form=ConfirmForm(),
        can_retry=partial(outbox.can_retry_now, now=clock.now()),
        trouble=mail_trouble.open_trouble(),
    )


@bp.post("/admin/outbox/<id:alert_id>/retry")
def outbox_retry(alert_id: int):
    """Put a failed (or retrying) e-mail first in line for the scheduler's next minute."""
    alert = db.session.get(Alert, alert_id) or abort(404)
    if ConfirmForm().validate():
        if outbox.retry_now(alert, clock.now(), by=current_user):
            db.session.commit()
            flash(_("The e-mail will be sent again within a minute."), "success")
        else:
            flash(_("This e-mail is not waiting to be sent again."), "info")
    return redirect(url_for("admin.outbox_messages", status=request.args.get("status")))


@bp.post("/admin/outbox/retry-failed")
def outbox_retry_failed():
    """Put every failed e-mail back in line for the scheduler's next minute ("Send igen")."""
    if ConfirmForm().validate():
        count = outbox.retry_all_failed(clock.now(), by=current_user)
        db.session.commit()
        if count:
            flash(_("%(num)d e-mails will be sent again within a minute.", num=count), "success")
        else:
            flash(_("No e-mails have failed."), "info")
    return redirect(url_for("admin.outbox_messages", status=request.args.get("status")))
