"""Sign-in through the municipality's OpenID Connect provider (Authlib), when configured.

The authorization code flow with PKCE (S256: a code intercepted on its way back is
useless without the verifier this session holds), the state and the ID token's nonce
checked by Authlib; an e-mail address is trusted only when the provider says
`email_verified` is the JSON boolean true.
"""

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
        client_kwargs={
            "scope": "openid email profile",
            "code_challenge_method": "S256",
            "default_timeout": HTTP_TIMEOUT_SECONDS,
        },
    )
    app.extensions[EXTENSION_KEY] = oauth


def is_configured() -> bool:
    """Tell whether sign-in through the identity provider is offered."""
    return EXTENSION_KEY in current_app.extensions


def client():
    """Return the Authlib client for the provider."""
    return current_app.extensions[EXTENSION_KEY].create_client(CLIENT_NAME)


def email_from_token(token: dict) -> str | None:
    """Return the e-mail claim of the ID token if the provider verified it, else None."""
    claims = token.get("userinfo") or {}
    if claims.get("email_verified") is not True:  # missing, false, "true", 1: not verified
        return None
    email = claims.get("email")
    return email if isinstance(email, str) else None
