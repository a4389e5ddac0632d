"""The front page and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Team
from tracker.web.access import team_scope

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Show the front page: the signed-in user's team and its people."""
    teams = db.session.scalars(select(Team).where(team_scope(Team.id)).order_by(Team.name))
    return render_template("index.html", teams=list(teams))


@bp.get("/healthz")
def healthz():
    """Answer a load balancer's health check without touching case data."""
    return jsonify(status="ok")
