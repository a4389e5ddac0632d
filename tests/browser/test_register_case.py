"""A new user in Chromium: sign in, register an underretning received yesterday at 15:40,
and see its 24-hour deadline overdue and its receipt deadline on the right day."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from babel.dates import format_date
from werkzeug.serving import make_server

from tracker.domain.calendar import COPENHAGEN
from tracker.domain.rules import DeadlineKind, compute_notification_deadlines

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The app's clock: Wednesday 11 March 2026, 16:30 in Copenhagen.
NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)
# Look at it after a run: the page should carry the design system styling.
SCREENSHOT = Path(tempfile.gettempdir()) / "fristsporing-case-page.png"


@pytest.fixture
def live_app(tmp_path):
    """Serve the app on 127.0.0.1 from a thread, on a migrated SQLite file, with one user."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from factories import make_team, make_user
    from flask_migrate import upgrade

    from config import TestConfig
    from tracker import create_app
    from tracker.extensions import db

    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'browser.db'}",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "WTF_CSRF_ENABLED": True,
        "CLOCK": staticmethod(lambda: NOW),
    }
    config = type("BrowserConfig", (TestConfig,), settings)
    app = create_app(config)
    with app.app_context():
        upgrade()
        make_user(
            team=make_team("Team Nord"),
            name="Anna Andersen",
            email="anna@nord.demo",
            password="demo-password",
        )
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


def test_register_yesterday_1540_and_see_the_deadlines(live_app):
    from playwright.sync_api import expect, sync_playwright

    yesterday = (NOW.astimezone(COPENHAGEN) - timedelta(days=1)).date()
    received_at = datetime.combine(yesterday, time(15, 40), tzinfo=COPENHAGEN)
    expected = {
        d.kind: d
        for d in compute_notification_deadlines(
            received_at, notifier_identifiable=True, notifier_professional=True
        )
    }
    receipt_day = format_date(expected[DeadlineKind.RECEIPT].due_date, "EEE d. MMM yyyy", "da")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="da-DK", viewport={"width": 1280, "height": 900})
        page.goto(f"{live_app}/cases/new")
        page.fill("#email", "anna@nord.demo")
        page.fill("#password", "demo-password")
        page.click("button[type=submit].button-primary")
        expect(page.locator("h1")).to_have_text("Registrér en underretning")

        page.fill("#received_date", yesterday.isoformat())
        page.fill("#received_time", "15:40")
        page.select_option("#channel", "letter")
        page.select_option("#notifier_kind", "professional")
        page.fill("#notifier_contact", "Klasselærer, Demo Skole")
        page.fill("#child_reference", "SAG-2026-0001")
        page.select_option("#age_group", "6-11")
        page.select_option("#concern_category", "neglect")
        page.fill("#summary", "Barnet kommer sultent i skole <og> træt.")
        page.click("form button[type=submit].button-primary")

        expect(page.locator("h1")).to_contain_text("Underretning U-")
        assessment = page.locator("tr", has_text="24-timers vurdering").first
        expect(assessment).to_contain_text("Overskredet")
        expect(assessment).to_contain_text("over fristen")
        receipt = page.locator("tr", has_text="Bekræftelse af modtagelse").first
        expect(receipt).to_contain_text(f"udløber ved udgangen af {receipt_day}")
        expect(page.locator(".summary")).to_have_text("Barnet kommer sultent i skole <og> træt.")
        expect(page.locator("#action-card")).to_contain_text("Drøft ikke bekymringen")
        page.screenshot(path=str(SCREENSHOT), full_page=True)
        browser.close()
