"""The case timeline (tracker.cases.timeline): written by every use case, append-only,
corrected by new entries; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from factories import make_team, make_user
from sqlalchemy import select

from tracker.cases import actions, timeline
from tracker.cases.errors import CaseError
from tracker.cases.steps import correct_timeline_entry
from tracker.extensions import db
from tracker.models import AuditEvent, Role, TimelineEntry, TimelineKind

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)


def _input(team, worker, **overrides):
    values = dict(
        received_at=NOW - timedelta(hours=2),
        channel="email",
        notifier_kind="professional",
        notifier_contact="Skolen",
        child_reference="SAG-1",
        cpr_number=None,
        child_birth_date=date(2014, 5, 1),
        age_group=None,
        concern_category="neglect",
        summary="Resumé",
        team_id=team.id,
        caseworker_id=worker.id,
    )
    values.update(overrides)
    return actions.NotificationInput(**values)


@pytest.fixture
def case(app):
    team = make_team("Team Nord")
    anna = make_user(role=Role.CASEWORKER, team=team, name="Anna")
    notification = actions.register_notification(_input(team, anna), registered_by=anna, now=NOW)
    db.session.commit()
    return notification, anna


def kinds(notification):
    return [e.kind for e in timeline.entries_for(notification)]


def test_registration_writes_the_first_entry(case):
    notification, anna = case
    (entry,) = notification.timeline
    assert entry.kind == TimelineKind.REGISTERED
    assert entry.actor_id == anna.id
    assert entry.recorded_at == NOW
    assert entry.occurred_at == NOW


def test_use_cases_write_entries_newest_first(case):
    notification, anna = case
    team = notification.team
    bo = make_user(role=Role.CASEWORKER, team=team, name="Bo")
    later = NOW + timedelta(hours=1)
    actions.record_assessment_outcome(notification, outcome="no_acute_action", by=anna, now=later)
    db.session.commit()
    actions.add_decision(
        notification,
        kind="stoettende",
        decided_on=date(2026, 4, 2),
        started_on=None,
        by=anna,
        now=NOW + timedelta(days=1),
    )
    actions.reassign(notification, caseworker=bo, by=anna, now=NOW + timedelta(days=2))
    db.session.commit()
    assert kinds(notification) == [
        TimelineKind.REASSIGNED,
        TimelineKind.DECISION,
        TimelineKind.OUTCOME,
        TimelineKind.DEADLINE_MET,
        TimelineKind.REGISTERED,
    ]
    met = next(e for e in notification.timeline if e.kind == TimelineKind.DEADLINE_MET)
    assert met.deadline.kind == "assessment"
    reassigned = timeline.entries_for(notification)[0]
    assert reassigned.details == {"from_id": anna.id, "to_id": bo.id}


def test_backdated_completion_is_placed_when_it_happened(case):
    notification, anna = case
    receipt = next(d for d in notification.deadlines if d.kind == "receipt")
    actions.complete_deadline(
        receipt,
        by=anna,
        completed_at=NOW - timedelta(hours=1),
        now=NOW + timedelta(days=3),
        note="Bekræftet pr. telefon",
    )
    db.session.commit()
    entry = next(e for e in notification.timeline if e.kind == TimelineKind.DEADLINE_MET)
    assert entry.occurred_at == NOW - timedelta(hours=1)
    assert entry.recorded_at == NOW + timedelta(days=3)
    assert entry.note == "Bekræftet pr. telefon"


def test_closing_writes_an_entry(case):
    notification, anna = case
    for deadline in notification.deadlines:
        actions.mark_not_applicable(deadline, by=anna, reason="Test", now=NOW)
    actions.close_case(notification, by=anna, now=NOW + timedelta(minutes=1))
    db.session.commit()
    assert kinds(notification)[0] == TimelineKind.CLOSED


@pytest.mark.parametrize(
    "occurred_at",
    [NOW + timedelta(hours=1), NOW - timedelta(hours=3)],
    ids=["future", "before-receipt"],
)
def test_a_time_in_the_future_or_before_receipt_is_refused(case, occurred_at):
    notification, anna = case
    with pytest.raises(CaseError) as refused:
        timeline.add_entry(
            notification, TimelineKind.NOTE, by=anna, now=NOW, occurred_at=occurred_at
        )
    assert refused.value.field == "occurred_at"


def test_a_long_note_is_refused_not_cut(case):
    notification, anna = case
    with pytest.raises(CaseError) as refused:
        timeline.add_entry(
            notification,
            TimelineKind.NOTE,
            by=anna,
            now=NOW,
            note="x" * (timeline.NOTE_MAX_LENGTH + 1),
        )
    assert refused.value.field == "note"


def test_a_correction_is_a_new_entry_and_the_old_one_stays(case):
    notification, anna = case
    step = timeline.add_entry(
        notification, TimelineKind.STEP_DONE, by=anna, now=NOW, step_key="leader_discussed"
    )
    db.session.commit()
    with pytest.raises(CaseError):
        correct_timeline_entry(step, by=anna, now=NOW, reason="  ")
    correction = correct_timeline_entry(step, by=anna, now=NOW, reason="Forkert sag")
    db.session.commit()
    assert correction.corrects_id == step.id
    assert correction.note == "Forkert sag"
    assert db.session.get(TimelineEntry, step.id) is not None
    assert timeline.corrected_ids(notification) == {step.id}
    with pytest.raises(CaseError):
        correct_timeline_entry(step, by=anna, now=NOW, reason="Igen")
    actions_written = db.session.scalars(select(AuditEvent.action)).all()
    assert "timeline_entry.correct" in actions_written
