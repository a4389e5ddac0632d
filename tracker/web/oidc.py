"""Sign-in through the municipality's OpenID Connect provider (Authlib), when configured."""

from __future__ import annotations

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc.errors import JoseError

CLIENT_NAME = "oidc"
EXTENSION_KEY = "tracker.oidc"
HTTP_TIMEOUT_SECONDS = 10

# What can go wrong between us and the provider; each ends as a refused sign-in, never a 500.
SIGN_IN_ERRORS = (AuthlibBaseError, JoseError, requests.RequestException, KeyError, ValueError)


def init_app(app: Flask) -> None:
    """Register the provider from TRACKER_OIDC_* settings; without an issuer, do nothing."""
    issuer = (app.config["OIDC_ISSUER"] or "").rstrip("/")
    if not issuer or not app.config["OIDC_CLIENT_ID"]:
        return
    oauth = OAuth(app)  # one registry per app: tests run apps with different providers
    oauth.register(
        CLIENT_NAME,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "default_timeout": HTTP_TIMEOUT_SECONDS},
    )
    app.extensions[EXTENSION_KEY] = oauth


def is_configured() -> bool:
    """Tell whether sign-in through the identity provider is offered."""
    return EXTENSION_KEY in current_app.extensions


def client():
    """Return the Authlib client for the provider."""
    return current_app.extensions[EXTENSION_KEY].create_client(CLIENT_NAME)


def email_from_token(token: dict) -> str | None:
    """Return the verified e-mail claim of the ID token, or None."""
    claims = token.get("userinfo") or {}
    if claims.get("email_verified") is False:
        return None
    email = claims.get("email")
    return email if isinstance(email, str) else None
