"""Security headers on every response, and no caching of anything but the static files."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

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


# Answered from files that hold no personal data: browsers and proxies may keep them.
CACHEABLE_ENDPOINTS = frozenset({"static"})


def add_security_headers(response: Response) -> Response:
    """Add CSP, content-type, referrer, framing, (over https) HSTS and no-store headers.

    Every answer but a static file may show a case, a person or a secret (pages, the
    API, exports, the calendar feed, an error page showing a form again), so none is kept
    by a browser's cache or a proxy: `Cache-Control: no-store`.
    """
    if request.endpoint not in CACHEABLE_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if current_app.config["BASE_URL"].startswith("https://"):
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    return response


def init_app(app: Flask) -> None:
    """Install the header hook."""
    app.after_request(add_security_headers)
