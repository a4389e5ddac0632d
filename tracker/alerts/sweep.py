"""The sweep: turn the deadline stages that have come due into rows of the outbox.

It works from state, never from timers: each open deadline stores `next_alert_at`, the
time it next needs looking at, behind a partial index. The sweep takes the deadlines whose
time has come, asks the policy which stages are due at `now`, writes one `Alert` per
(deadline, stage, recipient) and moves `next_alert_at` on to the next stage.

The one rule about what has been sent: the outbox remembers it. The sweep asks for every
stage that is due and not moot at `now` (`due_alerts` without `since`) and the unique key
(deadline, stage, recipient) drops the rows written before. So "look at this deadline now"
(`next_alert_at = now`, which the use cases set on a new or reassigned deadline) is always
safe: a notification registered 30 hours after receipt gets its overdue alert at once, a
reassigned deadline alerts its new caseworker of the current stage, and nobody is told
twice. A scheduler that was down catches up on its first sweep; an overdue alert replaces
a warning that has become moot.

Like every use case this adds to the session and never commits; tracker.jobs commits.
"""

from __future__ import annotations

import json
import logging
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import force_locale, format_datetime, gettext
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from tracker.alerts.recipients import Routing, TeamPeople, alert_rows, one_per_recipient
from tracker.domain.policy import (
    DEFAULT_ALERT_POLICY,
    AlertPolicy,
    Audience,
    Phase,
    PlannedAlert,
    due_alerts,
    next_alert_at,
    planned_alerts,
)
from tracker.extensions import db
from tracker.models import Alert, Deadline, Notification
from tracker.models.alerts import SUBJECT_LENGTH
from tracker.text.labels import KIND_LABELS

log = logging.getLogger(__name__)

SWEEP_BATCH_SIZE = 500


@dataclass(frozen=True)
class SweepBatch:
    """What one batch of the sweep did: deadlines looked at, outbox rows written."""

    deadlines: int
    alerts: int


@dataclass(frozen=True)
class _DueDeadline:
    id: int
    notification_id: int
    kind: str
    due_date: Any
    overdue_from: datetime | None
    team_id: int
    caseworker_id: int | None
    reference: str


def policy_from_config(config: Mapping[str, Any]) -> AlertPolicy:
    """Return the alert policy: ALERT_POLICY_FILE (TOML or JSON) over the defaults."""
    path = config["ALERT_POLICY_FILE"]
    return _policy_from_file(str(path)) if path else DEFAULT_ALERT_POLICY


@lru_cache(maxsize=4)
def _policy_from_file(path: str) -> AlertPolicy:
    file = Path(path)
    raw = file.read_bytes()
    data = json.loads(raw) if file.suffix.lower() == ".json" else tomllib.loads(raw.decode())
    try:
        return AlertPolicy.from_mapping(data)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def sweep_batch(
    now: datetime,
    policy: AlertPolicy,
    *,
    limit: int = SWEEP_BATCH_SIZE,
    deadline_ids: list[int] | None = None,
) -> SweepBatch:
    """Write the due alerts of up to `limit` deadlines whose next alert time has come.

    Call it until it reports no deadlines, committing after each batch. On PostgreSQL the
    rows are locked with SKIP LOCKED, so concurrent sweepers take disjoint batches.
    `deadline_ids` limits it to those deadlines (the demo sweeps one case in the past).
    """
    deadlines = _claim_due_deadlines(now, limit, deadline_ids)
    if not deadlines:
        return SweepBatch(0, 0)
    people = TeamPeople.load(deadlines)
    routing = Routing.load([d.id for d in deadlines], now, current_app.config)
    rows: list[dict[str, Any]] = []
    advances: list[dict[str, Any]] = []
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for deadline in deadlines:
            schedule = planned_alerts(
                deadline.kind, deadline.due_date, deadline.overdue_from, policy
            )
            caseworker_told = _caseworker_told(schedule)
            line = sms_line(deadline.reference, deadline.overdue_from)
            stages = [
                alert_rows(
                    deadline,
                    planned,
                    _subjects(planned.phase, deadline),
                    line,
                    people,
                    routing,
                    caseworker_told=caseworker_told,
                )
                for planned in due_alerts(schedule, now)
            ]
            rows.extend(one_per_recipient(stages))
            advances.append({"id": deadline.id, "next_alert_at": next_alert_at(schedule, now)})
    written = insert_new_alerts(rows)
    db.session.execute(update(Deadline), advances)
    return SweepBatch(len(deadlines), written)


def _claim_due_deadlines(
    now: datetime, limit: int, deadline_ids: list[int] | None = None
) -> list[_DueDeadline]:
    statement = (
        select(
            Deadline.id,
            Deadline.notification_id,
            Deadline.kind,
            Deadline.due_date,
            Deadline.overdue_from,
            Deadline.team_id,
            Deadline.caseworker_id,
            Notification.reference,
        )
        .join(Notification, Notification.id == Deadline.notification_id)
        .where(
            Deadline.next_alert_at <= now,
            Deadline.is_open,
        )
        .order_by(Deadline.next_alert_at, Deadline.id)
        .limit(limit)
        .with_for_update(of=Deadline, skip_locked=True)
    )
    if deadline_ids is not None:
        statement = statement.where(Deadline.id.in_(deadline_ids))
    return [_DueDeadline(*row) for row in db.session.execute(statement)]


def _subjects(phase: Phase, deadline: _DueDeadline):
    """Return a function giving the subject for a recipient: a leader's says "your team"."""

    def subject_for(user_id: int | None) -> str:
        as_leader = user_id is not None and user_id != deadline.caseworker_id
        return alert_subject(phase, deadline.kind, deadline.reference, as_leader=as_leader)

    return subject_for


def _caseworker_told(schedule: list[PlannedAlert]) -> bool:
    """Tell whether the schedule tells the caseworker when the deadline passes."""
    return any(p.phase is Phase.OVERDUE and Audience.CASEWORKER in p.audiences for p in schedule)


def alert_subject(phase: Phase, kind: str, reference: str, *, as_leader: bool = False) -> str:
    """Return the Danish subject line of an alert: what happened, which deadline, which case.

    A leader told about a deadline that is not their own reads that it is in their team.
    """
    values = {"kind": KIND_LABELS.get(kind, kind), "reference": reference}
    if phase is Phase.NEXT_LEVEL:
        subject = gettext("Deadline passed and not taken: %(kind)s, %(reference)s", **values)
    elif phase is Phase.ESCALATION or (phase is Phase.OVERDUE and as_leader):
        subject = gettext("Deadline passed in your team: %(kind)s, %(reference)s", **values)
    elif phase is Phase.OVERDUE:
        subject = gettext("Deadline passed: %(kind)s, %(reference)s", **values)
    elif as_leader:
        subject = gettext("Deadline approaching in your team: %(kind)s, %(reference)s", **values)
    else:
        subject = gettext("Deadline approaching: %(kind)s, %(reference)s", **values)
    return subject[:SUBJECT_LENGTH]


def sms_line(reference: str, overdue_from: datetime | None) -> str:
    """Return an SMS's one line: the case reference and the due time, nothing else."""
    due = format_datetime(overdue_from, "EEE d. MMM 'kl.' HH:mm") if overdue_from else "-"
    return gettext("%(reference)s: due %(due)s", reference=reference, due=due)[:SUBJECT_LENGTH]


def insert_new_alerts(rows: list[dict[str, Any]]) -> int:
    """Insert the outbox rows it does not hold yet (by its unique keys); return how many."""
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Alert).on_conflict_do_nothing().returning(Alert.id)
    return len(db.session.execute(statement, rows).all())
