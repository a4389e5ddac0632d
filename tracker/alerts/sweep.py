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
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

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
from tracker.models import Alert, AlertStatus, Deadline, Notification, Role, User
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


def sweep_batch(now: datetime, policy: AlertPolicy, *, limit: int = SWEEP_BATCH_SIZE) -> SweepBatch:
    """Write the due alerts of up to `limit` deadlines whose next alert time has come.

    Call it until it reports no deadlines, committing after each batch. On PostgreSQL the
    rows are locked with SKIP LOCKED, so concurrent sweepers take disjoint batches.
    """
    deadlines = _claim_due_deadlines(now, limit)
    if not deadlines:
        return SweepBatch(0, 0)
    recipients = _Recipients.load(deadlines)
    rows: list[dict[str, Any]] = []
    advances: list[dict[str, Any]] = []
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for deadline in deadlines:
            schedule = planned_alerts(
                deadline.kind, deadline.due_date, deadline.overdue_from, policy
            )
            stages = [
                _alert_rows(deadline, planned, recipients, now, _caseworker_told(schedule))
                for planned in due_alerts(schedule, now)
            ]
            rows.extend(_one_per_person(stages))
            advances.append({"id": deadline.id, "next_alert_at": next_alert_at(schedule, now)})
    written = insert_new_alerts(rows)
    db.session.execute(update(Deadline), advances)
    return SweepBatch(len(deadlines), written)


def _claim_due_deadlines(now: datetime, limit: int) -> list[_DueDeadline]:
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
    return [_DueDeadline(*row) for row in db.session.execute(statement)]


ALERTED_ROLES = (Role.CASEWORKER, Role.LEADER)


def may_be_alerted(
    user_id: int,
    role: Role,
    team_id: int | None,
    deadline_caseworker_id: int | None,
    deadline_team_id: int,
) -> bool:
    """Say whether an active user may get a deadline's alerts: its caseworker or a leader.

    The one rule for sweep and dispatch alike: the person must still work in the deadline's
    team (moved to another team or role, they could not even open the case), as its
    caseworker or as one of the team's leaders.
    """
    if team_id != deadline_team_id or role not in ALERTED_ROLES:
        return False
    return user_id == deadline_caseworker_id or role == Role.LEADER


@dataclass
class _Recipients:
    """The people a batch's alerts go to: active caseworkers by id, active leaders by team."""

    caseworkers: dict[int, tuple[int, str, Role, int | None]]
    leaders: dict[int, list[tuple[int, str]]]

    @classmethod
    def load(cls, deadlines: Iterable[_DueDeadline]) -> _Recipients:
        deadlines = list(deadlines)
        worker_ids = {d.caseworker_id for d in deadlines if d.caseworker_id is not None}
        team_ids = {d.team_id for d in deadlines}
        caseworkers = {
            row[0]: tuple(row)
            for row in db.session.execute(
                select(User.id, User.email, User.role, User.team_id).where(
                    User.id.in_(worker_ids), User.active.is_(True)
                )
            )
        }
        leaders: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for user_id, email, team_id in db.session.execute(
            select(User.id, User.email, User.team_id)
            .where(User.team_id.in_(team_ids), User.role == Role.LEADER, User.active.is_(True))
            .order_by(User.id)
        ):
            leaders[team_id].append((user_id, email))
        return cls(caseworkers, leaders)

    def caseworker(self, deadline: _DueDeadline) -> tuple[int, str] | None:
        """Return (user id, e-mail) of the deadline's caseworker, if still one of its team."""
        worker = self.caseworkers.get(deadline.caseworker_id)
        if worker is None:
            return None
        user_id, email, role, team_id = worker
        if not may_be_alerted(user_id, role, team_id, deadline.caseworker_id, deadline.team_id):
            return None
        return user_id, email

    def resolve(self, deadline: _DueDeadline, audiences: Iterable[Audience]) -> list[tuple]:
        """Return (user id, e-mail) of each person the audiences mean, each once."""
        people: dict[int, str] = {}
        for audience in audiences:
            if audience is Audience.CASEWORKER:
                worker = self.caseworker(deadline)
                # No caseworker of the team (deactivated, moved to another team or role):
                # the leaders must hear of it, or nobody would.
                found = [worker] if worker else self.leaders.get(deadline.team_id, [])
            else:
                found = self.leaders.get(deadline.team_id, [])
            people.update(found)
        return list(people.items())


def _caseworker_told(schedule: list[PlannedAlert]) -> bool:
    """Tell whether the schedule tells the caseworker when the deadline passes."""
    return any(p.phase is Phase.OVERDUE and Audience.CASEWORKER in p.audiences for p in schedule)


def _one_per_person(stages: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Keep one e-mail a person when several stages fall due in one sweep: the latest."""
    seen: set[int] = set()
    kept: list[dict[str, Any]] = []
    for rows in reversed(stages):
        for row in rows:
            if row["recipient_id"] not in seen:
                seen.add(row["recipient_id"])
                kept.append(row)
    return kept


def _alert_rows(
    deadline: _DueDeadline,
    planned: PlannedAlert,
    recipients: _Recipients,
    now: datetime,
    caseworker_told: bool = False,
) -> list[dict[str, Any]]:
    people = recipients.resolve(deadline, planned.audiences)
    if planned.phase is Phase.ESCALATION and caseworker_told:
        # A leader who is also the caseworker was told as the caseworker: one e-mail, not two.
        people = [
            (user_id, email) for user_id, email in people if user_id != deadline.caseworker_id
        ]
    if not people:
        # Ids only: the team has no active caseworker or leader to tell.
        log.warning(
            "Deadline %d: no active caseworker or leader of team %d to alert (stage %s)",
            deadline.id,
            deadline.team_id,
            planned.stage,
        )
    return [
        {
            "deadline_id": deadline.id,
            "notification_id": deadline.notification_id,
            "stage": planned.stage,
            "recipient_id": user_id,
            "recipient_email": email,
            "subject": alert_subject(
                planned.phase,
                deadline.kind,
                deadline.reference,
                as_leader=user_id != deadline.caseworker_id,
            ),
            "created_at": now,
            "due_at": planned.at,
            "status": AlertStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
        }
        for user_id, email in people
    ]


def alert_subject(phase: Phase, kind: str, reference: str, *, as_leader: bool = False) -> str:
    """Return the Danish subject line of an alert: what happened, which deadline, which case.

    A leader told about a deadline that is not their own reads that it is in their team.
    """
    values = {"kind": KIND_LABELS.get(kind, kind), "reference": reference}
    if phase is Phase.ESCALATION or (phase is Phase.OVERDUE and as_leader):
        subject = gettext("Deadline passed in your team: %(kind)s, %(reference)s", **values)
    elif phase is Phase.OVERDUE:
        subject = gettext("Deadline passed: %(kind)s, %(reference)s", **values)
    elif as_leader:
        subject = gettext("Deadline approaching in your team: %(kind)s, %(reference)s", **values)
    else:
        subject = gettext("Deadline approaching: %(kind)s, %(reference)s", **values)
    return subject[:SUBJECT_LENGTH]


def insert_new_alerts(rows: list[dict[str, Any]]) -> int:
    """Insert the outbox rows it does not hold yet (by its unique keys); return how many."""
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Alert).on_conflict_do_nothing().returning(Alert.id)
    return len(db.session.execute(statement, rows).all())
