"""The case pages: registering an underretning, the case page and its actions (both backends)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from factories import login, make_team, make_user
from rulebooks import SHIPPED
from sqlalchemy import func, select

from tracker.audit import AuditAction
from tracker.domain.local_time import COPENHAGEN
from tracker.domain.rules import compute_notification_deadlines
from tracker.extensions import db
from tracker.models import AuditEvent, Deadline, Notification, Role, TimelineEntry

# Wednesday 11 March 2026, 16:30 in Copenhagen (UTC+1).
NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)


@pytest.fixture
def anna(app, client, clock):
    """A caseworker in Team Nord, signed in."""
    user = make_user(role=Role.CASEWORKER, team=make_team("Team Nord"), name="Anna Andersen")
    login(client, user)
    return user


def form_data(user, **overrides) -> dict:
    """Return a valid registration form: received yesterday at 15:40 from a professional."""
    data = {
        "received_date": "2026-03-10",
        "received_time": "15:40",
        "channel": "phone",
        "notifier_kind": "professional",
        "notifier_contact": "Lærer på skolen, tlf. 12 34 56 78",
        "child_reference": "SAG-2026-0001",
        "cpr_number": "",
        "child_birth_date": "",
        "age_group": "6-11",
        "concerns": ["neglect"],
        "summary": "Barnet kommer sultent i skole.",
        "caseworker_id": str(user.id),
    }
    data.update(overrides)
    return data


def register(client, user, **overrides):
    return client.post("/cases/new", data=form_data(user, **overrides))


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def text_of(response) -> str:
    """Return the visible text of a page's main content, whitespace collapsed."""
    html = response.get_data(as_text=True)
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_form_defaults_to_now_in_local_time_and_the_current_user(client, anna):
    response = client.get("/cases/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="2026-03-11"' in html
    assert 'value="16:30"' in html
    assert f'<option selected value="{anna.id}">Anna Andersen</option>' in html
    assert "Registrér underretning" in html


def test_register_lands_on_the_case_page_with_its_deadlines(client, anna):
    response = register(client, anna)
    assert response.status_code == 302
    notification = db.session.scalars(select(Notification)).one()
    assert response.headers["Location"].endswith(f"/cases/{notification.id}")
    assert notification.received_at == datetime(2026, 3, 10, 14, 40, tzinfo=UTC)
    assert notification.team_id == anna.team_id and notification.caseworker_id == anna.id

    page = text_of(client.get(response.headers["Location"]))
    assert f"Underretningen {notification.reference} er registreret." in page
    assert "24-timers vurdering Overskredet" in page
    assert "50 minutter over fristen" in page
    expected = compute_notification_deadlines(
        notification.received_at,
        notifier_kind="professional",
        notifier_identifiable=True,
        rules=SHIPPED,
    )
    receipt_day = expected[1].due_date
    assert receipt_day == date(2026, 3, 18)
    assert "udløber ved udgangen af ons. 18. mar. 2026" in page
    assert "§ 137" not in page
    assert "barnets lov § 136" in page
    assert "barnets lov: pligten til at bekræfte modtagelsen" in page
    # Receipt and orientation are cited without a number: the jurist is asked to confirm.
    assert page.count("Lovhenvisningen bør bekræftes af kommunens jurist.") == 2
    assert "Regelgrundlag: version «barnets-lov-2024»" in page
    assert "Modtaget tirsdag 2026-03-10 kl. 15:40 (dansk tid)" in page  # the trace


def test_anonymous_notifier_needs_no_contact_and_gets_no_receipt_deadline(client, anna):
    response = register(client, anna, notifier_kind="anonymous", notifier_contact="")
    assert response.status_code == 302
    kinds = set(db.session.scalars(select(Deadline.kind)))
    assert kinds == {"assessment"}


def test_cpr_gives_the_birth_date_and_shows_only_on_the_case_page(client, anna):
    response = register(client, anna, cpr_number="010115-4000", age_group="")
    notification = db.session.scalars(select(Notification)).one()
    assert notification.cpr_number == "0101154000"
    assert notification.child_birth_date == date(2015, 1, 1)
    assert "010115-4000" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert "010115" not in client.get("/cases/").get_data(as_text=True)


def test_the_summary_is_escaped(client, anna):
    response = register(client, anna, summary='<script>alert("x")</script>')
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html


REFUSALS = [
    (
        {"received_date": "2026-03-11", "received_time": "16:36"},
        "mere end 5 minutter ude i fremtiden",
    ),
    ({"received_date": "", "received_time": ""}, "Feltet skal udfyldes."),
    ({"received_time": "25:99"}, ""),
    ({"received_date": "2026-03-29", "received_time": "02:30"}, "uret blev stillet frem"),
    ({"notifier_contact": ""}, "Angiv hvordan underretteren kan kontaktes"),
    ({"notifier_kind": "anonymous"}, "En anonym underretter har ingen kontaktoplysninger"),
    ({"notifier_kind": "martian"}, "Ikke et gyldigt valg."),
    ({"channel": ""}, "Vælg en af mulighederne."),
    ({"concerns": ""}, "Vælg mindst én årsag."),
    ({"child_reference": ""}, "Angiv barnets sagsnummer."),
    ({"child_reference": "x" * 65}, "Højst 64 tegn; teksten har 65."),
    ({"summary": ""}, "Beskriv bekymringen."),
    ({"summary": "x" * 20001}, "Højst 20000 tegn; teksten har 20001."),
    ({"summary": "nul\x00byte"}, "Teksten indeholder tegn, der ikke er tilladt."),
    ({"notifier_contact": "y" * 501}, "Højst 500 tegn; teksten har 501."),
    ({"cpr_number": "12345"}, "Et CPR-nummer har ti cifre"),
    ({"cpr_number": "310215-4000"}, "ikke en gyldig dato"),
    ({"cpr_number": "010115-4000", "child_birth_date": "2015-01-02"}, "passer ikke"),
    ({"child_birth_date": "2026-03-12"}, "Fødselsdatoen ligger efter modtagelsen"),
    ({"age_group": "99-100"}, "Ikke et gyldigt valg."),
]


@pytest.mark.parametrize(("overrides", "message"), REFUSALS)
def test_form_refusals_keep_nothing_and_say_why(client, anna, overrides, message):
    response = register(client, anna, **overrides)
    assert response.status_code == 422
    page = text_of(response)
    assert "Underretningen blev ikke gemt." in page
    assert message in page
    assert count(Notification) == 0 and count(Deadline) == 0


def test_caseworker_from_another_team_is_refused(client, anna):
    other = make_user(role=Role.CASEWORKER, team=make_team("Team Syd"))
    response = register(client, anna, caseworker_id=str(other.id))
    assert response.status_code == 422
    assert count(Notification) == 0


def test_a_user_without_a_team_cannot_register(app, client, clock):
    login(client, make_user(role=Role.ADMIN))
    assert client.get("/cases/new").status_code == 403


def test_repeated_notifications_are_counted_and_linked(client, anna):
    first = register(client, anna, received_date="2026-03-02", confirm_old_date="y")
    register(client, anna, received_date="2026-03-05")
    third = register(client, anna)
    page = text_of(client.get(third.headers["Location"]))
    assert "2 tidligere underretninger om dette barn (seneste 05.03.2026)" in page
    assert first.headers["Location"].removeprefix("http://localhost") in client.get(
        third.headers["Location"]
    ).get_data(as_text=True)

    hint = client.post("/cases/earlier", data={"child_reference": "SAG-2026-0001"})
    assert "3 tidligere underretninger om dette barn" in hint.get_data(as_text=True)
    assert client.post("/cases/earlier", data={"child_reference": "SAG-NONE"}).data == b""


def test_a_repeat_in_another_team_is_named_but_not_counted_or_linked(app, client, anna):
    syd_user = make_user(role=Role.CASEWORKER, team=make_team("Team Syd"))
    login(client, syd_user)
    register(client, syd_user)
    login(client, anna)
    mine = register(client, anna)
    page = text_of(client.get(mine.headers["Location"]))
    assert "tidligere underretning om dette barn" not in page
    assert "Barnet har tidligere underretninger i et andet team: spørg det teams leder." in page


def _case_and_deadline(client, anna, **overrides):
    location = register(client, anna, **overrides).headers["Location"]
    notification = db.session.scalars(select(Notification)).one()
    return location, notification


def test_complete_a_deadline_backdated(client, anna):
    location, notification = _case_and_deadline(client, anna)
    assessment = notification.deadlines[0]
    response = client.post(
        f"{location}/deadlines/{assessment.id}/complete",
        data={"completed_date": "2026-03-11", "completed_time": "09:15", "note": "Ringet op"},
    )
    assert response.status_code == 303
    page = text_of(client.get(location))
    assert "Fristen er markeret som overholdt." in page
    assert "24-timers vurdering Overholdt Overholdt ons. 11. mar." in page
    assert "Overholdt ons. 11. mar. 2026 kl. 09:15 af Anna Andersen" in page


@pytest.mark.parametrize(
    ("completed", "message"),
    [
        (("2026-03-10", "15:39"), "kan ikke ligge før modtagelsen"),
        (("2026-03-11", "16:40"), "kan ikke ligge i fremtiden"),
        (("2026-03-29", "02:30"), "uret blev stillet frem"),
        (("", "10:00"), "Angiv en dato."),
        (("0001-01-01", "00:30"), "Vælg et år fra 1900 til 2200."),
        (("9999-12-31", "23:30"), "Vælg et år fra 1900 til 2200."),
    ],
)
def test_completion_refusals(client, anna, completed, message):
    location, notification = _case_and_deadline(client, anna)
    deadline_id = notification.deadlines[0].id
    response = client.post(
        f"{location}/deadlines/{deadline_id}/complete",
        data={"completed_date": completed[0], "completed_time": completed[1]},
    )
    assert response.status_code == 422
    assert message in text_of(response)
    db.session.expire_all()
    assert db.session.get(Deadline, deadline_id).completed_at is None


def test_a_deadline_cannot_be_completed_twice(client, anna):
    location, notification = _case_and_deadline(client, anna)
    url = f"{location}/deadlines/{notification.deadlines[0].id}/complete"
    data = {"completed_date": "2026-03-11", "completed_time": "10:00"}
    assert client.post(url, data=data).status_code == 303
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "Fristen er allerede afsluttet." in text_of(response)


def test_not_applicable_needs_a_reason(client, anna):
    location, notification = _case_and_deadline(client, anna)
    url = f"{location}/deadlines/{notification.deadlines[2].id}/not-applicable"
    assert client.post(url, data={"reason": " "}).status_code == 422
    assert (
        client.post(url, data={"reason": "Underretter ønsker ikke orientering"}).status_code == 303
    )
    page = text_of(client.get(location))
    assert "Ikke relevant Underretter ønsker ikke orientering" in page


def test_assessment_outcome_completes_the_assessment(client, anna):
    location, _notification = _case_and_deadline(client, anna)
    data = {"outcome": "no_acute_action", "occurred_date": "2026-03-11", "occurred_time": "16:30"}
    response = client.post(f"{location}/assessment", data=data)
    assert response.status_code == 303
    page = text_of(client.get(location))
    assert "Ingen akut indsats nødvendig" in page
    assert "24-timers vurdering Overholdt for sent" in page


def test_decision_adds_a_plan_deadline_and_a_47_precondition(client, anna):
    location, _notification = _case_and_deadline(client, anna)
    data = {"kind": "stoettende", "decided_on": "2026-03-11"}
    assert client.post(f"{location}/decisions", data=data).status_code == 303
    data = {"kind": "uden-samtykke", "decided_on": "2026-03-11"}
    assert client.post(f"{location}/decisions", data=data).status_code == 303
    page = text_of(client.get(location))
    assert "udløber ved udgangen af tors. 11. jun. 2026" in page
    assert "Betingelse:" in page
    refused = client.post(
        f"{location}/decisions", data={"kind": "stoettende", "decided_on": "2026-03-09"}
    )
    assert refused.status_code == 422
    assert "Afgørelsen kan ikke være dateret før modtagelsen" in text_of(refused)


def test_investigation_starts_once(client, anna):
    location, _notification = _case_and_deadline(client, anna)
    assert (
        client.post(f"{location}/investigation", data={"aware_on": "2026-03-10"}).status_code == 303
    )
    assert "udløber ved udgangen af fre. 10. jul. 2026" in text_of(client.get(location))
    again = client.post(f"{location}/investigation", data={"aware_on": "2026-03-10"})
    assert again.status_code == 422


def test_reassign_within_the_team_only(client, anna):
    bo = make_user(role=Role.CASEWORKER, team=anna.team, name="Bo Bertelsen")
    outsider = make_user(role=Role.CASEWORKER, team=make_team("Team Syd"))
    location, notification = _case_and_deadline(client, anna)
    assert (
        client.post(f"{location}/reassign", data={"caseworker_id": outsider.id}).status_code == 422
    )
    assert client.post(f"{location}/reassign", data={"caseworker_id": bo.id}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).caseworker_id == bo.id
    assert {d.caseworker_id for d in db.session.scalars(select(Deadline))} == {bo.id}


def test_close_only_when_every_deadline_is_closed(client, anna):
    location, _notification = _case_and_deadline(
        client, anna, notifier_kind="anonymous", notifier_contact=""
    )
    closing = {"reason": "Videresendt"}
    refused = client.post(f"{location}/close", data=closing)
    assert refused.status_code == 422
    assert "før sagen lukkes" in text_of(refused)
    outcome = {"outcome": "forwarded", "occurred_date": "2026-03-11", "occurred_time": "16:00"}
    client.post(f"{location}/assessment", data=outcome)
    assert client.post(f"{location}/close", data=closing).status_code == 303
    page = text_of(client.get(location))
    assert "Sagen blev lukket" in page
    assert "Luk sagen" not in page


def test_viewing_a_case_is_audited(client, anna):
    location, notification = _case_and_deadline(client, anna)
    client.get(location)
    db.session.expire_all()
    viewed = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.NOTIFICATION_VIEW,
            AuditEvent.case_id == notification.id,
        )
    ).all()
    assert len(viewed) == 1 and viewed[0].user_id == anna.id


CASE_ROUTES = [
    ("get", "/cases/{case}", {}),
    (
        "post",
        "/cases/{case}/deadlines/{deadline}/complete",
        {"completed_date": "2026-03-11", "completed_time": "10:00"},
    ),
    ("post", "/cases/{case}/deadlines/{deadline}/not-applicable", {"reason": "x"}),
    ("post", "/cases/{case}/assessment", {"outcome": "forwarded"}),
    ("post", "/cases/{case}/decisions", {"kind": "stoettende", "decided_on": "2026-03-11"}),
    ("post", "/cases/{case}/investigation", {"aware_on": "2026-03-10"}),
    ("post", "/cases/{case}/reassign", {"caseworker_id": "1"}),
    ("post", "/cases/{case}/close", {}),
    (
        "post",
        "/cases/{case}/steps",
        {"step": "leader_discussed", "done_date": "2026-03-11", "done_time": "10:00"},
    ),
]


@pytest.mark.parametrize(("method", "route", "data"), CASE_ROUTES)
def test_another_teams_case_is_not_found(client, anna, method, route, data):
    _location, notification = _case_and_deadline(client, anna)
    deadline_id = notification.deadlines[0].id
    audit_rows = count(AuditEvent)
    login(client, make_user(role=Role.LEADER, team=make_team("Team Syd")))
    url = route.format(case=notification.id, deadline=deadline_id)
    response = getattr(client, method)(url, data=data)
    assert response.status_code == 404
    db.session.expire_all()
    again = db.session.get(Notification, notification.id)
    assert again.status == "open" and again.assessment_outcome is None
    assert all(d.completed_at is None and not d.not_applicable_reason for d in again.deadlines)
    assert len(again.decisions) == 0 and len(again.deadlines) == 3
    assert count(AuditEvent) == audit_rows  # nothing logged as a case event for a 404
    assert count(TimelineEntry) == 1  # the registration only


def test_a_deadline_of_another_case_is_not_found(client, anna):
    register(client, anna)
    register(client, anna, child_reference="SAG-2")
    first, second = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    url = f"/cases/{first.id}/deadlines/{second.deadlines[0].id}/complete"
    response = client.post(url, data={"completed_date": "2026-03-11", "completed_time": "10:00"})
    assert response.status_code == 404


def test_received_at_in_local_time_across_the_autumn_change(client, anna, clock):
    clock.set(datetime(2026, 10, 26, 12, 0, tzinfo=UTC))
    register(client, anna, received_date="2026-10-25", received_time="02:30")
    notification = db.session.scalars(select(Notification)).one()
    # 02:30 happens twice that night; the first (summer time, UTC+2) is meant.
    assert notification.received_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert notification.received_at.astimezone(COPENHAGEN).utcoffset() == timedelta(hours=2)
