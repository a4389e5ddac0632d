"""Fixtures for the Chromium tests: a live server with one user, and Debian's Chromium."""

from __future__ import annotations

import pytest
from live import CHROMIUM, CHROMIUM_ARGS, require_chromium, serve_app


def _one_user() -> None:
    from factories import make_team, make_user

    make_user(
        team=make_team("Team Nord"),
        name="Anna Andersen",
        email="anna@nord.demo",
        password="demo-password",
    )


@pytest.fixture
def live_app(tmp_path):
    """Serve the app with one caseworker, anna@nord.demo (password demo-password)."""
    require_chromium()
    with serve_app(tmp_path, _one_user) as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    """Launch Debian's headless Chromium through Playwright, once per test module."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
