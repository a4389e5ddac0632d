"""Retention: personal data is kept no longer than the municipality decides (`tracker purge`).

Closed cases closed more than RETENTION_MONTHS ago are anonymised: every field that names
or describes a person, and every free text, is cleared (ANONYMISED_FIELDS below, the one
list to extend when later work adds free text to a case). What statistics need stays:
the references, kinds, channels, dates and deadlines, and the age group (computed from
the birth date at receipt before the birth date goes). The child's case reference is
replaced by a pseudonym shared by the cases of the same child that are anonymised together
(all of a child's cases due at the time), so "children notified more than once" still adds
up for them. Each case gets an audit
row (`notification.anonymise`), in the same transaction as its anonymisation.

The access log's rows older than AUDIT_RETENTION_MONTHS are deleted: the one sanctioned
exception to its being append-only. The database's triggers allow it only inside a
transaction holding an AuditRetentionPermit, which `purge_audit_log` adds and removes
again. In production the runtime role has no DELETE right on the audit log at all (see
docs/deploy.md), so this part runs as the schema owner.

Like every use case this never commits; the command does, a batch at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, select, update

from tracker import audit
from tracker.audit import AuditAction
from tracker.extensions import db
from tracker.intake.retention import purge_items_of_cases
from tracker.models import (
    AuditEvent,
    AuditRetentionPermit,
    CaseStatus,
    Deadline,
    Notification,
    TimelineEntry,
)
from tracker.reporting.reports import age_group_at_receipt

# Stands in for a cleared reason wherever the text also marks a state ("not applicable").
ANONYMISED = "anonymiseret"
PSEUDONYM_PREFIX = "anonym-"

# What anonymising a case clears: (column, the value it gets). Add new free text here.
ANONYMISED_FIELDS = {
    Notification: (
        (Notification.cpr_number, None),
        (Notification.child_birth_date, None),  # after the age group was kept
        (Notification.expected_birth_date, None),  # the age group stays "unborn"
        (Notification.notifier_contact, None),
        (Notification.notifier_note, None),
        (Notification.summary, ""),
    ),
    Deadline: (
        (Deadline.outcome_note, None),
        # The reason goes; that the deadline was not applicable stays.
        (Deadline.not_applicable_reason, ANONYMISED),
    ),
    # What happened and when stays; what a person wrote about it goes.
    TimelineEntry: ((TimelineEntry.note, None),),
}
BATCH_SIZE = 500


@dataclass(frozen=True)
class Plan:
    """What a purge at `now` would do (the dry run's answer)."""

    cases_closed_before: datetime | None
    cases: int
    audit_before: datetime | None
    audit_rows: int


def cutoff(now: datetime, months: int) -> datetime | None:
    """Return the moment before which data is older than `months` (None: kept forever)."""
    return now - relativedelta(months=months) if months > 0 else None


def plan(now: datetime, retention_months: int, audit_months: int) -> Plan:
    """Count what a purge at `now` would anonymise and delete."""
    cases_before = cutoff(now, retention_months)
    audit_before = cutoff(now, audit_months)
    cases = 0
    if cases_before is not None:
        cases = db.session.scalar(
            select(func.count()).select_from(_due_cases(cases_before).subquery())
        )
    rows = 0
    if audit_before is not None:
        rows = db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.at < audit_before)
        )
    return Plan(cases_before, cases or 0, audit_before, rows or 0)


def _due_cases(closed_before: datetime):
    return select(Notification.id).where(
        Notification.status == CaseStatus.CLOSED,
        Notification.closed_at < closed_before,
        Notification.anonymised_at.is_(None),
    )


def anonymise_batch(now: datetime, closed_before: datetime, size: int = BATCH_SIZE) -> int:
    """Anonymise up to `size` closed cases closed before `closed_before`; return how many."""
    first = _due_cases(closed_before).order_by(Notification.id).limit(size)
    # With every other due case of the same children, so each child gets one pseudonym.
    ids = db.session.scalars(
        _due_cases(closed_before)
        .where(
            Notification.child_reference.in_(
                select(Notification.child_reference).where(Notification.id.in_(first))
            )
        )
        .order_by(Notification.id)
        .with_for_update()
    ).all()
    if not ids:
        return 0
    anonymise(ids, now)
    return len(ids)


def anonymise(ids: Sequence[int], now: datetime) -> None:
    """Clear the personal data and free text of these cases, keeping what statistics need."""
    dialect = db.session.get_bind().dialect.name
    # The age group first, from the birth date at receipt, by the reports' own rule.
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_(ids))
        .values(age_group=age_group_at_receipt(dialect))
        .execution_options(synchronize_session=False)
    )
    _pseudonymise_child_references(ids)
    for model, fields in ANONYMISED_FIELDS.items():
        key = Notification.id if model is Notification else model.notification_id
        for column, value in fields:
            db.session.execute(
                update(model)
                .where(key.in_(ids), column.is_not(None))
                .values({column.key: value})
                .execution_options(synchronize_session=False)
            )
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_(ids))
        .values(anonymised_at=now)
        .execution_options(synchronize_session=False)
    )
    # The intake items the cases were registered from: their content goes with the case.
    purge_items_of_cases(ids, now)
    teams = dict(
        db.session.execute(
            select(Notification.id, Notification.team_id).where(Notification.id.in_(ids))
        ).all()
    )
    for case_id in ids:
        audit.record(
            AuditAction.NOTIFICATION_ANONYMISE,
            actor=None,  # the system, on the municipality's retention setting
            object_type=audit.CASE_OBJECT_TYPE,
            object_id=case_id,
            team_id=teams[case_id],
            at=now,
        )


def _pseudonymise_child_references(ids: Sequence[int]) -> None:
    rows = db.session.execute(
        select(Notification.id, Notification.child_reference)
        .where(Notification.id.in_(ids))
        .order_by(Notification.id)
    ).all()
    first_of_child: dict[str, int] = {}
    for case_id, reference in rows:
        first_of_child.setdefault(reference, case_id)
    for case_id, reference in rows:
        db.session.execute(
            update(Notification)
            .where(Notification.id == case_id)
            .values(child_reference=f"{PSEUDONYM_PREFIX}{first_of_child[reference]}")
            .execution_options(synchronize_session=False)
        )


def purge_audit_log(before: datetime) -> int:
    """Delete the access log's rows written before `before`; return how many."""
    permit = AuditRetentionPermit(before=before)
    db.session.add(permit)
    db.session.flush()
    deleted = db.session.execute(
        delete(AuditEvent.__table__).where(AuditEvent.__table__.c.at < before)
    ).rowcount
    db.session.delete(permit)
    db.session.flush()
    return deleted


def record_run(now: datetime, result: Plan) -> None:
    """Write the audit row of one purge run: what it cleared, up to when."""
    detail = {"cases": result.cases, "audit_rows": result.audit_rows}
    if result.cases_closed_before is not None:
        detail["cases_closed_before"] = result.cases_closed_before.isoformat(timespec="seconds")
    if result.audit_before is not None:
        detail["audit_before"] = result.audit_before.isoformat(timespec="seconds")
    audit.record(AuditAction.RETENTION_PURGE, actor=None, detail=detail, at=now)
