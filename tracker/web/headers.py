"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, current_app

# No inline scripts or styles anywhere: every script and stylesheet is a file under /static.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def add_security_headers(response: Response) -> Response:
    """Add CSP, content-type, referrer, framing and (over https) HSTS headers."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if current_app.config["BASE_URL"].startswith("https://"):
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    return response


def not_stored(body: str, status: int = 200):
    """Answer a page that shows a secret once (password, token, feed address): never cached."""
    return body, status, {"Cache-Control": "no-store"}


def init_app(app: Flask) -> None:
    """Install the header hook."""
    app.after_request(add_security_headers)
