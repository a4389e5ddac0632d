"""Issue 12, bugs 1 and 2 and the case's life: the time things happened, corrections,
notes, closing with a reason and reopening, reassignment with a note and an e-mail."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from factories import login, make_team, make_user
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    REASSIGNED_STAGE,
    Alert,
    AuditEvent,
    CaseStatus,
    Deadline,
    Notification,
    Role,
    TimelineEntry,
    TimelineKind,
)

# Wednesday 11 March 2026, 16:30 in Copenhagen; the case arrived the day before at 15:40,
# so its 24-hour assessment fell due today at 15:40.
NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)


@pytest.fixture
def crew(app, client, clock):
    nord = make_team("Team Nord")
    anna = make_user(role=Role.CASEWORKER, team=nord, name="Anna Andersen")
    bo = make_user(role=Role.CASEWORKER, team=nord, name="Bo Bertelsen", email="bo@nord.test")
    leader = make_user(role=Role.LEADER, team=nord, name="Lone Leder")
    login(client, anna)
    data = {
        "received_date": "2026-03-10",
        "received_time": "15:40",
        "channel": "phone",
        "notifier_kind": "professional",
        "notifier_contact": "Skolen",
        "child_reference": "SAG-1",
        "age_group": "6-11",
        "concerns": "neglect",
        "summary": "Barnet kommer sultent i skole.",
        "caseworker_id": str(anna.id),
    }
    location = client.post("/cases/new", data=data).headers["Location"]
    case = db.session.scalars(select(Notification)).one()
    return dict(anna=anna, bo=bo, leader=leader, location=location, case_id=case.id)


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def outcome(client, crew, value="no_acute_action", time="15:00", day="2026-03-11"):
    data = {"outcome": value, "occurred_date": day, "occurred_time": time}
    return client.post(f"{crew['location']}/assessment", data=data)


def entries(kind: str) -> list[TimelineEntry]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(TimelineEntry).where(TimelineEntry.kind == kind).order_by(TimelineEntry.id)
        )
    )


def assessment() -> Deadline:
    db.session.expire_all()
    return db.session.scalars(select(Deadline).where(Deadline.kind == "assessment")).one()


def test_an_assessment_made_on_time_and_typed_in_later_is_met_on_time(client, crew):
    assert outcome(client, crew, time="15:00").status_code == 303  # typed in at 16:30
    deadline = assessment()
    assert deadline.completed_at == datetime(2026, 3, 11, 14, 0, tzinfo=UTC)
    page = text_of(client.get(crew["location"]))
    assert "24-timers vurdering Overholdt" in page and "Overholdt for sent" not in page


def test_the_outcome_list_starts_on_choose(client, crew):
    html = client.get(crew["location"]).get_data(as_text=True)
    select_html = html[html.index('id="outcome"') :]
    first = re.search(r"<option([^>]*)>([^<]*)</option>", select_html)
    assert first.group(2) == "Vælg" and 'value=""' in first.group(1)
    response = client.post(
        f"{crew['location']}/assessment",
        data={"outcome": "", "occurred_date": "2026-03-11", "occurred_time": "15:00"},
    )
    assert response.status_code == 422 and "Vælg resultatet." in text_of(response)


@pytest.mark.parametrize(
    ("day", "time", "message"),
    [
        ("2026-03-11", "17:00", "fremtiden"),
        ("2026-03-10", "15:00", "før underretningen"),
    ],
)
def test_an_outcome_time_in_the_future_or_before_receipt_is_refused(
    client, crew, day, time, message
):
    response = outcome(client, crew, day=day, time=time)
    assert response.status_code == 422 and message in text_of(response)
    assert entries(TimelineKind.OUTCOME) == []


def test_a_second_outcome_keeps_the_first_on_the_timeline(client, crew):
    outcome(client, crew, "no_acute_action", time="15:00")
    outcome(client, crew, "acute_action", time="16:00")
    first, second = entries(TimelineKind.OUTCOME)
    assert first.details["outcome"] == "no_acute_action"
    assert second.details == {"outcome": "acute_action", "previous": "no_acute_action"}
    page = text_of(client.get(crew["location"]))
    assert "Ingen akut indsats nødvendig" in page and "Akut indsats iværksat" in page


def test_a_completion_is_undone_by_a_correction_and_the_old_value_stays(client, crew):
    outcome(client, crew, time="15:00")
    (met,) = entries(TimelineKind.DEADLINE_MET)
    url = f"{crew['location']}/timeline/{met.id}/correct"
    assert client.post(url, data={"reason": ""}).status_code == 422
    assert client.post(url, data={"reason": "Forkert sag"}).status_code == 303
    assert assessment().completed_at is None and assessment().next_alert_at is not None
    (correction,) = entries(TimelineKind.CORRECTION)
    assert correction.corrects_id == met.id and correction.note == "Forkert sag"
    page = text_of(client.get(crew["location"]))
    assert "(rettet)" in page and "Forkert sag" in page
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "timeline_entry.correct" in actions


def test_an_outcome_is_undone_back_to_the_one_before(client, crew):
    outcome(client, crew, "no_acute_action", time="15:00")
    outcome(client, crew, "acute_action", time="16:00")
    second = entries(TimelineKind.OUTCOME)[-1]
    url = f"{crew['location']}/timeline/{second.id}/correct"
    assert client.post(url, data={"reason": "Tastefejl"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Notification, crew["case_id"]).assessment_outcome == "no_acute_action"


def test_a_step_done_by_mistake_is_undone_with_a_reason(client, crew):
    html = client.get(crew["location"]).get_data(as_text=True)
    key = re.search(r'name="step" value="([^"]+)"', html).group(1)
    data = {"step": key, "done_date": "2026-03-11", "done_time": "09:00"}
    assert client.post(f"{crew['location']}/steps", data=data).status_code == 303
    assert 'class="card-step card-step-done"' in client.get(crew["location"]).get_data(as_text=True)
    (step,) = entries(TimelineKind.STEP_DONE)
    url = f"{crew['location']}/timeline/{step.id}/correct"
    assert client.post(url, data={"reason": "Trykkede forkert"}).status_code == 303
    html = client.get(crew["location"]).get_data(as_text=True)
    assert 'class="card-step card-step-done"' not in html  # the step is open again
    assert "Trykkede forkert" in html  # the reason, on the timeline


def test_another_caseworker_may_not_correct(client, crew):
    outcome(client, crew, time="15:00")
    (met,) = entries(TimelineKind.DEADLINE_MET)
    login(client, crew["bo"])
    response = client.post(
        f"{crew['location']}/timeline/{met.id}/correct", data={"reason": "Forkert"}
    )
    assert response.status_code == 422
    assert "Kun sagens rådgiver eller en leder" in text_of(response)
    login(client, crew["leader"])
    assert (
        client.post(
            f"{crew['location']}/timeline/{met.id}/correct", data={"reason": "Forkert"}
        ).status_code
        == 303
    )


def test_a_note_goes_on_the_timeline(client, crew):
    assert client.post(f"{crew['location']}/notes", data={"note": ""}).status_code == 422
    response = client.post(f"{crew['location']}/notes", data={"note": "Talt med skolen."})
    assert response.status_code == 303
    (note,) = entries(TimelineKind.NOTE)
    assert note.note == "Talt med skolen." and note.actor_id == crew["anna"].id
    assert "Talt med skolen." in text_of(client.get(crew["location"]))


def _close(client, crew, reason):
    deadlines = db.session.scalars(select(Deadline)).all()
    for deadline in deadlines:
        client.post(
            f"{crew['location']}/deadlines/{deadline.id}/not-applicable",
            data={"reason": "Test"},
        )
    return client.post(f"{crew['location']}/close", data={"reason": reason})


def test_closing_asks_for_a_reason_and_a_leader_reopens(client, crew):
    assert _close(client, crew, "").status_code == 422
    assert _close(client, crew, "Ingen videre foranstaltning").status_code == 303
    (closed,) = entries(TimelineKind.CLOSED)
    assert closed.note == "Ingen videre foranstaltning"
    assert "Genåbn sagen" not in text_of(client.get(crew["location"]))  # not for Anna
    assert client.post(f"{crew['location']}/reopen", data={"reason": "x"}).status_code == 422
    login(client, crew["leader"])
    assert "Genåbn sagen" in text_of(client.get(crew["location"]))
    response = client.post(f"{crew['location']}/reopen", data={"reason": "Ny oplysning"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Notification, crew["case_id"]).status == CaseStatus.OPEN
    (reopened,) = entries(TimelineKind.REOPENED)
    assert reopened.note == "Ny oplysning"


def test_a_reassignment_takes_a_note_and_emails_the_new_caseworker(client, crew):
    data = {"caseworker_id": crew["bo"].id, "note": "Bo kender familien"}
    assert client.post(f"{crew['location']}/reassign", data=data).status_code == 303
    (entry,) = entries(TimelineKind.REASSIGNED)
    assert entry.note == "Bo kender familien"
    (mail,) = db.session.scalars(select(Alert).where(Alert.stage == REASSIGNED_STAGE)).all()
    assert mail.recipient_email == "bo@nord.test"
    reference = db.session.get(Notification, crew["case_id"]).reference
    assert reference in mail.subject and "SAG-1" not in mail.subject
