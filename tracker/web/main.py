"""The front page."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import current_user

from tracker.web.access import is_admin

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Show the front page: the overdue dashboard, in the user's default view.

    An administrator has no deadlines of their own: they land on the people they manage.
    """
    from tracker.web.dashboard import show

    if is_admin(current_user):
        return redirect(url_for("admin.users"))
    return show()
