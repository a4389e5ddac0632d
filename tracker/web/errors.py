"""Error answers: Danish pages for people, JSON for the API, never a stack trace.

When the database is away, restarting or too slow (tracker.database.is_unavailable), a
request gets 503 with Retry-After: a Danish page rendered without the database (no
signed-in user, no menu), or JSON for the API. Its transaction was rolled back whole.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from tracker.database import is_unavailable
from tracker.extensions import db
from tracker.web.access import is_api_request

log = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Check what you entered.")),
    401: (_l("Sign-in required"), _l("Sign in to continue.")),
    403: (_l("No access"), _l("You do not have access to this page.")),
    404: (_l("Page not found"), _l("The page does not exist, or you do not have access to it.")),
    405: (_l("Not allowed"), _l("This kind of request is not allowed here.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    415: (_l("Unsupported format"), _l("Send the request as JSON (application/json).")),
    429: (_l("Too many attempts"), _l("Too many attempts. Wait a while and try again.")),
    500: (_l("Something went wrong"), _l("An error occurred on our side. It has been logged.")),
    503: (
        _l("The tracker is unavailable for a moment"),
        _l("The tracker cannot reach its database right now. Try again in a minute."),
    ),
}
CSRF_MESSAGE = _l("The form has expired or came from another page. Reload the page and try again.")


def error_response(code: int, message=None, headers=None):
    """Return an error answer in the form the client expects (JSON for /api/, else a page)."""
    title, default_message = MESSAGES.get(code, MESSAGES[400 if code < 500 else 500])
    text = str(message or default_message)
    if is_api_request():
        response = jsonify(error=_slug(code), message=text)
    else:
        html = render_template("errors/error.html", title=title, message=text, code=code)
        response = make_response(html)
    response.status_code = code
    for name, value in headers or []:
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _slug(code: int) -> str:
    return HTTP_STATUS_CODES.get(code, "error").lower().replace(" ", "_")


def handle_http_error(error: HTTPException):
    """Turn an HTTP error into a Danish page or a JSON body."""
    code = error.code or 500
    message = None
    if isinstance(error, CSRFError):
        message = CSRF_MESSAGE
    return error_response(code, message, error.get_headers())


def handle_server_error(error: InternalServerError):
    """Answer 500 without details (Flask has logged the error, redacted: tracker.redaction)."""
    return error_response(500)


def handle_database_error(error: Exception):
    """Answer 503 when the database is away or too slow; any other database error is a 500."""
    _forget_the_transaction()
    if not is_unavailable(error):
        current_app.log_exception((type(error), error, error.__traceback__))
        return handle_server_error(InternalServerError(original_exception=error))
    # One line, no statement or parameters: the database's own words about what failed.
    log.warning(
        "Database unavailable during %s %s: %s",
        request.method,
        request.path,
        type(getattr(error, "orig", None) or error).__name__,
    )
    return unavailable_response()


def unavailable_response():
    """Return the 503 answer, built without touching the database."""
    code = 503
    if is_api_request():
        response = jsonify(error="service_unavailable", message=str(MESSAGES[code][1]))
    else:
        # Not render_template: its context processors would load the signed-in user.
        template = current_app.jinja_env.get_template("errors/unavailable.html")
        response = make_response(template.render())
    response.status_code = code
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _forget_the_transaction() -> None:
    # Whatever the request had written is rolled back; a dead connection is thrown away.
    try:
        db.session.rollback()
    except Exception:  # the connection may be gone: nothing is left to undo on it
        db.session.invalidate()


def end_session_quietly(_error: BaseException | None = None) -> None:
    """End the request's database session; if the database vanished meanwhile, just drop it.

    Runs before Flask-SQLAlchemy's own teardown (teardowns run in reverse order), which
    would otherwise raise from its rollback on a dead connection after the answer was
    made, and the client would get gunicorn's bare 500 instead of it.
    """
    try:
        db.session.remove()
    except DBAPIError as error:
        if not is_unavailable(error):
            raise
        log.warning("Database gone while ending a request's session: %s", type(error).__name__)
        db.session.registry.clear()  # the connection was invalidated; forget the session


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.teardown_appcontext(end_session_quietly)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_server_error)
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(PoolTimeoutError, handle_database_error)
