"""The JSON API for integrations (bearer tokens) and pages' scripts (session + CSRF).

Views use current_user as everywhere else; tracker.web.access has already
authenticated the request. Errors are JSON (tracker.web.errors).
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import BadRequest

from tracker import clock
from tracker.extensions import db
from tracker.people import accounts
from tracker.web.access import visible_team_ids
from tracker.web.errors import error_response

bp = Blueprint("api", __name__, url_prefix="/api")
# Half of a UTF-16 pair: JSON may escape one alone ("\ud800"), Python reads it, and no
# database can store it.
SURROGATE = re.compile("[\ud800-\udfff]")


def json_object() -> dict:
    """Return the request's JSON body, which must be an object of valid text (400 otherwise)."""
    if not request.is_json:
        abort(415)
    try:
        body = request.get_json()
    except (BadRequest, RecursionError):  # RecursionError: nested too deeply to decode
        abort(error_response(400, _l("The request body is not valid JSON.")))
    if not isinstance(body, dict):
        abort(error_response(400, _l("The request body must be a JSON object.")))
    if _has_lone_surrogate(body):
        abort(error_response(400, _l("The request body holds text that is not valid Unicode.")))
    return body


def _has_lone_surrogate(value) -> bool:
    if isinstance(value, str):
        return SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_has_lone_surrogate(key) or _has_lone_surrogate(v) for key, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


def user_json(user) -> dict:
    """Return what the API tells about a user."""
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "team_id": user.team_id,
        "visible_team_ids": visible_team_ids(user),
        "digest_enabled": user.digest_enabled,
    }


@bp.get("/me")
def me():
    """Tell the caller who they are and which teams they see."""
    return jsonify(user_json(current_user))


@bp.patch("/me")
def update_me():
    """Change the caller's own preferences (today: the daily digest e-mail)."""
    body = json_object()
    if set(body) - {"digest_enabled"}:
        abort(error_response(400, _l("Only digest_enabled can be changed here.")))
    if "digest_enabled" in body:
        if not isinstance(body["digest_enabled"], bool):
            abort(error_response(400, _l("digest_enabled must be true or false.")))
        user = current_user._get_current_object()
        accounts.set_digest(user, body["digest_enabled"], by=user, now=clock.now())
    db.session.commit()
    return jsonify(user_json(current_user))


from tracker.web.api import cases, timeline  # noqa: E402, F401  (adds the /api/v1 routes to bp)
