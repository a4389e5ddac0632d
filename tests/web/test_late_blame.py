"""Issue 12, bug 3: "met late" names whoever held the case when the deadline fell due."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from deadline_data import make_deadline
from factories import login, make_team, make_user

from tracker.cases import actions
from tracker.extensions import db
from tracker.models import Role

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.fixture
def world(app, clock):
    nord = make_team("Team Nord")
    leader = make_user(role=Role.LEADER, team=nord, name="Lone Leder")
    anna = make_user(team=nord, name="Anna Andersen")
    bo = make_user(team=nord, name="Bo Bertelsen")
    # Due 30 hours ago with Anna; completed 20 hours ago: late. Then Bo gets the case.
    late = make_deadline(nord, anna, starts_at=NOW - 54 * HOUR, completed_at=NOW - 20 * HOUR)
    db.session.flush()
    actions.reassign(late.notification, caseworker=bo, by=leader, now=NOW)
    db.session.commit()
    return dict(leader=leader, anna=anna, bo=bo, reference=late.notification.reference)


def test_met_late_names_the_caseworker_at_the_due_time(client, world):
    login(client, world["leader"])
    html = client.get("/dashboard?who=all&status=met_late").get_data(as_text=True)
    assert world["reference"] in html
    assert "Anna Andersen" in html and "Bo Bertelsen" not in html.split("<tbody")[-1]
    body = client.get("/dashboard.csv?who=all&status=met_late").get_data(as_text=True)
    (row,) = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))[1:]
    assert "Anna Andersen" in row and "Bo Bertelsen" not in row


def test_met_late_counts_on_the_old_caseworkers_own_list(client, world):
    login(client, world["anna"])
    assert world["reference"] in client.get("/dashboard?status=met_late").get_data(as_text=True)
    login(client, world["bo"])
    assert world["reference"] not in client.get("/dashboard?status=met_late").get_data(as_text=True)
