"""The tracker's public addresses: TRACKER_BASE_URL and a path, never the request's Host.

A request's Host header (and X-Forwarded-Host) is the client's to choose; a link built
from it could point anywhere. Every address the tracker hands out to be used later (the
calendar feed, the identity provider's redirect address, links in feeds and e-mails)
starts with BASE_URL, the public address of the app's root.
"""

from __future__ import annotations

from flask import current_app, url_for


def base_url() -> str:
    """Return TRACKER_BASE_URL without a trailing slash."""
    return current_app.config["BASE_URL"].rstrip("/")


def external_url(endpoint: str, **values) -> str:
    """Return the public address of an endpoint: BASE_URL and the endpoint's path."""
    return base_url() + url_for(endpoint, **values)
