"""A small OpenID Connect provider for the tests, served over HTTP on 127.0.0.1.

It serves discovery, JWKS, an authorize endpoint that signs in whoever
`next_email` names (no login form) and redirects back with a code, and a token
endpoint that returns an RS256-signed ID token carrying the nonce it was given.
Like a careful provider it requires PKCE (RFC 7636, S256): the code is exchanged only
with the verifier whose hash came with the authorization request.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


class FakeOidcProvider:
    """An in-process identity provider; start(), then point the app's OIDC settings at it."""

    def __init__(self, client_id: str = "fristsporing", client_secret: str = "s3cret") -> None:  # noqa: S107
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig"})
        self.next_email: str | None = None
        # The claim as sent: True, False, None (left out) or anything else (e.g. "true").
        self.email_verified: object = True
        self.wrong_nonce = False
        self._codes: dict[str, dict] = {}
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> FakeOidcProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        handler = {
            "/.well-known/openid-configuration": self._discovery,
            "/jwks": self._jwks,
            "/authorize": self._authorize,
            "/token": self._token,
        }.get(request.path)
        response = handler(request) if handler else Response("not found", status=404)
        return response(environ, start_response)

    def _json(self, data: dict, status: int = 200) -> Response:
        return Response(json.dumps(data), status=status, mimetype="application/json")

    def _discovery(self, _request: Request) -> Response:
        return self._json(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    def _jwks(self, _request: Request) -> Response:
        return self._json({"keys": [self.key.as_dict(private=False)]})

    def _authorize(self, request: Request) -> Response:
        args = request.args
        if args.get("client_id") != self.client_id or args.get("response_type") != "code":
            return Response("bad client", status=400)
        if args.get("code_challenge_method") != "S256" or not args.get("code_challenge"):
            return Response("PKCE with S256 is required", status=400)
        code = secrets.token_urlsafe(16)
        self._codes[code] = {
            "nonce": args.get("nonce"),
            "email": self.next_email,
            "challenge": args["code_challenge"],
        }
        query = urlencode({"code": code, "state": args.get("state", "")})
        return Response(status=302, headers={"Location": f"{args['redirect_uri']}?{query}"})

    def _token(self, request: Request) -> Response:
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != (self.client_id, self.client_secret):
            return self._json({"error": "invalid_client"}, status=401)
        grant = self._codes.pop(request.form.get("code", ""), None)
        if grant is None or _s256(request.form.get("code_verifier", "")) != grant["challenge"]:
            return self._json({"error": "invalid_grant"}, status=400)
        return self._json(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self._id_token(grant),
            }
        )

    def _id_token(self, grant: dict) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": f"user-{grant['email']}",
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": "not-the-nonce" if self.wrong_nonce else grant["nonce"],
        }
        if grant["email"] is not None:
            claims["email"] = grant["email"]
        if self.email_verified is not None:
            claims["email_verified"] = self.email_verified
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
