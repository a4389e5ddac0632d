"""The "Mine indstillinger" page: what each user may choose for themselves."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField

from tracker import clock
from tracker.alerts.digest import can_receive_digest
from tracker.extensions import db
from tracker.people import accounts
from tracker.web.forms import Form

bp = Blueprint("settings", __name__, url_prefix="/settings")


class SettingsForm(Form):
    """The user's own settings."""

    digest_enabled = BooleanField(_l("Send me a daily overview of my deadlines (hverdage, 07:30)"))


@bp.route("/", methods=["GET", "POST"])
def page():
    """Show and change the signed-in user's settings."""
    user = current_user._get_current_object()
    form = SettingsForm(obj=user)
    offers_digest = can_receive_digest(user)
    if form.validate_on_submit():
        if offers_digest:
            accounts.set_digest(user, form.digest_enabled.data, by=user, now=clock.now())
        db.session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("settings.page"))
    return render_template("settings/page.html", form=form, offers_digest=offers_digest)
