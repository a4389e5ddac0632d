"""Exports: CSV of the dashboard and the report, the calendar feed, and their audit rows."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from deadline_data import make_deadline
from factories import login, make_team, make_user
from icalendar import Calendar
from sqlalchemy import select

from tracker.audit import AuditAction
from tracker.domain.local_time import end_of_local_day
from tracker.extensions import db
from tracker.models import AuditEvent, Role, User

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)  # Friday before the change to summer time
H = timedelta(hours=1)


@pytest.fixture
def world(app, clock):
    nord, syd = make_team("Team Nørd"), make_team("Team Syd")
    leader = make_user(role=Role.LEADER, team=nord, name="Søren Ærø")
    anna = make_user(team=nord, name="Anna Åberg")
    carl = make_user(team=syd, name="Carl")
    # Received Saturday 28 March 11:00 CET; 24 elapsed hours later is Sunday 12:00 CEST.
    dst = make_deadline(nord, anna, starts_at=datetime(2026, 3, 28, 10, 0, tzinfo=UTC))
    receipt = make_deadline(
        nord,
        anna,
        kind="receipt",
        starts_at=NOW,
        due_date=date(2026, 4, 7),
        overdue_from=end_of_local_day(date(2026, 4, 7)),
        notification=dst.notification,
    )
    overdue = make_deadline(nord, anna, starts_at=NOW - 30 * H)
    late = make_deadline(nord, anna, starts_at=NOW - 60 * H, completed_at=NOW - 10 * H)
    secret = make_deadline(syd, carl, starts_at=NOW - 30 * H)
    db.session.commit()
    return dict(
        nord=nord,
        syd=syd,
        leader=leader,
        anna=anna,
        carl=carl,
        dst=dst,
        receipt=receipt,
        overdue=overdue,
        late=late,
        secret=secret,
    )


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # the BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


EXPORTS = [AuditAction.DASHBOARD_EXPORT, AuditAction.REPORT_EXPORT, AuditAction.CALENDAR_EXPORT]


def exports() -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action.in_(EXPORTS))))


def test_dashboard_csv_has_the_columns_and_the_filtered_rows(client, world):
    login(client, world["leader"])
    response = client.get("/dashboard.csv?who=all&status=overdue")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header == [
        "Sag",
        "Frist",
        "Udløber",
        "Status",
        "Tid til eller over fristen",
        "Udført",
        "Rådgiver",
        "Team",
    ]
    assert [row[0] for row in rows] == [world["overdue"].notification.reference]
    assert rows[0][1] == "24-timers vurdering" and rows[0][3] == "Overskredet"
    assert rows[0][6:] == ["Anna Åberg", "Team Nørd"]
    everything = read_csv(client.get("/dashboard.csv?who=all"))
    references = {row[0] for row in everything[1:]}
    assert world["secret"].notification.reference not in references
    text = client.get("/dashboard.csv?who=all").get_data(as_text=True)
    assert "Fortroligt" not in text and "BARN-" not in text  # no free text, no child reference


def test_dashboard_csv_is_audited_with_what_was_exported(client, world):
    login(client, world["leader"])
    client.get("/dashboard.csv?who=all&status=met_late")
    (event,) = exports()
    assert event.user_id == world["leader"].id
    assert event.object_type == "dashboard" and event.team_id == world["nord"].id
    assert event.detail["status"] == "met_late" and event.detail["rows"] == 1


def test_report_csv_for_leaders_only(client, world):
    login(client, world["leader"])
    response = client.get("/reports/compliance.csv?from=2026-03&to=2026-03")
    header, *rows = read_csv(response)
    assert header == [
        "Måned",
        "Frist",
        "Overholdt",
        "Overholdt for sent",
        "Stadig overskredet",
        "Endnu ikke udløbet",
        "Andel til tiden (%)",
        "Median tid til udførelse (timer)",
        "90. percentil (timer)",
    ]
    assert rows == [["2026-03", "24-timers vurdering", "0", "1", "1", "1", "0,0", "50,0", "50,0"]]
    (event,) = exports()
    assert event.detail["what"] == "compliance_report"
    login(client, world["anna"])
    assert client.get("/reports/compliance.csv").status_code == 403
    assert client.get("/reports/compliance").status_code == 403


def test_report_page_shows_a_chart_and_the_table(client, world):
    login(client, world["leader"])
    html = client.get("/reports/compliance?from=2026-02&to=2026-03").get_data(as_text=True)
    assert "<svg" in html and 'role="img"' in html
    assert 'id="report-table"' in html and "2,1 dage" in html
    assert client.get(f"/reports/compliance?team={world['syd'].id}").status_code == 404
    assert client.get("/reports/compliance?from=2026-13").status_code == 400
    assert client.get("/reports/intake?from=2026-01&to=2026-03").status_code == 200


def new_feed_url(client) -> str:
    html = client.post("/calendar").get_data(as_text=True)
    return re.search(r'value="(http[^"]+\.ics)"', html).group(1)


def test_calendar_feed_times_across_the_daylight_saving_change(client, app, world):
    login(client, world["anna"])
    url = new_feed_url(client)
    anonymous = app.test_client()  # the feed needs no session: the token is the key
    response = anonymous.get(url.removeprefix("http://127.0.0.1:5000"))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.get_data())
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    dst = events[f"deadline-{world['dst'].id}@127.0.0.1"]
    end = dst.decoded("DTEND")
    assert end == datetime(2026, 3, 29, 12, 0, tzinfo=COPENHAGEN)
    assert end.utcoffset() == timedelta(hours=2) and str(end.tzinfo) == "Europe/Copenhagen"
    assert dst.decoded("DTSTART") == datetime(2026, 3, 29, 11, 30, tzinfo=COPENHAGEN)
    assert b"TZID=Europe/Copenhagen" in response.get_data()
    assert b"This timezone" not in response.get_data()  # no English in the feed
    (alarm,) = dst.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY" and alarm["TRIGGER"].params["RELATED"] == "END"
    assert alarm.decoded("TRIGGER") == timedelta(hours=-2)
    assert str(alarm["DESCRIPTION"]).startswith("Frist snart: 24-timers vurdering")
    (day_alarm,) = events[f"deadline-{world['receipt'].id}@127.0.0.1"].walk("VALARM")
    assert day_alarm.decoded("TRIGGER") == timedelta(hours=-15)  # 09:00 the day before
    receipt = events[f"deadline-{world['receipt'].id}@127.0.0.1"]
    assert receipt.decoded("DTSTART") == date(2026, 4, 7)  # all day: met until the day ends
    summary = str(dst["SUMMARY"])
    assert summary == f"24-timers vurdering · {world['dst'].notification.reference}"
    body = response.get_data(as_text=True)
    assert "Fortroligt" not in body and "BARN-" not in body and "Anna" not in body
    assert f"/cases/{world['dst'].notification_id}" in body
    assert world["secret"].notification.reference not in body
    assert len(events) == 3  # Anna's open deadlines: not the completed one
    (event,) = exports()
    assert event.user_id == world["anna"].id and event.detail["what"] == "calendar"


def test_a_new_calendar_token_kills_the_old_feed(client, app, world):
    login(client, world["anna"])
    first = new_feed_url(client).removeprefix("http://127.0.0.1:5000")
    second = new_feed_url(client).removeprefix("http://127.0.0.1:5000")
    anonymous = app.test_client()
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    stored = db.session.scalar(select(User.calendar_token_hash).where(User.id == world["anna"].id))
    assert stored and second.split("/")[-1].removesuffix(".ics") not in stored
    client.post("/calendar/off")
    assert anonymous.get(second).status_code == 404
    assert anonymous.get("/calendar/guess.ics").status_code == 404
