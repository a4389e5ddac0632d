"""Admin pages: users, teams, passwords and API tokens (administrators only)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tracker import audit, clock
from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.models import ApiToken, Role, Team, User
from tracker.people import accounts, tokens
from tracker.people.accounts import PeopleError, UserDetails
from tracker.people.passwords import generate_password
from tracker.web.admin import bp
from tracker.web.forms import ConfirmForm, PasswordForm, TeamForm, TokenForm, UserForm


def _all_teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.name)))


def _admin() -> User:
    """Return the signed-in administrator, who acts in every change made here."""
    return current_user._get_current_object()


def _user_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _shown_once(title: str, secret: str, back_url: str):
    """Show a new password or token once; never put it in a cookie or a URL (nor a cache)."""
    return render_template("admin/secret.html", title=title, secret=secret, back_url=back_url)


def _details(form: UserForm) -> UserDetails:
    team = db.session.get(Team, form.team_id.data) if form.team_id.data else None
    return UserDetails(
        name=form.name.data, role=Role(form.role.data), team=team, active=form.active.data
    )


@bp.get("/admin/")
@bp.get("/admin/users")
def users():
    """List every user."""
    rows = db.session.scalars(select(User).order_by(User.active.desc(), User.name))
    return render_template("admin/users.html", users=list(rows))


@bp.route("/admin/users/new", methods=["GET", "POST"])
def new_user():
    """Create a user with a generated password, shown once."""
    form = UserForm()
    form.set_team_choices(_all_teams())
    if form.validate_on_submit():
        password = generate_password()
        try:
            user = accounts.create_user(
                form.email.data, _details(form), password, by=_admin(), now=clock.now()
            )
        except PeopleError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            back = url_for("admin.user", user_id=user.id)
            return _shown_once(_("Password for %(name)s", name=user.name), password, back)
    status = 400 if form.errors else 200
    return render_template("admin/user_new.html", form=form), status


@bp.route("/admin/users/<id:user_id>", methods=["GET", "POST"])
def user(user_id: int):
    """Show and change one user: details, password and API tokens."""
    target = _user_or_404(user_id)
    form = UserForm(data=_user_data(target))
    form.set_team_choices(_all_teams())
    if form.validate_on_submit():
        details = _details(form)
        if target.id == current_user.id and (details.role != Role.ADMIN or not details.active):
            flash(_("You cannot take away your own administrator access."), "error")
        else:
            try:
                now, admin = clock.now(), _admin()
                accounts.change_email(target, form.email.data, by=admin, now=now)
                accounts.update_user(target, details, by=admin, now=now)
            except PeopleError as error:
                db.session.rollback()
                flash(str(error), "error")
            else:
                db.session.commit()
                flash(_("The user has been saved."), "success")
                return redirect(url_for("admin.user", user_id=target.id))
    else:
        audit.record(
            AuditAction.USER_VIEW,
            actor=_admin(),
            at=clock.now(),
            object_type="user",
            object_id=target.id,
        )
        db.session.commit()
    return render_template(
        "admin/user.html",
        user=target,
        form=form,
        password_form=PasswordForm(),
        token_form=TokenForm(),
        confirm_form=ConfirmForm(),
    ), (400 if form.errors else 200)


def _user_data(user: User) -> dict:
    return {
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "team_id": user.team_id or 0,
        "active": user.active,
    }


@bp.post("/admin/users/<id:user_id>/password")
def user_password(user_id: int):
    """Give a user a new password (typed by the administrator, or generated and shown once)."""
    target = _user_or_404(user_id)
    form = PasswordForm()
    back = url_for("admin.user", user_id=target.id)
    if not form.validate():
        flash(" ".join(form.password.errors), "error")
        return redirect(back)
    chosen = form.password.data if (form.password.data or "").strip() else None
    password = chosen or generate_password()
    try:
        accounts.set_password(target, password, by=_admin(), now=clock.now())
    except PeopleError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    if chosen:
        flash(_("The password has been changed."), "success")
        return redirect(back)
    return _shown_once(_("New password for %(name)s", name=target.name), password, back)


@bp.post("/admin/users/<id:user_id>/sign-out")
def user_sign_out(user_id: int):
    """End every session of a user, on every device (audited)."""
    target = _user_or_404(user_id)
    if ConfirmForm().validate():
        accounts.sign_out_everywhere(target, by=_admin(), now=clock.now())
        db.session.commit()
        flash(_("%(name)s is signed out everywhere.", name=target.name), "success")
    return redirect(url_for("admin.user", user_id=target.id), code=303)


@bp.post("/admin/users/<id:user_id>/tokens")
def user_tokens(user_id: int):
    """Create an API token for a user, shown once."""
    target = _user_or_404(user_id)
    form = TokenForm()
    back = url_for("admin.user", user_id=target.id)
    if not form.validate():
        flash(" ".join([*form.name.errors, *form.scope.errors]), "error")
        return redirect(back)
    try:
        _row, token = tokens.create_token(
            target, form.name.data, by=_admin(), now=clock.now(), scope=form.scope.data or None
        )
    except PeopleError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    return _shown_once(_("API token for %(name)s", name=target.name), token, back)


@bp.get("/admin/tokens")
def api_tokens():
    """List every API token."""
    return render_template(
        "admin/tokens.html", tokens=tokens.all_tokens(), confirm_form=ConfirmForm()
    )


@bp.post("/admin/tokens/<id:token_id>/revoke")
def revoke_token(token_id: int):
    """Revoke an API token."""
    row = db.session.get(ApiToken, token_id) or abort(404)
    if ConfirmForm().validate():
        tokens.revoke_token(row, by=_admin(), now=clock.now())
        db.session.commit()
        flash(_("The token has been revoked."), "success")
    return redirect(url_for("admin.api_tokens"))


@bp.route("/admin/teams", methods=["GET", "POST"])
def teams():
    """List the teams and create new ones."""
    form = TeamForm()
    if form.validate_on_submit():
        try:
            team = accounts.create_team(form.name.data, by=_admin(), now=clock.now())
        except PeopleError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The team has been created."), "success")
            return redirect(url_for("admin.team", team_id=team.id))
    status = 400 if form.errors else 200
    return render_template("admin/teams.html", teams=_all_teams(), form=form), status


@bp.route("/admin/teams/<id:team_id>", methods=["GET", "POST"])
def team(team_id: int):
    """Show a team's people and rename it."""
    row = db.session.get(Team, team_id) or abort(404)
    form = TeamForm(obj=row)
    if form.validate_on_submit():
        try:
            accounts.rename_team(row, form.name.data, by=_admin(), now=clock.now())
        except PeopleError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The team has been saved."), "success")
            return redirect(url_for("admin.team", team_id=row.id))
    status = 400 if form.errors else 200
    return render_template("admin/team.html", team=row, form=form), status
