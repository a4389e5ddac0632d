"""The front page and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Show the front page."""
    return render_template("index.html")


@bp.get("/healthz")
def healthz():
    """Answer a load balancer's health check without touching case data."""
    return jsonify(status="ok")
