"""/reports/intake.csv: one row per underretning, Danmarks Statistik's shape; the form's and
the case page's new fields (gender, sector, several concerns, unborn child)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from factories import api_token, login, make_team, make_user
from factories import headers as bearer
from sqlalchemy import select

from tracker.audit import AuditAction
from tracker.cases import actions
from tracker.extensions import db
from tracker.models import AuditEvent, Notification, Role

NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)


@pytest.fixture
def world(app, clock):
    clock.set(NOW)
    nord = make_team("Team Nord")
    leader = make_user(role=Role.LEADER, team=nord)
    anna = make_user(team=nord)
    db.session.commit()
    return nord, leader, anna


def register(team, user, **fields):
    values = dict(
        received_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        channel="email",
        notifier_kind="professional",
        notifier_contact="Lærer Birthe, tlf. 12345678",
        child_reference="SAG-1",
        cpr_number="0101154001",
        child_birth_date=date(2015, 1, 1),
        age_group=None,
        concerns=("violence", "school_absence"),
        summary="Hemmeligt resumé",
        team_id=team.id,
        caseworker_id=user.id,
        child_gender="boy",
        notifier_sector="school",
    )
    values.update(fields)
    actions.register_notification(actions.NotificationInput(**values), registered_by=user, now=NOW)
    db.session.commit()


def rows_of(response) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_intake_csv_has_one_row_per_notification_and_no_personal_data(client, world):
    nord, leader, anna = world
    register(nord, anna)
    register(
        nord,
        anna,
        child_reference="SAG-2",
        cpr_number=None,
        child_birth_date=None,
        expected_birth_date=date(2026, 7, 1),
        notifier_kind="police",
        notifier_sector="police_court",
        concerns=("neglect",),
        child_gender="unknown",
    )
    login(client, leader)
    response = client.get("/reports/intake.csv?from=2026-03&to=2026-03")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = rows_of(response)
    assert rows[0] == [
        "modtaget",
        "sag",
        "barnets_reference",
        "underretter_sektor",
        "aarsager",
        "alder_ved_modtagelse",
        "aldersgruppe",
        "koen",
    ]
    assert [row[2:] for row in rows[1:]] == [
        ["SAG-1", "Skole", "Vold, Skolefravær", "11", "6-11 år", "Dreng"],
        [
            "SAG-2",
            "Politi eller domstol",
            "Omsorgssvigt",
            "",
            "Ufødt barn (vordende forældre)",
            "Ukendt",
        ],
    ]
    assert rows[1][0] == "2026-03-02"
    body = response.get_data(as_text=True)
    for secret in ("0101154001", "010115", "Hemmeligt", "Birthe"):
        assert secret not in body
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.REPORT_EXPORT)
    ).one()
    assert event.detail["what"] == "intake_rows"


def test_intake_csv_is_for_leaders(client, world):
    _nord, _leader, anna = world
    login(client, anna)
    assert client.get("/reports/intake.csv").status_code == 403


def test_the_form_takes_several_concerns_gender_sector_and_an_unborn_child(client, world):
    _nord, _leader, anna = world
    login(client, anna)
    page = client.get("/cases/new").get_data(as_text=True)
    assert 'name="concerns"' in page and 'value="police_court"' in page
    response = client.post(
        "/cases/new",
        data={
            "received_date": "2026-03-10",
            "received_time": "15:40",
            "channel": "phone",
            "notifier_kind": "professional",
            "notifier_sector": "health",
            "notifier_contact": "Sundhedsplejen",
            "child_reference": "SAG-9",
            "expected_birth_date": "2026-08-01",
            "child_gender": "unknown",
            "concerns": ["substance_abuse", "parental_mental_health"],
            "summary": "Gravid med misbrug.",
            "caseworker_id": str(anna.id),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    notification = db.session.scalars(select(Notification)).one()
    assert notification.concern_categories == ["substance_abuse", "parental_mental_health"]
    assert notification.expected_birth_date == date(2026, 8, 1)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Terminsdato" in page and "ufødt barn" in page
    assert "Misbrug, Forælders psykiske helbred" in page or "Misbrug" in page
    assert "Sundhedsvæsen" in page


def test_the_api_takes_concerns_and_the_older_concern_category(client, world):
    _nord, _leader, anna = world
    headers = bearer(api_token(anna))
    body = {
        "received_at": "2026-03-10T15:40:00+01:00",
        "channel": "email",
        "notifier_kind": "professional",
        "notifier_contact": "Skolen",
        "child_reference": "SAG-A",
        "summary": "x",
    }
    new = client.post(
        "/api/v1/notifications",
        json={**body, "concerns": ["violence", "crime"], "notifier_sector": "school"},
        headers=headers,
    )
    assert new.status_code == 201, new.get_json()
    assert new.get_json()["concerns"] == ["violence", "crime"]
    assert new.get_json()["concern_category"] == "violence"
    old = client.post(
        "/api/v1/notifications", json={**body, "concern_category": "crime"}, headers=headers
    )
    assert old.status_code == 201 and old.get_json()["concerns"] == ["crime"]
    wrong = client.post(
        "/api/v1/notifications", json={**body, "concerns": "crime,violence"}, headers=headers
    )
    assert wrong.status_code in (400, 422)
    assert "concerns" in wrong.get_json()["fields"]
