"""The admin page "Låste logins": accounts and addresses locked after failed sign-ins, and
lifting a lock (audited), e.g. for a colleague who mistyped their password too often."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import clock
from tracker.extensions import db
from tracker.people import throttle
from tracker.web.admin import bp
from tracker.web.forms import LiftLockForm


def _policy() -> throttle.ThrottlePolicy:
    return throttle.ThrottlePolicy.from_config(current_app.config)


@bp.get("/admin/sign-in-locks")
def sign_in_locks():
    """List the accounts and addresses that may not try to sign in now."""
    locks = throttle.current_locks(now=clock.now(), policy=_policy())
    return render_template(
        "admin/sign_in_locks.html",
        locks=locks,
        form=LiftLockForm(),
        window=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"],
    )


@bp.post("/admin/sign-in-locks/lift")
def lift_sign_in_lock():
    """Let a locked account or address try to sign in again."""
    form = LiftLockForm()
    if form.validate():
        admin = current_user._get_current_object()
        throttle.lift_lock(form.kind.data, form.key.data, by=admin, now=clock.now())
        db.session.commit()
        flash(_("The lock is lifted."), "success")
    return redirect(url_for("admin.sign_in_locks"), code=303)
