"""The front page."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Show the front page: the overdue dashboard, in the user's default view."""
    from tracker.web.dashboard import show

    return show()
