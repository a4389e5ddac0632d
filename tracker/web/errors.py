"""Error answers: Danish pages for people, JSON for the API, never a stack trace."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from tracker.web.access import is_api_request

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


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_server_error)
