"""Every answer that shows a case's content is in the audit log as a view of that case.

Walks every route of the app (so new pages are covered when they come): each GET, and
each POST to a case with an empty form (a refused action shows the case page again), as
the case's caseworker. Whenever the answer holds the case's summary, notifier, child
reference or CPR number, the request must have written a row naming the case. Both
backends.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from factories import api_token, headers, login, make_team, make_user
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.models import AuditEvent, Notification, Role

NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)
SUMMARY = "Hemmelig-bekymring-7f3a"
CONTACT = "Hemmelig-underretter-9b2c"
CHILD = "SAG-HEMMELIG-4d1e"
CPR = "0101201234"
MARKERS = (SUMMARY, CONTACT, CHILD, "010120-1234", CPR)
# Answers that cannot show a case: signing out ends the walk's session; the feed has its test.
SKIPPED = {"static", "auth.logout", "admin.user_sign_out", "reports.calendar_feed"}


@pytest.fixture
def world(app, client, clock):
    nord = make_team("Team Nord")
    anna = make_user(role=Role.CASEWORKER, team=nord, name="Anna Andersen")
    login(client, anna)
    response = client.post(
        "/cases/new",
        data={
            "received_date": "2026-03-10",
            "received_time": "15:40",
            "channel": "phone",
            "notifier_kind": "professional",
            "notifier_contact": CONTACT,
            "child_reference": CHILD,
            "cpr_number": CPR,
            "age_group": "6-11",
            "concerns": ["neglect"],
            "summary": SUMMARY,
            "caseworker_id": str(anna.id),
        },
    )
    assert response.status_code == 302
    case = db.session.scalars(select(Notification)).one()
    return {"anna": anna, "case": case, "token": api_token(anna)}


def _views_of(case_id: int) -> int:
    db.session.expire_all()
    rows = db.session.scalars(select(AuditEvent)).all()
    return sum(
        1
        for row in rows
        if row.action.endswith(".view")
        and (row.case_id == case_id or case_id in (row.detail or {}).get("case_ids", []))
    )


def _url(rule, case, deadline_id) -> str:
    url = rule.rule
    for name in rule.arguments:
        converter = rule._converters[name]
        if isinstance(converter, IntegerConverter):
            value = str(deadline_id if "deadline" in name else case.id)
        else:
            value = "x"
        url = re.sub(rf"<(?:[^:<>]+:)?{name}>", value, url)
    return url


def _shows_the_case(response) -> bool:
    body = response.get_data(as_text=True)
    return any(marker in body for marker in MARKERS)


def test_every_answer_showing_case_content_is_audited_as_a_view(app, client, world):
    """Failed before: a refused action's 422 showed the summary, notifier and CPR unlogged."""
    case = world["case"]
    deadline_id = case.deadlines[0].id
    shown = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED:
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            if method == "POST" and "case_id" not in rule.arguments:
                continue  # only actions on a case show it again
            url = _url(rule, case, deadline_id)
            auth = headers(world["token"]) if url.startswith("/api/") else {}
            before = _views_of(case.id)
            response = client.open(url, method=method, data={}, headers=auth)
            if _shows_the_case(response):
                shown.append((method, url, response.status_code))
                assert _views_of(case.id) == before + 1, (method, url, response.status_code)
    # The walk saw the case page, the API's case and refused actions.
    assert ("GET", f"/cases/{case.id}", 200) in shown
    assert ("GET", f"/api/v1/notifications/{case.id}", 200) in shown
    assert sum(1 for method, _url, status in shown if method == "POST" and status == 422) >= 5


def test_the_list_of_open_cases_is_audited_with_the_cases_shown(app, client, world):
    """Failed before: /cases/ showed each case's concern without a row."""
    client.get("/cases/")
    db.session.expire_all()
    (row,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.NOTIFICATION_LIST_VIEW)
    ).all()
    assert row.user_id == world["anna"].id and row.detail["case_ids"] == [world["case"].id]


def test_a_refused_action_is_audited_once_as_a_view(app, client, world):
    case = world["case"]
    count = select(func.count()).where(AuditEvent.action == AuditAction.NOTIFICATION_VIEW)
    refused = client.post(f"/cases/{case.id}/close")
    assert refused.status_code == 422 and SUMMARY in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(count) == 1
