"""Item 7 of issue 11 on the case timeline: `tracker rules apply` writes one entry per
recomputed deadline (DEADLINE_MOVED, or RULES_APPLIED when only the citation changed), by
the system and naming the rules version; a follow-up brought forward writes one by the user."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from test_law_use_cases import (  # noqa: F401  (fixtures)
    NOW,
    anna,
    cli,
    deadline,
    register,
    rules_file_with_a_later_version,
)

from tracker.cases import actions, decisions
from tracker.extensions import db
from tracker.models import TimelineEntry, TimelineKind

RULES_KINDS = (TimelineKind.DEADLINE_MOVED, TimelineKind.RULES_APPLIED)


def rule_entries(notification) -> list[TimelineEntry]:
    return list(
        db.session.scalars(
            select(TimelineEntry)
            .where(
                TimelineEntry.notification_id == notification.id,
                TimelineEntry.kind.in_(RULES_KINDS),
            )
            .order_by(TimelineEntry.id)
        )
    )


def test_rules_apply_writes_a_timeline_entry_per_recomputed_deadline(
    app,
    anna,  # noqa: F811
    cli,  # noqa: F811
    clock,
    tmp_path,
    monkeypatch,
):
    before = register(anna.team, anna, received_at=datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    after = register(anna.team, anna, child_reference="B-2")
    decisions.start_investigation(after, aware_on=date(2026, 3, 31), by=anna, now=NOW)
    actions.complete_deadline(
        deadline(after, "receipt"), by=anna, completed_at=NOW, now=NOW, note=None
    )
    db.session.commit()
    later = rules_file_with_a_later_version(tmp_path, date(2026, 3, 20))
    monkeypatch.setitem(app.config, "RULES_FILE", str(later))

    assert cli("check").exit_code == 1
    assert rule_entries(after) == []  # check writes nothing
    applied = cli("apply")
    assert applied.exit_code == 0, applied.output

    moved, cited = rule_entries(after)
    orientation, investigation = deadline(after, "orientation"), deadline(after, "investigation")
    assert (moved.kind, moved.deadline_id, moved.actor_id) == (
        TimelineKind.DEADLINE_MOVED,
        orientation.id,
        None,
    )
    assert moved.details == {
        "kind": "orientation",
        "reason": "rules_apply",
        "rules_version": "lokal-2026-03",
        "old_due": "2026-04-14",
        "new_due": "2026-04-20",
        "citation_changed": False,
    }
    assert (cited.kind, cited.deadline_id) == (TimelineKind.RULES_APPLIED, investigation.id)
    assert cited.details["rules_version"] == "lokal-2026-03"
    assert cited.details["old_due"] == cited.details["new_due"]
    assert rule_entries(before) == []  # started before the new version: untouched
    receipt = deadline(after, "receipt")  # completed: never recomputed, no entry
    assert receipt.id not in {e.deadline_id for e in rule_entries(after)}

    assert cli("apply").exit_code == 0
    assert len(rule_entries(after)) == 2  # nothing more to apply: no new entries


def test_the_case_page_shows_the_move(
    app,
    anna,  # noqa: F811
    cli,  # noqa: F811
    client,
    clock,
    tmp_path,
    monkeypatch,
):
    from factories import login

    clock.set(NOW + timedelta(hours=1))
    after = register(anna.team, anna, child_reference="B-3")
    monkeypatch.setitem(
        app.config, "RULES_FILE", str(rules_file_with_a_later_version(tmp_path, date(2026, 3, 20)))
    )
    assert cli("apply").exit_code == 0
    login(client, anna)
    page = client.get(f"/cases/{after.id}").get_data(as_text=True)
    assert "Orientering af underretteren: 2026-04-14 → 2026-04-20" in page
    assert "regelversion «lokal-2026-03»" in page


def test_a_follow_up_brought_forward_is_on_the_timeline_by_the_user(anna):  # noqa: F811
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
    later = NOW + timedelta(days=40)
    actions.complete_deadline(
        deadline(notification, "investigation"),
        by=anna,
        completed_at=later - timedelta(hours=1),
        now=later,
        note=None,
    )
    db.session.commit()
    [entry] = rule_entries(notification)
    assert entry.kind == TimelineKind.DEADLINE_MOVED and entry.actor_id == anna.id
    assert entry.details["reason"] == "investigation_finished"
    assert entry.details["new_due"] == "2026-05-11"
