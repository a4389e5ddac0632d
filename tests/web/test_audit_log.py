"""The audit log: written for views and changes, searched by leaders and admins, exported."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from deadline_data import make_deadline
from factories import login, make_team, make_user
from flask_login import login_user
from sqlalchemy import select

from tracker import audit
from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.models import AuditEvent, Notification, Role

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def teams(app):
    nord, syd = make_team("Team Nord"), make_team("Team Syd")
    people = {
        "anna": make_user(team=nord, name="Anna Andersen"),
        "lene": make_user(role=Role.LEADER, team=nord, name="Lene Lund"),
        "carl": make_user(team=syd, name="Carl Christensen"),
        "mads": make_user(role=Role.LEADER, team=syd, name="Mads Madsen"),
        "ada": make_user(role=Role.ADMIN, name="Ada Admin"),
    }
    nord_case = make_deadline(nord, people["anna"], starts_at=datetime(2026, 3, 2, tzinfo=UTC))
    syd_case = make_deadline(syd, people["carl"], starts_at=datetime(2026, 3, 2, tzinfo=UTC))
    db.session.commit()
    return {
        "nord": nord,
        "syd": syd,
        "nord_case": db.session.get(Notification, nord_case.notification_id),
        "syd_case": db.session.get(Notification, syd_case.notification_id),
        **people,
    }


def _events(**where) -> list[AuditEvent]:
    db.session.expire_all()
    statement = select(AuditEvent).filter_by(**where).order_by(AuditEvent.id)
    return list(db.session.scalars(statement))


def test_viewing_a_case_page_is_audited_without_case_content(client, teams):
    case = teams["nord_case"]
    login(client, teams["anna"])
    assert client.get(f"/cases/{case.id}").status_code == 200
    (event,) = _events(action=AuditAction.NOTIFICATION_VIEW, case_id=case.id)
    assert (event.user_id, event.team_id, event.object_type) == (
        teams["anna"].id,
        teams["nord"].id,
        "notification",
    )
    assert event.remote_addr == "127.0.0.1"
    for value in (event.detail or {}).values():
        assert case.summary not in str(value) and case.child_reference not in str(value)


def test_a_change_to_a_user_is_audited(client, teams):
    login(client, teams["ada"])
    client.post(
        f"/admin/users/{teams['anna'].id}",
        data={"name": "Anna A", "email": "anna.a@nord.dk", "role": "caseworker", "team_id": 0},
    )
    assert _events(action=AuditAction.USER_UPDATE) == []  # refused: a caseworker needs a team
    client.post(
        f"/admin/users/{teams['anna'].id}",
        data={
            "name": "Anna A",
            "email": "anna.a@nord.dk",
            "role": "caseworker",
            "team_id": teams["nord"].id,
            "active": "y",
        },
    )
    (event,) = _events(action=AuditAction.USER_UPDATE)
    assert (event.user_id, event.object_id) == (teams["ada"].id, str(teams["anna"].id))


def test_leaders_search_their_teams_events_by_case_user_and_date(client, teams):
    login(client, teams["anna"])
    client.get(f"/cases/{teams['nord_case'].id}")
    login(client, teams["carl"])
    client.get(f"/cases/{teams['syd_case'].id}")
    login(client, teams["lene"])

    page = client.get("/audit/", query_string={"case": teams["nord_case"].reference.lower()})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Anna Andersen" in html and f"/audit/cases/{teams['nord_case'].id}.csv" in html
    everything = client.get("/audit/", query_string={"since": "2020-01-01"})
    html = everything.get_data(as_text=True)
    assert "Anna Andersen" in html and "Carl Christensen" not in html
    by_user = client.get("/audit/", query_string={"user_id": teams["anna"].id})
    assert "Anna Andersen" in by_user.get_data(as_text=True)
    # Carl is not Lene's to search for: not even offered.
    refused = client.get("/audit/", query_string={"user_id": teams["carl"].id})
    assert refused.status_code == 400
    assert "Ikke et gyldigt valg." in refused.get_data(as_text=True)
    future = client.get("/audit/", query_string={"since": "2200-01-01"})
    assert "Intet fundet." in future.get_data(as_text=True)


def test_admins_search_everything(client, teams):
    login(client, teams["carl"])
    client.get(f"/cases/{teams['syd_case'].id}")
    login(client, teams["ada"])
    html = client.get("/audit/", query_string={"case": teams["syd_case"].id}).get_data(as_text=True)
    assert "Carl Christensen" in html


@pytest.mark.parametrize(
    "query",
    [
        {"case": "U-1999-999999"},
        {"case": "x" * 100},
        {"since": "igår"},
        {"until": "2026-13-45"},
        {"user_id": "abc"},
    ],
)
def test_bad_searches_get_a_danish_400(client, teams, query):
    login(client, teams["lene"])
    response = client.get("/audit/", query_string=query)
    assert response.status_code == 400
    assert 'class="form-error-message"' in response.get_data(as_text=True)


def test_caseworkers_cannot_search_the_log(client, teams):
    login(client, teams["anna"])
    assert client.get("/audit/").status_code == 403
    assert client.get(f"/audit/cases/{teams['nord_case'].id}.csv").status_code == 403


def test_a_cases_log_exports_as_csv_for_a_citizens_request(client, teams):
    case = teams["nord_case"]
    login(client, teams["anna"])
    client.get(f"/cases/{case.id}")
    client.get(f"/cases/{case.id}")
    login(client, teams["lene"])
    response = client.get(f"/audit/cases/{case.id}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")  # Danish Excel reads it as UTF-8
    rows = read_case_csv(response)
    assert [row["Handling"] for row in rows] == ["Så sagen", "Så sagen"]
    assert {row["Bruger"] for row in rows} == {"Anna Andersen"}
    assert {row["Rolle"] for row in rows} == {"Rådgiver"}
    assert {row["Sag"] for row in rows} == {case.reference}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", rows[0]["Tidspunkt"])  # local time
    # The export itself is in the log, and shows in the next export.
    assert _events(action=AuditAction.AUDIT_LOG_EXPORT)[0].case_id == case.id
    again = read_case_csv(client.get(f"/audit/cases/{case.id}.csv"))
    assert again[-1]["Handling"] == "Eksporterede adgangsloggen"
    assert again[-1]["Bruger"] == "Lene Lund"


def test_rows_written_under_the_old_names_read_as_todays_actions(client, teams):
    """The log is append-only: older rows keep their names and are read through the aliases."""
    case, anna = teams["nord_case"], teams["anna"]
    old = [("viewed", "notification"), ("deadline.not_applicable", "notification")]
    old += [("notification.assessment_outcome", "notification")]
    for action, object_type in old:
        db.session.add(
            AuditEvent(
                at=NOW,
                user_id=anna.id,
                action=action,
                object_type=object_type,
                object_id=str(case.id),
                case_id=case.id,
            )
        )
    db.session.add(AuditEvent(at=NOW, action="user_created", object_type="user", object_id="9"))
    db.session.add(AuditEvent(at=NOW, action="viewed", object_type="user", object_id="9"))
    db.session.commit()
    login(client, teams["ada"])
    rows = read_case_csv(client.get(f"/audit/cases/{case.id}.csv"))
    assert [row["Handling"] for row in rows] == [
        "Så sagen",
        "Markerede en frist som ikke relevant",
        "Registrerede vurderingens resultat",
    ]
    html = client.get("/audit/", query_string={"since": "2026-04-01"}).get_data(as_text=True)
    assert "Oprettede en bruger" in html and "Så en bruger" in html
    assert "viewed" not in html and "user_created" not in html and "user.create" not in html
    stored = [e.action for e in _events(case_id=case.id, user_id=anna.id)]
    assert stored == [action for action, _ in old]  # read anew, never rewritten


def test_another_teams_leader_cannot_export_the_case(client, teams):
    login(client, teams["mads"])
    assert client.get(f"/audit/cases/{teams['nord_case'].id}.csv").status_code == 404
    assert _events(action=AuditAction.AUDIT_LOG_EXPORT) == []


def test_csv_cells_cannot_become_spreadsheet_formulas(client, teams):
    from tracker.models import User

    evil = make_user(team=teams["nord"], name='=HYPERLINK("http://x")')
    audit.record(
        AuditAction.NOTIFICATION_VIEW,
        actor=evil,
        at=NOW,
        object_type="notification",
        object_id=teams["nord_case"].id,
    )
    db.session.commit()
    login(client, db.session.get(User, teams["ada"].id))
    body = client.get(f"/audit/cases/{teams['nord_case'].id}.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in body


def read_case_csv(response) -> list[dict[str, str]]:
    text = response.get_data(as_text=True).removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_access_log_speaks_danish_and_names_cases_by_reference(client, teams):
    case = teams["nord_case"]
    login(client, teams["anna"])
    client.get(f"/cases/{case.id}")
    login(client, teams["lene"])
    html = client.get("/audit/", query_string={"case": case.reference}).get_data(as_text=True)
    assert "Så sagen" in html and case.reference in html
    assert "notification" not in html.split("<tbody")[-1]
    assert f"#{case.id}" not in html
    first_option = re.search(r'<select[^>]*id="user_id"[^>]*>\s*<option[^>]*>([^<]*)<', html)
    assert first_option.group(1) == "Alle brugere"


def test_every_action_has_a_danish_label():
    from tracker.text.audit_labels import AUDIT_ACTION_LABELS

    assert set(AUDIT_ACTION_LABELS) == set(AuditAction)


class TestRecord:
    """tracker.audit.record() itself."""

    def test_every_action_is_named_object_dot_verb_and_old_names_stay_old(self):
        for action in AuditAction:
            assert re.fullmatch(r"[a-z_]+\.[a-z_]+", action), action
            assert len(action) <= AuditEvent.action.type.length
        # An old name is never reused for something new: stored rows must keep meaning one thing.
        assert not {name for name, _object_type in audit.LEGACY_ACTIONS} & set(AuditAction)

    def test_outside_a_request_there_is_no_address(self, app):
        event = audit.record(
            AuditAction.TEAM_CREATE, actor=None, at=NOW, object_type="team", object_id=7
        )
        db.session.commit()
        assert (event.user_id, event.remote_addr, event.object_id) == (None, None, "7")
        assert event.at == NOW

    def test_it_refuses_to_guess_who_acts(self, app, teams):
        """No actor, no row: not even inside a signed-in request is the user taken from it."""
        with app.test_request_context("/"):
            login_user(teams["anna"])
            with pytest.raises(TypeError, match="actor"):
                audit.record(AuditAction.NOTIFICATION_VIEW, at=NOW)  # type: ignore[call-arg]
            system = audit.record(AuditAction.TEAM_CREATE, actor=None, at=NOW)
            assert system.user_id is None  # None is the system, as passed, not the session's
        with pytest.raises(ValueError):
            audit.record("viewed", actor=None, at=NOW)  # an old or unknown name is not written
        with pytest.raises(TypeError, match="actor"):
            audit.record(AuditAction.TEAM_CREATE, actor=teams["anna"].id, at=NOW)

    def test_case_events_carry_the_case_id(self, app):
        event = audit.record(
            AuditAction.NOTIFICATION_VIEW,
            actor=None,
            at=NOW,
            object_type=audit.CASE_OBJECT_TYPE,
            object_id=42,
        )
        assert event.case_id == 42
        inner = audit.record(
            AuditAction.DEADLINE_COMPLETE,
            actor=None,
            at=NOW,
            object_type="deadline",
            object_id=5,
            case_id=42,
        )
        assert inner.case_id == 42

    @pytest.mark.parametrize(
        "detail",
        [
            {"summary": "Barnet kommer sultent i skole og har blå mærker på armene " * 2},
            {"nested": {"cpr": "0102031234"}},
            {"amount": 1.5},
        ],
    )
    def test_detail_refuses_anything_but_ids_and_short_names(self, app, detail):
        with pytest.raises(ValueError, match="ids or short names"):
            audit.record(AuditAction.USER_UPDATE, actor=None, at=NOW, detail=detail)

    def test_detail_accepts_ids_flags_and_field_names(self, app):
        event = audit.record(
            AuditAction.USER_UPDATE,
            actor=None,
            at=NOW,
            detail={"fields": ["status", "team_id"], "to": 3},
        )
        assert event.detail == {"fields": ["status", "team_id"], "to": 3}

    def test_failed_login_rows_survive_the_failed_request(self, app, client):
        """The failed-login row is committed although the sign-in itself fails."""
        client.post("/login", data={"email": "x@y.dk", "password": "forkert-forkert"})
        assert len(_events(action=AuditAction.USER_LOGIN_FAILED)) == 1
