"""Helpers for the alert tests: a team with people, notifications, and one scheduler run."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from factories import make_team, make_user

from tracker.alerts import jobs
from tracker.cases import actions
from tracker.domain.local_time import COPENHAGEN
from tracker.extensions import db
from tracker.models import Notification, Role, Team, User

# Wednesday 11 March 2026, 10:00 in Copenhagen: an ordinary hverdag.
RECEIVED = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)

_cpr = itertools.count(1)


def local(*args: int) -> datetime:
    """Return a Copenhagen wall-clock time as aware UTC."""
    return datetime(*args, tzinfo=COPENHAGEN).astimezone(UTC)


@dataclass
class People:
    team: Team
    caseworker: User
    leader: User
    other_leader: User


def make_people(*, digest: bool = True) -> People:
    """Create Team Nord with a caseworker and two leaders (and a leader of another team).

    digest=False turns the daily digest off for all of them: the every-minute sweep sends
    a missed digest after 07:30, which tests about deadline alerts do not count.
    """
    team = make_team("Team Nord")
    caseworker = make_user(role=Role.CASEWORKER, team=team, email="anna@nord.test")
    leader = make_user(role=Role.LEADER, team=team, email="leder@nord.test")
    other_leader = make_user(role=Role.LEADER, email="leder@syd.test")
    if not digest:
        for user in (caseworker, leader, other_leader):
            user.digest_enabled = False
        db.session.commit()
    return People(team, caseworker, leader, other_leader)


def register(
    people: People,
    *,
    received_at: datetime = RECEIVED,
    now: datetime | None = None,
    notifier_kind: str = "professional",
    caseworker: User | None = None,
) -> Notification:
    """Register a notification full of personal data and commit it."""
    number = next(_cpr)
    data = actions.NotificationInput(
        received_at=received_at,
        channel="email",
        notifier_kind=notifier_kind,
        notifier_contact=f"Skolelærer Birthe Sørensen, tlf. 2345{number:04d}",
        child_reference=f"BARN-Mikkel-{number:04d}",
        cpr_number=f"010214{number:04d}",
        child_birth_date=date(2014, 2, 1),
        age_group=None,
        concerns=("neglect",),
        summary=f"Hemmeligt resumé nr. {number}: Mikkel kommer sulten i skole.",
        team_id=people.team.id,
        caseworker_id=(caseworker or people.caseworker).id,
    )
    notification = actions.register_notification(
        data,
        registered_by=people.caseworker,
        now=now or received_at + timedelta(minutes=5),
    )
    db.session.commit()
    return notification


def run_scheduler(at: datetime, transport) -> jobs.DispatchReport:
    """Run one sweep and dispatch as the scheduler would at `at` (it commits: rows reload)."""
    db.session.commit()
    return jobs.sweep_and_dispatch(lambda: at, transport)


def sent_pairs(smtp_server) -> list[tuple[str, str]]:
    """Return (recipient, subject) of every e-mail the server accepted, in order."""
    return [(", ".join(m.rcpt_tos), m.message["Subject"].strip()) for m in smtp_server.received]
