"""The page frame: Danish, accessible basics and strict security headers."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("signed_in", [False, True], ids=["login-page", "front-page"])
def test_pages_are_danish_with_skip_link(client, login_as, signed_in):
    response = client.get("/healthz")
    assert response.status_code == 200
    if signed_in:
        login_as()
    page = client.get("/" if signed_in else "/login")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="da"' in html
    assert 'href="#main-content"' in html
    assert "Gå til indhold" in html
    assert "dkfds.min.css" in html
    assert ("Log ud" in html) is signed_in


def test_security_headers(client):
    response = client.get("/healthz")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in csp
    assert "Strict-Transport-Security" not in response.headers  # plain http: no HSTS


@pytest.mark.parametrize("path", ["/healthz", "/login", "/", "/no-such-page", "/api/me"])
def test_security_headers_on_every_kind_of_answer(client, path):
    response = client.get(path)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_hsts_and_secure_cookies_when_served_over_https(tmp_path):
    from factories import another_app

    https_app = another_app("sqlite://", tmp_path, BASE_URL="https://frister.kommune.dk")
    response = https_app.test_client().get("/healthz", base_url="https://frister.kommune.dk")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert https_app.config["SESSION_COOKIE_SECURE"] is True


def test_design_system_assets_are_served(client):
    for path in (
        "/static/vendor/dkfds/css/dkfds.min.css",
        "/static/vendor/dkfds/js/dkfds.min.js",
        "/static/vendor/htmx/htmx.min.js",
        "/static/js/app.js",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()
