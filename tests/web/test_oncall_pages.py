"""The on-call rota and opening hours pages: who is on call now, kept by leaders and admins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from factories import login, make_team, make_user
from sqlalchemy import select

from tracker.domain.local_time import COPENHAGEN
from tracker.extensions import db
from tracker.models import AuditEvent, OnCallShift, Role
from tracker.people import oncall

# Friday 4 December 2026, 19:45 in Copenhagen: closed.
NOW = datetime(2026, 12, 4, 19, 45, tzinfo=COPENHAGEN).astimezone(UTC)


def test_a_leader_adds_a_shift_and_everyone_sees_who_is_on_call_now(app, client, clock):
    team = make_team("Team Nord")
    leader = make_user(role=Role.LEADER, team=team, name="Lise Leder")
    vagt = make_user(role=Role.CASEWORKER, team=team, name="Viggo Vagt", email="viggo@k.test")
    login(client, leader)
    answer = client.post(
        "/on-call/shifts",
        data={
            "start_date": "2026-12-04", "start_time": "15:00",
            "end_date": "2026-12-07", "end_time": "08:00",
            "user_id": str(vagt.id), "sms_email": "4512345678@sms.k.test",
        },
    )  # fmt: skip
    assert answer.status_code == 302
    [who] = oncall.on_call_recipients(NOW)
    assert (who.email, who.user_id, who.sms_email) == (
        "viggo@k.test",
        vagt.id,
        "4512345678@sms.k.test",
    )
    assert (
        db.session.scalar(
            select(AuditEvent.action).where(AuditEvent.object_type == "on_call_shift")
        )
        == "on_call_shift.create"
    )

    login(client, vagt)  # a caseworker reads the page, but may not keep the rota
    page = client.get("/on-call/").get_data(as_text=True)
    assert "Viggo Vagt" in page and "lukket" in page
    assert client.post("/on-call/shifts", data={}).status_code == 403
    shift = db.session.scalar(select(OnCallShift))
    assert client.post(f"/on-call/shifts/{shift.id}/withdraw").status_code == 403

    login(client, leader)
    assert client.post(f"/on-call/shifts/{shift.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert oncall.on_call_recipients(NOW) == []  # no default address configured
    assert db.session.scalar(select(OnCallShift.withdrawn_at)) is not None  # the row stays


def test_a_gap_in_the_rota_falls_back_to_the_default_address(app, monkeypatch):
    monkeypatch.setitem(app.config, "ONCALL_DEFAULT_EMAIL", "socialvagt@k.test")
    oncall.add_shift(
        starts_at=NOW - timedelta(hours=5), ends_at=NOW - timedelta(hours=1),
        email="dagvagt@k.test", label="Dagvagten", by=None, now=NOW,
    )  # fmt: skip
    [who] = oncall.on_call_recipients(NOW)
    assert (who.email, who.shift_id) == ("socialvagt@k.test", None)
    [earlier] = oncall.on_call_recipients(NOW - timedelta(hours=2))
    assert (earlier.email, earlier.label) == ("dagvagt@k.test", "Dagvagten")


def test_a_bad_shift_is_refused_in_danish(app, client, clock):
    admin = make_user(role=Role.ADMIN)
    login(client, admin)
    answer = client.post(
        "/on-call/shifts",
        data={
            "start_date": "2026-12-04", "start_time": "15:00",
            "end_date": "2026-12-04", "end_time": "08:00", "user_id": "0",
            "email": "vagt@k.test",
        },
    )  # fmt: skip
    assert answer.status_code == 422
    assert "En vagt skal slutte, efter den begynder." in answer.get_data(as_text=True)
    assert db.session.scalar(select(OnCallShift)) is None


def test_the_opening_hours_page_shows_the_week_and_the_closed_weekdays(app, client, clock):
    login(client, make_user(role=Role.CASEWORKER))
    page = client.get("/opening-hours/").get_data(as_text=True)
    assert "08:00-13:30" in page and "juleaftensdag" in page
