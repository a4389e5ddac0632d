"""The page frame: Danish, accessible basics and strict security headers."""

from __future__ import annotations


def test_front_page_is_danish_with_skip_link(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="da"' in html
    assert 'href="#main-content"' in html
    assert "Gå til indhold" in html
    assert "dkfds.min.css" in html


def test_security_headers(client):
    response = client.get("/healthz")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


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
