"""The law as data in the use cases: § 133 notifiers, follow-up, ungeplan, `tracker rules`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from factories import make_team, make_user
from sqlalchemy import select

from tracker.audit import AuditAction
from tracker.cases import actions, decisions
from tracker.cases.legal_rules import DEFAULT_FILE
from tracker.domain.local_time import COPENHAGEN
from tracker.extensions import db
from tracker.models import AuditEvent, Deadline, Notification, Role

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)  # Wednesday before Easter, 12:00 local


def register(team, user, *, received_at=NOW - timedelta(hours=2), **overrides) -> Notification:
    values = dict(
        received_at=received_at,
        channel="email",
        notifier_kind="professional",
        notifier_contact="Skolen, 12 34 56 78",
        child_reference="SAG-2026-42",
        cpr_number=None,
        child_birth_date=date(2014, 5, 1),
        age_group=None,
        concerns=("neglect",),
        summary="Fortroligt resumé",
        team_id=team.id,
        caseworker_id=user.id,
    )
    values.update(overrides)
    notification = actions.register_notification(
        actions.NotificationInput(**values), registered_by=user, now=NOW
    )
    db.session.commit()
    return notification


def deadline(notification: Notification, kind: str) -> Deadline:
    [found] = [d for d in notification.deadlines if d.kind == kind]
    return found


def recompute_rows(deadline_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == AuditAction.DEADLINE_RECOMPUTE,
                AuditEvent.object_id == str(deadline_id),
            )
        )
    )


@pytest.fixture
def anna(app):
    return make_user(role=Role.CASEWORKER, team=make_team("Team Nord"))


def test_a_police_underretning_gets_receipt_and_orientation_with_corrected_citations(anna):
    notification = register(anna.team, anna, notifier_kind="police")
    kinds = {d.kind: d for d in notification.deadlines}
    assert set(kinds) == {"assessment", "receipt", "orientation"}
    assert kinds["orientation"].due_date == date(2026, 4, 14)
    assert kinds["assessment"].legal_paragraph == "barnets lov § 136"
    assert all("§ 137" not in d.legal_paragraph for d in notification.deadlines)
    assert kinds["receipt"].trace[-1].startswith("Regelgrundlag: version «barnets-lov-2024»")


def test_a_decision_with_a_start_date_gets_its_follow_up(anna):
    notification = register(anna.team, anna)
    decisions.add_decision(
        notification,
        kind="stoettende",
        decided_on=date(2026, 4, 1),
        started_on=date(2026, 4, 6),
        by=anna,
        now=NOW,
    )
    db.session.commit()
    follow_up = deadline(notification, "follow_up")
    assert follow_up.due_date == date(2026, 7, 6)
    assert follow_up.legal_paragraph == "barnets lov § 95, stk. 2"
    assert follow_up.decision.started_on == date(2026, 4, 6)
    assert follow_up.next_alert_at == NOW

    other = register(anna.team, anna, child_reference="SAG-2026-43")
    decisions.add_decision(
        other, kind="stoettende", decided_on=date(2026, 4, 1), started_on=None, by=anna, now=NOW
    )
    assert not [d for d in other.deadlines if d.kind == "follow_up"]


def test_finishing_the_undersoegelse_alongside_an_acute_indsats_brings_the_follow_up_forward(
    anna,
):
    notification = register(anna.team, anna)
    decisions.start_investigation(notification, aware_on=date(2026, 4, 1), by=anna, now=NOW)
    decisions.add_decision(
        notification,
        kind="akut-stoettende",
        decided_on=date(2026, 4, 1),
        started_on=date(2026, 4, 1),
        by=anna,
        now=NOW,
    )
    db.session.commit()
    follow_up = deadline(notification, "follow_up")
    assert follow_up.due_date == date(2026, 7, 1)
    earlier_trace = list(follow_up.trace)

    later = NOW + timedelta(days=40)
    actions.complete_deadline(
        deadline(notification, "investigation"),
        by=anna,
        completed_at=later - timedelta(hours=1),
        now=later,
        note=None,
    )
    db.session.commit()

    finished_on = (later - timedelta(hours=1)).astimezone(COPENHAGEN).date()
    assert follow_up.due_date == finished_on == date(2026, 5, 11)
    assert follow_up.is_open
    assert follow_up.next_alert_at == later
    trace = follow_up.trace
    assert "Det tidligste af de to: mandag 2026-05-11" in trace
    moved = trace.index("Den tidligere beregning:")
    assert trace[moved - 1] == (
        "Genberegnet 2026-05-11 12:00 (dansk tid), fordi den sideløbende børnefaglige "
        "undersøgelse blev afsluttet: frist 2026-07-01 blev 2026-05-11"
    )
    assert trace[moved + 1 :] == [f"  {line}" for line in earlier_trace]  # nothing lost
    [row] = recompute_rows(follow_up.id)
    assert row.user_id == anna.id and row.case_id == notification.id
    assert row.detail == {
        "kind": "follow_up",
        "reason": "investigation_finished",
        "rules_version": "barnets-lov-2024",
        "old_due": "2026-07-01",
        "new_due": "2026-05-11",
        "citation_changed": False,
    }


def test_finishing_the_undersoegelse_leaves_an_ordinary_follow_up_alone(anna):
    notification = register(anna.team, anna)
    decisions.start_investigation(notification, aware_on=date(2026, 4, 1), by=anna, now=NOW)
    decisions.add_decision(
        notification,
        kind="stoettende",
        decided_on=date(2026, 4, 1),
        started_on=date(2026, 4, 1),
        by=anna,
        now=NOW,
    )
    actions.complete_deadline(
        deadline(notification, "investigation"), by=anna, completed_at=NOW, now=NOW, note=None
    )
    db.session.commit()
    follow_up = deadline(notification, "follow_up")
    assert follow_up.due_date == date(2026, 7, 1)
    assert recompute_rows(follow_up.id) == []


def test_a_child_turning_16_with_an_indsats_gets_one_ungeplan_deadline(anna):
    notification = register(anna.team, anna, child_birth_date=date(2012, 2, 29))
    for decided in (date(2026, 4, 1), date(2026, 4, 1)):
        decisions.add_decision(
            notification, kind="frivillig", decided_on=decided, started_on=None, by=anna, now=NOW
        )
    db.session.commit()
    [youth_plan] = [d for d in notification.deadlines if d.kind == "youth_plan"]
    assert youth_plan.due_date == date(2028, 5, 29)  # 16 on 29 February 2028
    assert youth_plan.legal_paragraph == "barnets lov § 108, stk. 3"

    older = register(anna.team, anna, child_reference="B-2", child_birth_date=date(2009, 6, 1))
    decisions.add_decision(
        older, kind="stoettende", decided_on=date(2026, 4, 1), started_on=None, by=anna, now=NOW
    )
    assert not [d for d in older.deadlines if d.kind == "youth_plan"]


# --- `tracker rules check` and `tracker rules apply` ---


def rules_file_with_a_later_version(tmp_path, effective_from: date):
    later = f"""
[[versions]]
id = "lokal-2026-03"
effective_from = {effective_from.isoformat()}
title = "Længere orientering, rettet tekst"

[versions.local]
orientation_working_days = 10

[versions.kinds.investigation]
text = "Rettet tekst om den børnefaglige undersøgelse."
"""
    path = tmp_path / "regler.toml"
    path.write_text(DEFAULT_FILE.read_text(encoding="utf-8") + later, encoding="utf-8")
    return path


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args: str):
        result = runner.invoke(args=["rules", *args])
        db.session.expire_all()
        return result

    return run


def snapshot(deadline: Deadline) -> tuple:
    return (
        deadline.due_date,
        deadline.overdue_from,
        deadline.legal_paragraph,
        deadline.legal_text,
        list(deadline.trace),
    )


def test_a_later_version_moves_only_what_rules_apply_lists(
    app, anna, cli, clock, tmp_path, monkeypatch
):
    before = register(anna.team, anna, received_at=datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    after = register(anna.team, anna, child_reference="B-2")
    decisions.start_investigation(before, aware_on=date(2026, 3, 10), by=anna, now=NOW)
    decisions.start_investigation(after, aware_on=date(2026, 3, 31), by=anna, now=NOW)
    actions.complete_deadline(
        deadline(after, "receipt"), by=anna, completed_at=NOW, now=NOW, note=None
    )
    db.session.commit()
    untouched = {d.id: snapshot(d) for d in before.deadlines}
    completed = snapshot(deadline(after, "receipt"))

    assert cli("check").exit_code == 0  # the shipped file: nothing to do
    later = rules_file_with_a_later_version(tmp_path, date(2026, 3, 20))
    monkeypatch.setitem(app.config, "RULES_FILE", str(later))

    checked = cli("check")
    assert checked.exit_code == 1, checked.output
    lines = checked.output.splitlines()
    assert lines == [
        f"{after.reference}  Orientering af underretteren  frist 2026-04-14 → 2026-04-20  "
        "regelversion lokal-2026-03",
        f"{after.reference}  Børnefaglig undersøgelse  frist 2026-07-31 uændret  ny lovtekst  "
        "regelversion lokal-2026-03",
        "2 åbne frister ville blive flyttet eller få nyt lovgrundlag.",
    ]
    assert deadline(after, "orientation").due_date == date(2026, 4, 14)  # check writes nothing

    applied = cli("apply")
    assert applied.exit_code == 0, applied.output
    assert applied.output.splitlines()[:2] == lines[:2]
    assert applied.output.splitlines()[-1] == "2 åbne frister blev genberegnet."

    orientation = deadline(after, "orientation")
    assert orientation.due_date == date(2026, 4, 20)
    assert (
        orientation.trace[0]
        == "Modtaget onsdag 2026-04-01 (dansk tid); modtagelsesdagen tæller ikke med"
    )
    assert "Regelgrundlag: version «lokal-2026-03», gældende fra 2026-03-20" in orientation.trace
    assert (
        deadline(after, "investigation").legal_text
        == "Rettet tekst om den børnefaglige undersøgelse."
    )
    assert {d.id: snapshot(d) for d in before.deadlines} == untouched  # started earlier
    assert snapshot(deadline(after, "receipt")) == completed  # completed: never touched

    [row] = recompute_rows(orientation.id)
    assert row.user_id is None  # a command on the server: the system
    assert row.detail["rules_version"] == "lokal-2026-03"
    assert row.detail["reason"] == "rules_apply"
    [run] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "rules.apply"))
    assert run.detail == {"deadlines": 2, "versions": ["lokal-2026-03"]}

    again = cli("check")
    assert again.exit_code == 0
    assert again.output.strip() == "0 åbne frister ville blive flyttet eller få nyt lovgrundlag."


def test_check_reads_a_candidate_file_and_names_its_problem(app, anna, cli, tmp_path):
    register(anna.team, anna)
    candidate = rules_file_with_a_later_version(tmp_path, date(2026, 1, 1))
    result = cli("check", "--file", str(candidate))
    assert result.exit_code == 1, result.output
    assert "Orientering af underretteren  frist 2026-04-14 → 2026-04-20" in result.output
    broken = tmp_path / "broken.toml"
    broken.write_text(
        candidate.read_text(encoding="utf-8").replace("effective_from = 2026-01-01", ""),
        encoding="utf-8",
    )
    result = cli("check", "--file", str(broken))
    assert result.exit_code == 1
    assert "broken.toml: versions[1]: missing effective_from" in result.output


def test_apply_brings_old_citations_up_to_date(anna, cli, clock):
    notification = register(anna.team, anna)
    receipt = deadline(notification, "receipt")
    receipt.legal_paragraph = "barnets lov § 137"  # as the first version cited it
    db.session.commit()
    result = cli("apply")
    assert result.exit_code == 0, result.output
    assert "lovgrundlag barnets lov § 137 → barnets lov: pligten til at bekræfte" in result.output
    assert deadline(notification, "receipt").legal_paragraph.startswith("barnets lov: pligten")
    assert deadline(notification, "receipt").due_date == date(2026, 4, 14)
