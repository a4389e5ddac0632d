"""Use cases for underretninger, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from factories import make_team, make_user
from sqlalchemy import event, func, select

from tracker.cases import actions, decisions, steps
from tracker.cases.action_cards import DEFAULT_FILE, load
from tracker.cases.repeats import earlier_notifications
from tracker.extensions import db
from tracker.models import AuditEvent, CaseStatus, Deadline, Notification, Role

GENERAL_CARD = load(DEFAULT_FILE).by_key("general")
NOW = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)  # Wednesday before Easter, 12:00 local


def notification_input(team, caseworker=None, **overrides) -> actions.NotificationInput:
    values = dict(
        received_at=NOW - timedelta(hours=2),
        channel="email",
        notifier_kind="professional",
        notifier_contact="Skolen, 12 34 56 78",
        child_reference="SAG-2026-42",
        cpr_number=None,
        child_birth_date=date(2014, 5, 1),
        age_group=None,
        concerns=("negative_social_control",),
        summary="Fortroligt resumé",
        team_id=team.id,
        caseworker_id=caseworker.id if caseworker else None,
    )
    values.update(overrides)
    return actions.NotificationInput(**values)


def register(team, user, **overrides) -> Notification:
    notification = actions.register_notification(
        notification_input(team, user, **overrides),
        registered_by=user,
        now=NOW,
    )
    db.session.commit()
    return notification


@pytest.fixture
def team_and_worker(app):
    team = make_team("Team Nord")
    return team, make_user(role=Role.CASEWORKER, team=team)


def test_register_writes_notification_with_its_deadlines(team_and_worker):
    team, anna = team_and_worker
    notification = register(team, anna)
    kinds = {d.kind: d for d in notification.deadlines}
    assert set(kinds) == {"assessment", "receipt", "orientation"}
    assert kinds["assessment"].overdue_from == NOW - timedelta(hours=2) + timedelta(hours=24)
    # LEGAL.md: received Wed 2026-04-01, the 6th hverdag is Tue 2026-04-14 (Easter skipped).
    assert kinds["receipt"].due_date == date(2026, 4, 14)
    assert any("langfredag" in line for line in kinds["receipt"].trace)
    assert notification.reference == "U-2026-000001"
    assert all(d.team_id == team.id and d.caseworker_id == anna.id for d in notification.deadlines)
    assert all(d.next_alert_at == NOW for d in notification.deadlines)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.case_id == notification.id))
    assert [e.action for e in event] == ["notification.create"]


def test_references_count_up_per_year_of_receipt(team_and_worker):
    team, anna = team_and_worker
    first = register(team, anna)
    second = register(team, anna)
    old = register(team, anna, received_at=datetime(2025, 12, 31, 22, 30, tzinfo=UTC))
    assert (first.reference, second.reference) == ("U-2026-000001", "U-2026-000002")
    # 22:30 UTC on New Year's Eve is 23:30 in Copenhagen: still 2025.
    assert old.reference == "U-2025-000001"


def test_anonymous_notifier_gets_no_receipt_deadline_and_no_contact(team_and_worker):
    team, anna = team_and_worker
    notification = register(team, anna, notifier_kind="anonymous", notifier_contact="ignored")
    assert [d.kind for d in notification.deadlines] == ["assessment"]
    assert notification.notifier_contact is None


@pytest.mark.parametrize(
    ("notifier", "kinds"),
    [
        ("professional", ["assessment", "receipt", "orientation"]),
        ("police", ["assessment", "receipt", "orientation"]),  # § 133: the police included
        ("citizen", ["assessment", "receipt"]),
        ("other", ["assessment", "receipt"]),
    ],
)
def test_section_133_notifiers_are_also_told_what_the_notification_led_to(
    team_and_worker, notifier, kinds
):
    team, anna = team_and_worker
    notification = register(team, anna, notifier_kind=notifier)
    assert [d.kind for d in notification.deadlines] == kinds


def test_receipt_in_the_future_is_refused(team_and_worker):
    team, anna = team_and_worker
    with pytest.raises(actions.CaseError) as refused:
        register(team, anna, received_at=NOW + timedelta(minutes=6))
    assert refused.value.field == "received_at"
    db.session.rollback()
    register(team, anna, received_at=NOW + timedelta(minutes=4))


def test_a_failure_while_writing_deadlines_leaves_no_notification(team_and_worker):
    team, anna = team_and_worker

    def disk_full(*args):
        raise RuntimeError("disk full while writing deadlines")

    # The database refuses the deadlines' rows, after the notification's row went in.
    event.listen(Deadline, "before_insert", disk_full)
    try:
        with pytest.raises(RuntimeError):
            register(team, anna)
    finally:
        event.remove(Deadline, "before_insert", disk_full)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    assert db.session.scalar(select(func.count()).select_from(Deadline)) == 0


def test_completion_may_be_backdated_but_not_before_receipt_or_into_the_future(team_and_worker):
    team, anna = team_and_worker
    notification = register(team, anna)
    assessment = notification.deadlines[0]
    with pytest.raises(actions.CaseError):
        actions.complete_deadline(
            assessment, by=anna, completed_at=NOW - timedelta(hours=3), now=NOW, note=None
        )
    with pytest.raises(actions.CaseError):
        actions.complete_deadline(
            assessment, by=anna, completed_at=NOW + timedelta(hours=1), now=NOW, note=None
        )
    actions.complete_deadline(
        assessment, by=anna, completed_at=NOW - timedelta(hours=1), now=NOW, note="Ingen akut fare"
    )
    db.session.commit()
    assert assessment.completed_by_id == anna.id
    assert assessment.next_alert_at is None
    with pytest.raises(actions.CaseError):
        actions.complete_deadline(assessment, by=anna, completed_at=NOW, now=NOW, note=None)


def test_decision_creates_plan_deadline_and_section_47_a_precondition(team_and_worker):
    team, anna = team_and_worker
    notification = register(team, anna)
    later = NOW + timedelta(days=40)
    decisions.add_decision(
        notification,
        kind="stoettende",
        decided_on=date(2026, 5, 4),
        started_on=None,
        by=anna,
        now=later,
    )
    decisions.add_decision(
        notification,
        kind="uden-samtykke",
        decided_on=date(2026, 5, 5),
        started_on=None,
        by=anna,
        now=later,
    )
    db.session.commit()
    plans = [d for d in notification.deadlines if d.kind == "plan"]
    assert plans[0].due_date == date(2026, 8, 4)
    assert plans[1].due_date is None and plans[1].precondition
    with pytest.raises(actions.CaseError):
        decisions.add_decision(
            notification,
            kind="frivillig",
            decided_on=date(2026, 3, 1),
            started_on=None,
            by=anna,
            now=later,
        )


def test_investigation_runs_four_months_and_only_once(team_and_worker):
    team, anna = team_and_worker
    notification = register(team, anna)
    deadline = decisions.start_investigation(
        notification, aware_on=date(2026, 4, 1), by=anna, now=NOW
    )
    assert deadline.due_date == date(2026, 8, 1)
    with pytest.raises(actions.CaseError):
        decisions.start_investigation(notification, aware_on=date(2026, 4, 1), by=anna, now=NOW)


def test_reassign_moves_open_deadlines_within_the_team_only(team_and_worker):
    team, anna = team_and_worker
    bo = make_user(role=Role.CASEWORKER, team=team)
    outsider = make_user(role=Role.CASEWORKER)
    notification = register(team, anna)
    with pytest.raises(actions.CaseError):
        actions.reassign(notification, caseworker=outsider, by=anna, now=NOW)
    actions.reassign(notification, caseworker=bo, by=anna, now=NOW + timedelta(hours=1))
    db.session.commit()
    assert notification.caseworker_id == bo.id
    assert {d.caseworker_id for d in notification.deadlines} == {bo.id}
    assert {d.next_alert_at for d in notification.deadlines} == {NOW + timedelta(hours=1)}


def test_close_needs_every_deadline_met_or_not_applicable(team_and_worker):
    team, anna = team_and_worker
    notification = register(team, anna)
    with pytest.raises(actions.CaseError):
        actions.close_case(notification, by=anna, now=NOW)
    for deadline in notification.deadlines:
        if deadline.kind == "orientation":
            actions.mark_not_applicable(deadline, by=anna, reason="Særlige forhold", now=NOW)
        else:
            actions.complete_deadline(deadline, by=anna, completed_at=NOW, now=NOW, note=None)
    actions.close_case(notification, by=anna, now=NOW)
    db.session.commit()
    assert notification.status == CaseStatus.CLOSED


def test_earlier_notifications_about_the_same_child(team_and_worker):
    team, anna = team_and_worker
    first = register(team, anna)
    second = register(team, anna)
    register(team, anna, child_reference="SAG-OTHER")
    found = earlier_notifications("SAG-2026-42", team_ids=[team.id], exclude_id=second.id)
    assert [n.id for n in found] == [first.id]


def test_a_closed_case_takes_no_more_changes(team_and_worker):
    team, anna = team_and_worker
    bo = make_user(role=Role.CASEWORKER, team=team)
    notification = register(team, anna, notifier_kind="anonymous", notifier_contact=None)
    decisions.record_assessment_outcome(notification, outcome="no_acute_action", by=anna, now=NOW)
    actions.close_case(notification, by=anna, now=NOW)
    db.session.commit()
    refused = [
        lambda: decisions.record_assessment_outcome(
            notification, outcome="acute_action", by=anna, now=NOW
        ),
        lambda: actions.reassign(notification, caseworker=bo, by=anna, now=NOW),
        lambda: steps.record_step(
            notification, GENERAL_CARD, step_key="leader_discussed", by=anna, now=NOW
        ),
        lambda: decisions.start_investigation(
            notification, aware_on=date(2026, 4, 1), by=anna, now=NOW
        ),
    ]
    for change in refused:
        with pytest.raises(actions.CaseError):
            change()
    assert notification.assessment_outcome == "no_acute_action"
    assert notification.caseworker_id == anna.id
    assert steps.steps_done(notification) == {}


def test_only_the_cards_steps_can_be_recorded(team_and_worker):
    team, anna = team_and_worker
    notification = register(team, anna)
    with pytest.raises(actions.CaseError) as refused:
        steps.record_step(notification, GENERAL_CARD, step_key="made_up", by=anna, now=NOW)
    assert refused.value.field == "step"
    steps.record_step(notification, GENERAL_CARD, step_key="leader_discussed", by=anna, now=NOW)
    assert list(steps.steps_done(notification)) == ["leader_discussed"]


def test_an_open_deadline_is_one_rule_in_python_in_sql_and_in_the_indexes(team_and_worker):
    team, anna = team_and_worker
    deadlines = register(team, anna).deadlines
    assessment, receipt, orientation = deadlines
    actions.complete_deadline(receipt, by=anna, completed_at=NOW, now=NOW, note=None)
    actions.mark_not_applicable(orientation, by=anna, reason="Ikke relevant", now=NOW)
    db.session.commit()
    assert [d.is_open for d in deadlines] == [True, False, False]
    in_sql = db.session.scalars(select(Deadline.id).where(Deadline.is_open)).all()
    assert in_sql == [assessment.id]
    open_indexes = {i.name: i for i in Deadline.__table__.indexes if "open" in i.name}
    assert set(open_indexes) == {"ix_deadlines_open_team", "ix_deadlines_open_caseworker"}
    condition = str(Deadline.is_open.compile(compile_kwargs={"literal_binds": True}))
    for index in open_indexes.values():
        for dialect in ("postgresql", "sqlite"):
            where = index.dialect_options[dialect]["where"]
            assert str(where.compile(compile_kwargs={"literal_binds": True})) == condition
