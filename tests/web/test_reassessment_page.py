"""The case page of a repeated underretning about a child with an open indsats shows the
genvurdering, and its own caseworker cannot complete it (a Danish message, 422)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from factories import login, make_team, make_user
from sqlalchemy import select

from tracker.cases import actions, decisions
from tracker.extensions import db
from tracker.models import Deadline, Role

NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)


def register(team, user, received_at):
    data = actions.NotificationInput(
        received_at=received_at,
        channel="police",
        notifier_kind="police",
        notifier_contact="Nordjyllands Politi",
        child_reference="SAG-REP",
        cpr_number=None,
        child_birth_date=None,
        age_group="12-14",
        concerns=("violence",),
        summary="Fortroligt",
        team_id=team.id,
        caseworker_id=user.id,
    )
    return actions.register_notification(data, registered_by=user, now=received_at)


def test_the_case_page_shows_the_reassessment_its_caseworker_cannot_complete(app, client, clock):
    clock.set(NOW)
    nord = make_team("Team Nord")
    anna = make_user(role=Role.CASEWORKER, team=nord, name="Anna")
    bo = make_user(role=Role.CASEWORKER, team=nord, name="Bo")
    earlier = register(nord, anna, NOW - timedelta(days=30))
    decisions.add_decision(
        earlier,
        kind="stoettende",
        decided_on=date(2026, 2, 20),
        started_on=date(2026, 2, 23),
        by=anna,
        now=NOW - timedelta(days=10),
    )
    new = register(nord, bo, NOW - timedelta(hours=2))
    db.session.commit()
    task = db.session.scalars(
        select(Deadline).where(Deadline.notification_id == new.id, Deadline.kind == "reassessment")
    ).one()
    login(client, bo)
    page = client.get(f"/cases/{new.id}").get_data(as_text=True)
    assert "Genvurdering ved en, der ikke før har været involveret" in page
    assert "barnets lov § 137, stk. 1" in page
    refused = client.post(
        f"/cases/{new.id}/deadlines/{task.id}/complete",
        data={"completed_date": "2026-03-11", "completed_time": "16:00", "note": ""},
    )
    assert refused.status_code == 422
    assert "Du er sagens rådgiver" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Deadline, task.id).completed_at is None
