"""A new user in Chromium: sign in, register an underretning received yesterday at 15:40,
and see its 24-hour deadline overdue and its receipt deadline on the right day."""

from __future__ import annotations

import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from babel.dates import format_date
from live import NOW
from rulebooks import SHIPPED

from tracker.domain.local_time import COPENHAGEN
from tracker.domain.rules import DeadlineKind, compute_notification_deadlines

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Look at it after a run: the page should carry the design system styling.
SCREENSHOT = Path(tempfile.gettempdir()) / "fristsporing-case-page.png"


def test_register_yesterday_1540_and_see_the_deadlines(live_app, chromium):
    from playwright.sync_api import expect

    yesterday = (NOW.astimezone(COPENHAGEN) - timedelta(days=1)).date()
    received_at = datetime.combine(yesterday, time(15, 40), tzinfo=COPENHAGEN)
    expected = {
        d.kind: d
        for d in compute_notification_deadlines(
            received_at,
            notifier_kind="professional",
            notifier_identifiable=True,
            rules=SHIPPED,
        )
    }
    receipt_day = format_date(expected[DeadlineKind.RECEIPT].due_date, "EEE d. MMM yyyy", "da")

    with chromium.new_context(locale="da-DK", viewport={"width": 1280, "height": 900}) as context:
        page = context.new_page()
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
        page.check("input[name=concerns][value=neglect]")
        page.fill("#summary", "Barnet kommer sultent i skole <og> træt.")
        page.click("form button[type=submit].button-primary")

        expect(page.locator("h1")).to_contain_text("Underretning U-")
        assessment = page.locator("tr", has_text="24-timers vurdering").first
        expect(assessment).to_contain_text("Overskredet")
        expect(assessment).to_contain_text("over fristen")
        receipt = page.locator("tr", has_text="Bekræftelse af modtagelse").first
        expect(receipt).to_contain_text(f"udløber ved udgangen af {receipt_day}")
        expect(page.locator(".summary")).to_have_text("Barnet kommer sultent i skole <og> træt.")
        # A neglect case follows the general card: the parents are normally involved, so
        # none of the honour-related warnings ("Tal ikke med familien ...") is shown.
        card = page.locator("#action-card")
        expect(card).to_contain_text("Kommunens generelle handlekort ved en underretning")
        expect(page.locator("main")).not_to_contain_text("Tal ikke med familien")
        expect(page.locator("#timeline")).to_contain_text("Registreret")
        page.screenshot(path=str(SCREENSHOT), full_page=True)
