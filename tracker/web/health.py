"""Health checks for load balancers and monitoring, without sign-in and without personal data.

`/healthz`: the process answers (no database). `/readyz`: the database answers within its
timeouts, migrations are at head, the scheduler swept within 5 minutes, the outbox moves
(tracker.operations.readiness); 200 when ready, 503 with the same JSON when not. Point a load
balancer at /healthz: a stopped scheduler must not take the web pages out of service.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from tracker import clock
from tracker.operations import readiness

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Answer that the process is alive, without touching the database."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Answer whether the tracker is ready to do its work, and what is wrong if not."""
    result = readiness.check(clock.now())
    response = jsonify(result.as_json())
    response.status_code = 200 if result.ready else 503
    return response
