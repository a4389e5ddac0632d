"""What the load test (bench/load.py) found: statements a page sent that it did not need.

The case list loaded each case's caseworker with a query of its own (one per person in
the team), and a registration loaded the new case again after its commit only to read
its reference and id for the message and the redirect. Both backends.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from factories import login, make_team, make_user
from sqlalchemy import event

from tracker.extensions import db
from tracker.models import Role

# Wednesday 11 March 2026, 16:30 in Copenhagen.
NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)


@contextmanager
def statements():
    """Collect the SQL statements sent to the database inside the block."""
    sent: list[str] = []

    def note(_conn, _cursor, statement, _params, _context, _many):
        sent.append(" ".join(statement.split()))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)


def registration(caseworker_id: int, reference: str) -> dict:
    return {
        "received_date": "2026-03-10",
        "received_time": "15:40",
        "channel": "phone",
        "notifier_kind": "citizen",
        "notifier_contact": "Nabo",
        "child_reference": reference,
        "cpr_number": "",
        "child_birth_date": "",
        "age_group": "6-11",
        "concern_category": "neglect",
        "summary": "Bekymring.",
        "caseworker_id": str(caseworker_id),
    }


@pytest.fixture
def team_with_cases(app, client, clock):
    """A leader signed in, and one case for each of five caseworkers in the team."""
    team = make_team("Team Syd")
    leader = make_user(role=Role.LEADER, team=team)
    workers = [make_user(role=Role.CASEWORKER, team=team) for _ in range(5)]
    login(client, leader)
    for number, worker in enumerate(workers):
        response = client.post("/cases/new", data=registration(worker.id, f"SAG-{number}"))
        assert response.status_code == 302
    return workers


def test_the_case_list_loads_the_caseworkers_with_the_cases(client, team_with_cases):
    with statements() as sent:
        response = client.get("/cases/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert all(worker.name in html for worker in team_with_cases)
    user_queries = [s for s in sent if re.match(r"SELECT users\.id", s)]
    # The signed-in user, nothing per case (before: one more query per caseworker).
    assert len(user_queries) == 1, user_queries


def test_registration_does_not_load_the_new_case_again_after_its_commit(client, team_with_cases):
    with statements() as sent:
        response = client.post("/cases/new", data=registration(team_with_cases[0].id, "SAG-9"))
    assert response.status_code == 302
    inserted = max(i for i, s in enumerate(sent) if s.startswith("INSERT INTO notifications"))
    reloads = [s for s in sent[inserted:] if s.startswith("SELECT notifications.")]
    assert reloads == []
    case_id = int(re.search(r"/cases/(\d+)$", response.headers["Location"]).group(1))
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "er registreret" in page  # the message still names the reference
