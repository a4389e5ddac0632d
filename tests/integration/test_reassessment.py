"""Item 5 of issue 11: the genvurdering (barnets lov § 137, stk. 1) as a task that someone
not involved before must complete; refused for the caseworker and earlier participants."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from factories import make_team, make_user

from tracker.cases import actions, decisions
from tracker.cases.actions import CaseError
from tracker.cases.timeline import add_entry
from tracker.extensions import db
from tracker.models import Deadline, Notification, Role, TimelineKind

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)
CHILD = "SAG-2026-77"


def register(team, user, *, received_at, **overrides) -> Notification:
    values = dict(
        received_at=received_at,
        channel="email",
        notifier_kind="professional",
        notifier_contact="Skolen",
        child_reference=CHILD,
        cpr_number=None,
        child_birth_date=None,
        age_group="6-11",
        concerns=("neglect",),
        summary="Fortroligt resumé",
        team_id=team.id,
        caseworker_id=user.id,
    )
    values.update(overrides)
    notification = actions.register_notification(
        actions.NotificationInput(**values), registered_by=user, now=received_at
    )
    db.session.flush()
    return notification


def reassessment_of(notification: Notification) -> Deadline | None:
    found = [d for d in notification.deadlines if d.kind == "reassessment"]
    return found[0] if found else None


@pytest.fixture
def team(app):
    nord = make_team("Team Nord")
    people = {
        name: make_user(role=Role.CASEWORKER, team=nord, name=name)
        for name in ("Anna", "Bo", "Carl", "Dorte", "Erik")
    }
    db.session.commit()
    return nord, people


def earlier_case_with_indsats(nord, people) -> Notification:
    """Anna's case: Bo met its receipt, Carl decided the støttende indsats."""
    earlier = register(nord, people["Anna"], received_at=NOW - timedelta(days=40))
    receipt = next(d for d in earlier.deadlines if d.kind == "receipt")
    actions.complete_deadline(
        receipt, by=people["Bo"], completed_at=NOW - timedelta(days=39), now=NOW, note=None
    )
    decisions.add_decision(
        earlier,
        kind="stoettende",
        decided_on=date(2026, 3, 1),
        started_on=None,
        by=people["Carl"],
        now=NOW - timedelta(days=30),
    )
    db.session.commit()
    return earlier


def test_a_new_underretning_about_a_child_with_an_open_indsats_gets_a_reassessment(team):
    nord, people = team
    earlier_case_with_indsats(nord, people)
    new = register(nord, people["Dorte"], received_at=NOW - timedelta(hours=1))
    task = reassessment_of(new)
    assert task is not None
    assert task.legal_paragraph == "barnets lov § 137, stk. 1"
    assert task.overdue_from - task.starts_at == timedelta(hours=24)
    assert any("ikke sagens rådgiver" in line for line in task.trace)
    assert task.trace[-1].startswith("Regelgrundlag: version «barnets-lov-2024»")


def test_no_reassessment_without_an_open_decision(team):
    nord, people = team
    register(nord, people["Anna"], received_at=NOW - timedelta(days=40))  # no decision
    other_child = register(
        nord, people["Anna"], received_at=NOW - timedelta(days=30), child_reference="SAG-ANDEN"
    )
    decisions.add_decision(
        other_child,
        kind="frivillig",
        decided_on=date(2026, 3, 5),
        started_on=None,
        by=people["Anna"],
        now=NOW - timedelta(days=20),
    )
    new = register(nord, people["Dorte"], received_at=NOW - timedelta(hours=1))
    assert reassessment_of(new) is None


def test_refused_for_the_caseworker_and_earlier_participants_accepted_for_a_colleague(team):
    nord, people = team
    earlier_case_with_indsats(nord, people)
    new = register(nord, people["Dorte"], received_at=NOW - timedelta(hours=1))
    task = reassessment_of(new)

    def complete(name):
        actions.complete_deadline(task, by=people[name], completed_at=NOW, now=NOW, note=None)

    with pytest.raises(CaseError, match="Du er sagens rådgiver"):
        complete("Dorte")
    for name in ("Anna", "Bo", "Carl"):  # owned it; met a deadline; decided the indsats
        with pytest.raises(CaseError, match="barnets tidligere sag U-2026-"):
            complete(name)
    with pytest.raises(CaseError, match=r"§ 137, stk\. 1"):
        actions.mark_not_applicable(task, by=people["Dorte"], reason="Ikke relevant", now=NOW)
    assert task.is_open
    complete("Erik")
    db.session.commit()
    assert task.completed_by_id == people["Erik"].id
    # The refusal is about the genvurdering only: Dorte meets her own receipt.
    receipt = next(d for d in new.deadlines if d.kind == "receipt")
    actions.complete_deadline(receipt, by=people["Dorte"], completed_at=NOW, now=NOW, note=None)


def test_a_closed_earlier_case_starts_no_reassessment(team):
    nord, people = team
    earlier = earlier_case_with_indsats(nord, people)
    for d in earlier.deadlines:
        if d.is_open:
            actions.mark_not_applicable(d, by=people["Anna"], reason="Afsluttet", now=NOW)
    actions.close_case(earlier, by=people["Anna"], now=NOW)
    new = register(nord, people["Dorte"], received_at=NOW - timedelta(hours=1))
    assert reassessment_of(new) is None


def test_a_step_on_the_timeline_of_an_earlier_case_counts_as_involvement(team):
    nord, people = team
    earlier = earlier_case_with_indsats(nord, people)
    add_entry(
        earlier,
        TimelineKind.STEP_DONE,
        by=people["Erik"],
        now=NOW - timedelta(days=20),
        step_key="talk_with_child",
    )
    db.session.commit()
    new = register(nord, people["Dorte"], received_at=NOW - timedelta(hours=1))
    task = reassessment_of(new)
    with pytest.raises(CaseError, match=earlier.reference):
        actions.complete_deadline(task, by=people["Erik"], completed_at=NOW, now=NOW, note=None)
