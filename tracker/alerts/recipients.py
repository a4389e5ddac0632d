"""Who gets a deadline's alert, and when it may be sent: the one place for that rule.

- The caseworker and the team's leaders, as the policy's audiences say (a deadline with
  no caseworker of the team left goes to the leaders, or nobody would hear of it).
- The next escalation level (an afdelingsleder's address, ESCALATION_NEXT_LEVEL_EMAIL).
- Outside opening hours, the 24-hour assessment's alerts go to whoever is on call too
  (tracker.people.oncall), and a one-line text to their SMS address if they have one;
  the caseworker is still told.
- Working-day deadlines' alerts wait for the next opening (tracker.domain.opening_hours):
  written now, sent then. The 24-hour assessment's go at once, day and night.
- An escalation stage is not written once someone took the overdue alert ("Jeg har den").

Every row but an SMS carries an opaque acknowledgement id for its "Jeg har den" link.
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from tracker.alerts import acknowledge
from tracker.domain.kinds import is_due_at_an_instant
from tracker.domain.opening_hours import OpeningHours
from tracker.domain.policy import ESCALATION_STAGES, Audience, Phase, PlannedAlert
from tracker.extensions import db
from tracker.models import AlertRoute, AlertStatus, Role, User
from tracker.people import oncall
from tracker.people.oncall import OnCallRecipient

log = logging.getLogger(__name__)

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


def new_ack_token() -> str:
    """Return a fresh opaque id for a "Jeg har den" link: random, naming nothing."""
    return secrets.token_urlsafe(16)


@dataclass
class TeamPeople:
    """The people a batch's alerts go to: active caseworkers by id, active leaders by team."""

    caseworkers: dict[int, tuple[int, str, Role, int | None]]
    leaders: dict[int, list[tuple[int, str]]]

    @classmethod
    def load(cls, deadlines: Iterable[Any]) -> TeamPeople:
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

    def caseworker(self, deadline) -> tuple[int, str] | None:
        """Return (user id, e-mail) of the deadline's caseworker, if still one of its team."""
        worker = self.caseworkers.get(deadline.caseworker_id)
        if worker is None:
            return None
        user_id, email, role, team_id = worker
        if not may_be_alerted(user_id, role, team_id, deadline.caseworker_id, deadline.team_id):
            return None
        return user_id, email

    def resolve(self, deadline, audiences: Iterable[Audience]) -> list[tuple[int, str]]:
        """Return (user id, e-mail) of each person the audiences mean, each once."""
        people: dict[int, str] = {}
        for audience in audiences:
            if audience is Audience.CASEWORKER:
                worker = self.caseworker(deadline)
                # No caseworker of the team (deactivated, moved to another team or role):
                # the leaders must hear of it, or nobody would.
                found = [worker] if worker else self.leaders.get(deadline.team_id, [])
            elif audience is Audience.LEADERS:
                found = self.leaders.get(deadline.team_id, [])
            else:
                found = []
            people.update(found)
        return list(people.items())


@dataclass
class Routing:
    """What one sweep batch needs to route alerts: the hours, who is on call, who took what."""

    now: datetime
    hours: OpeningHours
    next_level_email: str | None
    acknowledged: Mapping[int, datetime]  # deadline id -> when its overdue alert was taken
    _on_call: list[OnCallRecipient] | None = field(default=None)

    @classmethod
    def load(cls, deadline_ids: Iterable[int], now: datetime, config) -> Routing:
        return cls(
            now=now,
            hours=oncall.opening_hours(config),
            next_level_email=config["ESCALATION_NEXT_LEVEL_EMAIL"],
            acknowledged=acknowledge.escalation_stopped_since(deadline_ids),
        )

    def on_call(self) -> list[OnCallRecipient]:
        """Return who is on call now (asked once per batch)."""
        if self._on_call is None:
            self._on_call = oncall.on_call_recipients(self.now)
        return self._on_call

    def send_at(self, kind: str) -> datetime:
        """Return when an alert written now may go: at once, or at the next opening."""
        return self.now if is_due_at_an_instant(kind) else self.hours.next_opening(self.now)

    def to_on_call(self, kind: str) -> bool:
        """Say whether an alert of this kind written now goes to the on-call service too."""
        return is_due_at_an_instant(kind) and not self.hours.is_open(self.now)


def alert_rows(
    deadline, planned: PlannedAlert, subject_for, sms_line: str, people: TeamPeople,
    routing: Routing, *, caseworker_told: bool = False,
) -> list[dict[str, Any]]:  # fmt: skip
    """Return the outbox rows of one due stage of one deadline.

    `subject_for(user_id)` gives a recipient's subject (a leader's says "in your team").
    When the caseworker is told at the overdue stage, the escalation does not tell them
    again as a leader: a person who is both gets one e-mail, not two.
    """
    if planned.stage in ESCALATION_STAGES and deadline.id in routing.acknowledged:
        log.info("Deadline %d: %s not sent, the alert was taken", deadline.id, planned.stage)
        return []
    send_at = routing.send_at(deadline.kind)

    def row(user_id: int | None, email: str, route: AlertRoute | None, text: str | None = None):
        return {
            "deadline_id": deadline.id,
            "notification_id": deadline.notification_id,
            "stage": planned.stage,
            "recipient_id": user_id,
            "recipient_email": email,
            "route": None if route is None else route.value,
            "ack_token": None if route is AlertRoute.SMS else new_ack_token(),
            # The on-call service and the next level read the plain subject, not "your team".
            "subject": text or subject_for(user_id if route is None else None),
            "created_at": routing.now,
            "due_at": planned.at,
            "status": AlertStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": send_at,
            "send_from": send_at if send_at > routing.now else None,
        }

    resolved = people.resolve(deadline, planned.audiences)
    if planned.phase is Phase.ESCALATION and caseworker_told:
        resolved = [(uid, email) for uid, email in resolved if uid != deadline.caseworker_id]
    rows = [row(uid, email, None) for uid, email in resolved]
    if Audience.NEXT_LEVEL in planned.audiences and routing.next_level_email:
        rows.append(row(None, routing.next_level_email, AlertRoute.NEXT_LEVEL))
    if routing.to_on_call(deadline.kind):
        told = {r["recipient_id"] for r in rows if r["recipient_id"] is not None}
        for person in routing.on_call():
            if person.user_id is None or person.user_id not in told:
                rows.append(row(person.user_id, person.email, AlertRoute.ON_CALL))
            if person.sms_email:
                rows.append(row(None, person.sms_email, AlertRoute.SMS, sms_line))
    if not rows:
        # Ids only: nobody to tell (no caseworker or leader of the team, nobody on call).
        log.warning(
            "Deadline %d: nobody to alert of stage %s (team %d)",
            deadline.id,
            planned.stage,
            deadline.team_id,
        )
    return rows


def one_per_recipient(stages: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Keep one e-mail a recipient when several stages of a deadline fall due in one sweep:
    the latest stage's (a scheduler catching up sends what is true now, not its history)."""
    seen: set = set()
    kept: list[dict[str, Any]] = []
    for rows in reversed(stages):
        for row in rows:
            key = row["recipient_id"] or (row["recipient_email"], row["route"])
            if key not in seen:
                seen.add(key)
                kept.append(row)
    return kept
