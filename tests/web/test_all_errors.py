"""Issue 12, bug 5: every error at once, in the error summary, and next to the failed form."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from factories import login, make_team, make_user
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Role
from tracker.models.cases import Notification

NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)


@pytest.fixture
def anna(app, client, clock):
    user = make_user(role=Role.CASEWORKER, team=make_team("Team Nord"), name="Anna Andersen")
    login(client, user)
    return user


def summary_links(html: str) -> list[str]:
    start = html.index('id="error-summary-heading"')
    block = html[start : html.index("</ul>", start)]
    return re.findall(r'<a href="#([a-z_]+)">', block)


def test_an_empty_form_names_every_missing_field_at_once(client, anna):
    response = client.post("/cases/new", data={"caseworker_id": str(anna.id)})
    assert response.status_code == 422
    links = summary_links(response.get_data(as_text=True))
    expected = {
        "received_date",
        "received_time",
        "channel",
        "notifier_kind",
        "child_reference",
        "concerns",
        "summary",
    }
    assert expected <= set(links)
    assert len(links) == len(set(links))  # one message a field


def test_a_rule_error_shows_with_a_form_error(client, anna):
    data = {
        "received_date": "2026-03-10",
        "received_time": "15:40",
        "channel": "",  # a form error
        "notifier_kind": "professional",
        "notifier_contact": "",  # a rule error: a professional must be reachable
        "child_reference": "SAG-1",
        "concerns": "neglect",
        "summary": "x",
        "age_group": "",
        "caseworker_id": str(anna.id),
    }
    response = client.post("/cases/new", data=data)
    links = summary_links(response.get_data(as_text=True))
    assert set(links) == {"channel", "notifier_contact"}


def test_on_the_case_page_the_error_is_next_to_its_form(client, anna):
    data = {
        "received_date": "2026-03-10",
        "received_time": "15:40",
        "channel": "phone",
        "notifier_kind": "professional",
        "notifier_contact": "Skolen",
        "child_reference": "SAG-1",
        "concerns": "neglect",
        "summary": "x",
        "age_group": "",
        "caseworker_id": str(anna.id),
    }
    assert client.post("/cases/new", data=data).status_code == 302
    case_id = db.session.scalars(select(Notification.id)).one()
    response = client.post(f"/cases/{case_id}/close", data={"reason": "Færdig"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<a href="#close">' in html  # the summary at the top links to the form
    inline = html.index("inline-error")
    close = html.index('id="close"')
    assert close < inline < html.index("</details>", close)  # inside the closing form's part
