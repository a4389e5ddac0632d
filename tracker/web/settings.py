"""The "Mine indstillinger" page: what each user may choose for themselves.

The daily digest (for those who can receive it), the language of the pages, and the
user's own password (the current one required; other sessions end).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField
from wtforms.validators import DataRequired, Optional

from tracker import clock
from tracker.alerts.digest import can_receive_digest
from tracker.extensions import db
from tracker.people import accounts, own_account
from tracker.people.errors import PeopleError
from tracker.web.access import start_session
from tracker.web.forms import REQUIRED, Form, MaxLength

bp = Blueprint("settings", __name__, url_prefix="/settings")

# Each language named in itself, so a reader of the other finds their own.
LANGUAGE_CHOICES = [SelectChoice("da", "Dansk"), SelectChoice("en", "English")]


class SettingsForm(Form):
    """The user's own settings."""

    digest_enabled = BooleanField(_l("Send me a daily overview of my deadlines (hverdage, 07:30)"))
    language = SelectField(
        _l("Language of the pages"), choices=LANGUAGE_CHOICES, validators=[Optional()]
    )


class OwnPasswordForm(Form):
    """Change one's own password."""

    current = PasswordField(
        _l("Current password"), validators=[DataRequired(REQUIRED), MaxLength(1000)]
    )
    new = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED), MaxLength(1000)])


@bp.route("/", methods=["GET", "POST"])
def page():
    """Show and change the signed-in user's settings."""
    user = current_user._get_current_object()
    form = SettingsForm(obj=user)
    if not form.language.data:
        form.language.data = str(get_locale() or "da")
    offers_digest = can_receive_digest(user)
    if form.validate_on_submit():
        now = clock.now()
        if offers_digest:
            accounts.set_digest(user, form.digest_enabled.data, by=user, now=now)
        if form.language.data:  # not sent: left as it is
            own_account.set_language(user, form.language.data, now=now)
        db.session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("settings.page"))
    return _render(form, OwnPasswordForm(), offers_digest)


@bp.post("/password")
def password():
    """Change the signed-in user's own password."""
    user = current_user._get_current_object()
    password_form = OwnPasswordForm()
    if password_form.validate():
        try:
            own_account.change_own_password(
                user,
                current=password_form.current.data,
                new=password_form.new.data,
                now=clock.now(),
            )
        except own_account.WrongPassword as error:
            password_form.current.errors = [*password_form.current.errors, str(error)]
        except PeopleError as error:
            password_form.new.errors = [*password_form.new.errors, str(error)]
        else:
            db.session.commit()
            start_session(user)  # this browser stays signed in; other sessions have ended
            flash(_("Your password is changed. You are signed out everywhere else."), "success")
            return redirect(url_for("settings.page"))
    form = SettingsForm(obj=user)
    return _render(form, password_form, can_receive_digest(user)), 422


def _render(form, password_form, offers_digest: bool):
    return render_template(
        "settings/page.html",
        form=form,
        password_form=password_form,
        offers_digest=offers_digest,
        has_password=current_user.password_hash is not None,
    )
