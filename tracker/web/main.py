"""The front page and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Show the front page: the overdue dashboard, in the user's default view."""
    from tracker.web.dashboard import show

    return show()


@bp.get("/healthz")
def healthz():
    """Answer a load balancer's health check without touching case data."""
    return jsonify(status="ok")
