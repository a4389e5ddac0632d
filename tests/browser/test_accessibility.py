"""WCAG 2.1 A and AA in Chromium: axe-core on every kind of page, and the skip link.

Public-sector web applications must meet WCAG 2.1 A and AA (lov nr. 692 af 8. juni 2018).
axe-core (npm, pinned by package-lock.json) is read from node_modules and injected with
page.evaluate, which the page's Content-Security-Policy does not govern. Every violation
fails the test, whatever its impact: the pages have none today, so any new one is a
regression. Checks axe cannot make (reading order, meaningful wording, zoom) stay manual.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from live import NOW, require_chromium, serve_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # the walk takes a minute or two

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "demo-password"
# A desktop, and 320 CSS px: the width WCAG 1.4.10 (reflow) asks pages to work at.
VIEWPORTS = {"wide": {"width": 1280, "height": 900}, "narrow": {"width": 320, "height": 640}}
LEADER, CASEWORKER, ADMIN = "lene@nord.demo", "anna@nord.demo", "admin@kommune.demo"


def _demo_data(chosen: dict) -> None:
    from sqlalchemy import select

    from tracker.cli.demo import create_demo_data
    from tracker.extensions import db
    from tracker.models import Alert, CaseStatus, IntakeItem, Notification, Team
    from tracker.text.wording import status_of

    create_demo_data(NOW)
    db.session.commit()
    nord = db.session.scalar(select(Team).where(Team.name == "Team Nord"))
    notifications = db.session.scalars(
        select(Notification).where(Notification.team_id == nord.id).order_by(Notification.id)
    ).all()
    # The case whose deadlines are in the most different states, and a closed one.
    chosen["varied"] = max(
        notifications, key=lambda n: len({status_of(d, NOW) for d in n.deadlines})
    ).id
    chosen["closed"] = next(n.id for n in notifications if n.status == CaseStatus.CLOSED)
    chosen["reference"] = notifications[0].reference
    # The action cards: an honour-related case handed over to the police, an adult's case.
    chosen["honour"] = next(
        n.id for n in notifications if any(e.step_key == "police_handover" for e in n.timeline)
    )
    chosen["adult"] = next(n.id for n in notifications if n.age_group == "18-22")
    chosen["intake"] = db.session.scalar(select(IntakeItem.id).order_by(IntakeItem.id))
    # A "Jeg har den" link of the demo's Friday-evening alert.
    chosen["ack"] = db.session.scalar(
        select(Alert.ack_token).where(Alert.ack_token.is_not(None)).order_by(Alert.id)
    )


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """Serve the demo data (every deadline state) at the fixed clock; yield (url, case ids)."""
    require_chromium()
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make assets)")
    chosen: dict = {}
    with serve_app(tmp_path_factory.mktemp("a11y"), lambda: _demo_data(chosen)) as url:
        yield url, chosen


@pytest.fixture(scope="module")
def signed_in(demo_app, chromium):
    """Sign each demo user in once through the login form; return their browser states."""
    url, _ = demo_app
    states = {}
    for email in (LEADER, CASEWORKER, ADMIN):
        with chromium.new_context(locale="da-DK") as context:
            page = context.new_page()
            page.goto(f"{url}/login")
            page.fill("#email", email)
            page.fill("#password", PASSWORD)
            page.click("button[type=submit].button-primary")
            page.wait_for_url(lambda u: "/login" not in u)
            states[email] = context.storage_state()
    return states


def _submit_future_step(page) -> None:
    page.click(".card-steps li:first-child summary")
    page.fill(".card-steps li:first-child input[type=date]", "2030-01-01")
    page.click(".card-steps li:first-child button[type=submit]")
    page.wait_for_selector(".alert-error")


def _submit_empty_registration(page) -> None:
    page.click("form button[type=submit].button-primary")
    page.wait_for_selector(".form-error-message, .alert-error")


# (who, path with {placeholders} from the chosen cases, what to do before checking)
PAGES = {
    "login": (None, "/login", None),
    "dashboard-leader": (LEADER, "/", None),
    "dashboard-caseworker": (CASEWORKER, "/", None),
    "open-cases": (CASEWORKER, "/cases/", None),
    "closed-cases": (CASEWORKER, "/cases/?status=closed", None),
    "case-search": (CASEWORKER, "/cases/?q={reference}", None),
    "registration": (CASEWORKER, "/cases/new", None),
    "registration-errors": (CASEWORKER, "/cases/new", _submit_empty_registration),
    "registration-from-intake": (CASEWORKER, "/cases/new?intake={intake}", None),
    "intake-waiting": (LEADER, "/intake/", None),
    "intake-item": (LEADER, "/intake/{intake}", None),
    "case-varied-deadlines": (CASEWORKER, "/cases/{varied}", None),
    "case-closed": (LEADER, "/cases/{closed}", None),
    "case-honour-timeline": (CASEWORKER, "/cases/{honour}", None),
    "case-step-errors": (CASEWORKER, "/cases/{honour}", _submit_future_step),
    "case-adult": (CASEWORKER, "/cases/{adult}", None),
    "action-cards": (None, "/cards/", None),
    "action-card-fagperson": (None, "/cards/under-18-fagperson", None),
    "action-card-contacts": (None, "/cards/contacts", None),
    "case-varied-leader": (LEADER, "/cases/{varied}", None),
    "calculator": (CASEWORKER, "/calc", None),
    "calculator-result": (
        CASEWORKER,
        "/calc?received_date=2026-03-10&received_time=15:40&notifier=professional"
        "&decision_date=2026-03-11&decision_kind=stoettende&investigation_start=2026-03-10",
        None,
    ),
    "calculator-errors": (CASEWORKER, "/calc?received_date=31-02-2026&received_time=", None),
    "compliance-report": (LEADER, "/reports/compliance", None),
    "intake-statistics": (LEADER, "/reports/intake", None),
    "audit-log": (LEADER, "/audit/?case={reference}", None),
    "audit-log-errors": (LEADER, "/audit/?case=U-1999-999999", None),
    "admin-users": (ADMIN, "/admin/users", None),
    "outgoing-mail": (ADMIN, "/admin/outbox/", None),
    "intake-mailboxes": (ADMIN, "/admin/intake", None),
    "sign-in-locks": (ADMIN, "/admin/sign-in-locks", None),
    "my-settings": (CASEWORKER, "/settings/", None),
    "on-call-rota": (LEADER, "/on-call/", None),
    "opening-hours": (CASEWORKER, "/opening-hours/", None),
    "jeg-har-den": (CASEWORKER, "/alerts/ack/{ack}", None),
}


def _axe_violations(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}}
    result = page.evaluate("options => axe.run(document, options)", options)
    return result["violations"]


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {node['target']}: {node['failureSummary']}" for node in v["nodes"])
    return "\n".join(lines)


def _overflowing(page) -> list[str]:
    """Name the elements that stick out to the right of the page (WCAG 1.4.10 reflow)."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            return [...document.body.querySelectorAll('*')]
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className);
        }"""
    )


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_meets_wcag_21_aa(name, viewport, demo_app, signed_in, chromium):
    who, path, then = PAGES[name]
    url, chosen = demo_app
    state = signed_in[who] if who else None
    size = VIEWPORTS[viewport]
    with chromium.new_context(locale="da-DK", storage_state=state, viewport=size) as context:
        page = context.new_page()
        response = page.goto(url + path.format(**chosen))
        assert response is not None and response.status < 500
        assert "/login" not in page.url or who is None, f"{who} was sent to the login page"
        if then:
            then(page)
        violations = _axe_violations(page)
        overflowing = _overflowing(page)
    assert not violations, f"{name} ({path}, {viewport}):\n{_describe(violations)}"
    # At 320 CSS px the page itself must not scroll sideways; wide tables scroll in a region.
    assert not overflowing, f"{name} ({path}) is wider than {size['width']} px: {overflowing}"


def test_skip_link_is_first_and_moves_focus_to_the_content(demo_app, signed_in, chromium):
    url, _ = demo_app
    with chromium.new_context(locale="da-DK", storage_state=signed_in[CASEWORKER]) as context:
        page = context.new_page()
        page.goto(f"{url}/")
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => [document.activeElement.className, document.activeElement.textContent]"
        )
        assert focused == ["skipnav", "Gå til indhold"]
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main-content"
        assert page.url.endswith("#main-content")


@pytest.mark.parametrize("name", ["registration-errors", "calculator-errors", "audit-log-errors"])
def test_a_page_with_errors_says_so_first_in_its_title(name, demo_app, signed_in, chromium):
    who, path, then = PAGES[name]
    url, chosen = demo_app
    with chromium.new_context(locale="da-DK", storage_state=signed_in[who]) as context:
        page = context.new_page()
        page.goto(url + path.format(**chosen))
        if then:
            then(page)
        assert page.title().startswith("Fejl: ")
        page.goto(url + path.split("?")[0])
        assert not page.title().startswith("Fejl")


def test_menu_and_log_out_stay_reachable_at_320_px(demo_app, signed_in, chromium):
    url, _ = demo_app
    narrow = VIEWPORTS["narrow"]
    with chromium.new_context(locale="da-DK", storage_state=signed_in[ADMIN], viewport=narrow) as c:
        page = c.new_page()
        page.goto(f"{url}/")
        assert page.get_by_role("button", name="Log ud").is_visible()
        menu = page.get_by_role("navigation", name="Hovedmenu")
        shown = {a.inner_text() for a in menu.locator(".mainmenu > li > a").all() if a.is_visible()}
        more = menu.locator(".more-button")
        if more.is_visible():
            more.click()
            shown |= {
                a.inner_text() for a in menu.locator("#fds-more-menu a").all() if a.is_visible()
            }
        assert {"Frister", "Brugere", "Udgående post", "Mine indstillinger"} <= shown
