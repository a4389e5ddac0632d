"""The case pages (one blueprint): list, register and show cases; the actions on a case."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")

from tracker.web.cases import actions, listing, views  # noqa: E402, F401  (add the routes to bp)
