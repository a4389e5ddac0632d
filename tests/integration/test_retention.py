"""Retention (`tracker purge`): closed cases anonymised after TRACKER_RETENTION_MONTHS, the
access log's old rows deleted after TRACKER_AUDIT_RETENTION_MONTHS, statistics unchanged."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from factories import make_team, make_user
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from tracker.cases import actions
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    AuditLogIsAppendOnly,
    AuditRetentionPermit,
    Deadline,
    Notification,
    Role,
)
from tracker.operations.retention import ANONYMISED_FIELDS
from tracker.reporting.reports import ReportQuery, intake_statistics

RECEIVED = datetime(2024, 3, 11, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PERSONAL = ("0102141234", "Birthe", "Mikkel", "sulten", "ringede")


def _case(team, worker, *, child: str, received: datetime, closed: datetime | None):
    data = actions.NotificationInput(
        received_at=received,
        channel="email",
        notifier_kind="professional",
        notifier_contact="Skolelærer Birthe Sørensen, tlf. 23451234",
        child_reference=child,
        cpr_number="0102141234",
        child_birth_date=date(2014, 2, 1),
        age_group=None,
        concerns=("neglect",),
        summary="Mikkel kommer sulten i skole.",
        team_id=team.id,
        caseworker_id=worker.id,
    )
    case = actions.register_notification(
        data, registered_by=worker, now=received + timedelta(minutes=5)
    )
    db.session.flush()
    if closed is not None:
        first, *rest = case.deadlines
        actions.complete_deadline(
            first, by=worker, completed_at=closed, now=closed, note="Mor ringede, Mikkel er ok."
        )
        for deadline in rest:
            actions.mark_not_applicable(
                deadline, by=worker, reason="Mikkel flyttede til Aarhus.", now=closed
            )
        actions.close_case(case, by=worker, now=closed)
    db.session.commit()
    return case


@pytest.fixture
def cases(app):
    team = make_team("Team Nord")
    worker = make_user(role=Role.CASEWORKER, team=team)
    old = RECEIVED + timedelta(days=2)
    made = {
        "old": _case(team, worker, child="SAG-1", received=RECEIVED, closed=old),
        "old_same_child": _case(
            team, worker, child="SAG-1", received=RECEIVED + timedelta(days=1), closed=old
        ),
        "old_other_child": _case(team, worker, child="SAG-2", received=RECEIVED, closed=old),
        "recent": _case(
            team, worker, child="SAG-3", received=RECEIVED, closed=NOW - timedelta(days=30)
        ),
        "open": _case(team, worker, child="SAG-4", received=RECEIVED, closed=None),
    }
    return team, {name: case.id for name, case in made.items()}


def _purge(app, *args: str, months: int = 24, audit_months: int = 0):
    app.config.update(
        CLOCK=lambda: NOW, RETENTION_MONTHS=months, AUDIT_RETENTION_MONTHS=audit_months
    )
    return app.test_cli_runner().invoke(args=["purge", *args])


def _statistics(team_id: int):
    return intake_statistics(ReportQuery((team_id,), "2024-03", "2024-03"))


def test_purge_refuses_to_guess_a_retention_period(app):
    result = _purge(app, months=0)
    assert result.exit_code == 2
    assert "TRACKER_RETENTION_MONTHS" in result.output


def test_a_dry_run_counts_and_changes_nothing(app, cases):
    result = _purge(app, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Closed cases closed before 2024-12-01: 3 would be anonymised." in result.output
    assert "Access log: kept (TRACKER_AUDIT_RETENTION_MONTHS is not set)." in result.output
    assert (
        db.session.scalar(select(func.count()).where(Notification.anonymised_at.is_not(None))) == 0
    )


def test_old_closed_cases_lose_personal_data_and_free_text_and_keep_their_statistics(app, cases):
    team, ids = cases
    before = _statistics(team.id)
    deadlines_before = dict(
        db.session.execute(
            select(Deadline.id, Deadline.kind).where(Deadline.notification_id == ids["old"])
        ).all()
    )

    result = _purge(app)

    assert result.exit_code == 0, result.output
    assert "Anonymised 3 closed cases; deleted 0 access-log rows." in result.output
    db.session.expire_all()
    old = db.session.get(Notification, ids["old"])
    assert (old.cpr_number, old.child_birth_date, old.notifier_contact, old.summary) == (
        None, None, None, "",
    )  # fmt: skip
    assert old.anonymised_at == NOW and old.age_group == "6-11"  # 10 years old at receipt
    assert old.reference.startswith("U-2024-") and old.received_at == RECEIVED
    assert {d.id: d.kind for d in old.deadlines} == deadlines_before  # every deadline kept
    assert {(d.outcome_note, d.not_applicable_reason) for d in old.deadlines} <= {
        (None, None), (None, "anonymiseret"),
    }  # fmt: skip
    assert any(d.completed_at is not None for d in old.deadlines)
    # One pseudonym per child: the repeat statistics still add up.
    same = db.session.get(Notification, ids["old_same_child"])
    other = db.session.get(Notification, ids["old_other_child"])
    assert old.child_reference == same.child_reference == f"anonym-{ids['old']}"
    assert other.child_reference != old.child_reference
    assert _statistics(team.id) == before
    # Nothing personal left in the anonymised rows.
    for name in ("old", "old_same_child", "old_other_child"):
        case = db.session.get(Notification, ids[name])
        values = [str(getattr(case, c.key)) for c, _ in ANONYMISED_FIELDS[Notification]]
        values += [str(d.outcome_note) + str(d.not_applicable_reason) for d in case.deadlines]
        assert not any(word in " ".join(values) for word in PERSONAL)
    # The recent and the open case are untouched.
    for name in ("recent", "open"):
        kept = db.session.get(Notification, ids[name])
        assert kept.anonymised_at is None and kept.cpr_number == "0102141234"
    # Each anonymised case's log says so, and the run has its row.
    anonymised = db.session.scalars(
        select(AuditEvent.case_id).where(AuditEvent.action == "notification.anonymise")
    ).all()
    assert sorted(anonymised) == sorted(
        ids[n] for n in ("old", "old_same_child", "old_other_child")
    )
    [run] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purge"))
    assert run.detail == {
        "cases": 3, "audit_rows": 0, "cases_closed_before": "2024-12-01T09:00:00+00:00",
    }  # fmt: skip
    # The case page says what happened.
    from factories import login, new_client

    client = new_client(app)
    login(client, make_user(role=Role.CASEWORKER, team=team))
    page = client.get(f"/cases/{ids['old']}").get_data(as_text=True)
    assert "personoplysninger og noter blev fjernet" in page
    assert not any(word in page for word in PERSONAL)
    # Again: nothing left to do.
    assert "Anonymised 0 closed cases" in _purge(app).output


def test_the_access_log_keeps_what_is_younger_than_its_retention(app, cases):
    total = db.session.scalar(select(func.count()).select_from(AuditEvent))
    young = db.session.scalar(
        select(func.count()).where(AuditEvent.at >= datetime(2025, 12, 1, 9, 0, tzinfo=UTC))
    )
    assert 0 < young < total

    result = _purge(app, months=0, audit_months=12)

    assert result.exit_code == 0, result.output
    assert f"deleted {total - young} access-log rows" in result.output
    db.session.expire_all()
    left = db.session.scalars(select(AuditEvent)).all()
    assert len(left) == young + 1 and min(e.at for e in left) >= datetime(2025, 12, 1, tzinfo=UTC)
    assert [e.action for e in left if e.action == "retention.purge"] == ["retention.purge"]
    assert db.session.scalar(select(func.count()).select_from(AuditRetentionPermit)) == 0


def test_outside_a_purge_the_access_log_is_still_append_only(app, cases):
    event = db.session.scalars(select(AuditEvent)).first()
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.delete(event)
        db.session.flush()
    db.session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):  # the database's trigger
        db.session.execute(text("DELETE FROM audit_events"))
    db.session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):  # never an update, even with a permit
        db.session.add(AuditRetentionPermit(before=NOW))
        db.session.flush()
        db.session.execute(text("UPDATE audit_events SET action = 'x'"))
    db.session.rollback()
