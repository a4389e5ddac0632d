"""Signing in (password or the identity provider) and out.

Failed password attempts are counted per account and per address in the database
(tracker.people.throttle); once either has LOGIN_FAILURES_ALLOWED failures inside
LOGIN_FAILURE_WINDOW_MINUTES, further attempts get 429 without checking the
password, with the same answer whether or not the account exists.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from tracker import audit, clock
from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.people import accounts, throttle
from tracker.web import oidc
from tracker.web.access import start_session
from tracker.web.forms import ConfirmForm, LoginForm
from tracker.web.links import external_url

bp = Blueprint("auth", __name__)

BAD_CREDENTIALS = _l("The e-mail address or the password is wrong.")
UNKNOWN_IDENTITY = _l(
    "Your sign-in worked, but you have no active user in Fristsporing. Ask an administrator."
)
PROVIDER_FAILED = _l("Sign-in through the municipality's login failed. Try again.")


def _policy() -> throttle.ThrottlePolicy:
    return throttle.ThrottlePolicy.from_config(current_app.config)


def _too_many_attempts():
    return _l(
        "Too many failed sign-in attempts. Wait %(minutes)d minutes and try again.",
        minutes=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"],
    )


def _login_page(form: LoginForm, *, error=None, status: int = 200):
    html = render_template(
        "auth/login.html",
        form=form,
        error=error,
        oidc_label=current_app.config["OIDC_LABEL"],
        oidc_enabled=oidc.is_configured(),
        next_url=_safe_next(),
    )
    return html, status


def _safe_next() -> str | None:
    # Only a path on this site: an open redirect would help phishing.
    target = request.values.get("next") or ""
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return None
    if "\\" in target or len(target) > 2000 or not target.isprintable():
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and check what was entered."""
    if current_user.is_authenticated:
        return redirect(_safe_next() or url_for("main.index"))
    form = LoginForm()
    if not form.is_submitted():
        return _login_page(form)
    if not form.validate():
        return _login_page(form, status=400)
    email = accounts.normalize_email(form.email.data)
    address = request.remote_addr or ""
    if throttle.is_locked(email, address, now=clock.now(), policy=_policy()):
        known = accounts.find_user(email)
        _failed_sign_in(known, reason="rate_limited")
        db.session.commit()
        return _login_page(form, error=_too_many_attempts(), status=429)
    attempt = accounts.check_password_sign_in(email, form.password.data)
    if attempt.user is None:
        throttle.record_failure(email, address, now=clock.now(), policy=_policy())
        _failed_sign_in(attempt.known_user, reason=attempt.reason)
        db.session.commit()
        return _login_page(form, error=BAD_CREDENTIALS, status=401)
    return _finish_sign_in(attempt.user, "password")


def _failed_sign_in(account, **detail) -> None:
    # The row's user is the account tried, if it exists: nobody is signed in.
    audit.record(AuditAction.USER_LOGIN_FAILED, actor=account, at=clock.now(), detail=detail)


def _finish_sign_in(user, method: str):
    start_session(user)
    accounts.note_sign_in(user, method, now=clock.now())
    db.session.commit()
    return redirect(_safe_next() or url_for("main.index"))


@bp.post("/logout")
def logout():
    """End the session, on the server too: a saved copy of the cookie stops working."""
    form = ConfirmForm()
    if not form.validate():
        return redirect(url_for("main.index"))
    accounts.sign_out(current_user._get_current_object(), now=clock.now())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_l("You are signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.get("/login/oidc")
def oidc_login():
    """Send the browser to the municipality's identity provider."""
    if not oidc.is_configured():
        return redirect(url_for("auth.login"))
    redirect_uri = external_url("auth.oidc_callback")
    try:
        return oidc.client().authorize_redirect(redirect_uri)
    except oidc.SIGN_IN_ERRORS:
        current_app.logger.warning("identity provider unreachable", exc_info=True)
        return _login_page(LoginForm(), error=PROVIDER_FAILED, status=502)


@bp.get("/login/oidc/callback")
def oidc_callback():
    """Finish a sign-in at the identity provider: an active user with that e-mail, or no one."""
    if not oidc.is_configured():
        return redirect(url_for("auth.login"))
    try:
        token = oidc.client().authorize_access_token()
    except oidc.SIGN_IN_ERRORS as error:
        current_app.logger.warning("identity provider sign-in failed: %s", type(error).__name__)
        _failed_sign_in(None, reason="oidc_error", method="oidc")
        db.session.commit()
        return _login_page(LoginForm(), error=PROVIDER_FAILED, status=400)
    email = oidc.email_from_token(token)
    user = accounts.find_user(email) if email else None
    if user is None or not user.active:
        reason = "inactive" if user is not None else "oidc_unknown_user"
        _failed_sign_in(user, reason=reason, method="oidc")
        db.session.commit()
        return _login_page(LoginForm(), error=UNKNOWN_IDENTITY, status=403)
    return _finish_sign_in(user, "oidc")
