"""Demo underretninger: about forty fictional cases in every state a caseworker meets.

Made through the real use cases with `now` values in the past, so deadlines, traces
and audit rows are what the tracker itself would have produced. Child references
are fictional ("SAG-2026-0001"); no CPR numbers, no names of children.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from tracker.cases import actions, decisions, steps
from tracker.cases.action_cards import cards_for_app, choose_card
from tracker.domain.local_time import COPENHAGEN
from tracker.domain.rules import DeadlineKind, DecisionKind
from tracker.extensions import db
from tracker.models import Notification, User

SUMMARIES = {
    "neglect": "Barnet møder ofte uden madpakke og i snavset tøj. Fiktiv demo-tekst.",
    "violence": "Barnet har blå mærker og fortæller om slag derhjemme. Fiktiv demo-tekst.",
    "negative_social_control": "Den unge må ikke deltage i lejrskole og overvåges på telefonen. "
    "Fiktiv demo-tekst.",
    "honour_related_conflict": "Den unge fortæller om trusler om at blive sendt ud af landet. "
    "Fiktiv demo-tekst.",
    "involuntary_stay_abroad": "Borgeren frygter at blive holdt i udlandet. Fiktiv demo-tekst.",
    "school_absence": "Stort fravær det seneste halve år. Fiktiv demo-tekst.",
    "parental_mental_health": "Forælder virker psykisk ustabil ved afhentning. Fiktiv demo-tekst.",
    "child_wellbeing": "Barnet er indesluttet og græder ofte. Fiktiv demo-tekst.",
}


@dataclass(frozen=True)
class Scenario:
    """One demo case: received `ago` before now, then worked on by `work`."""

    ago: timedelta
    notifier: str = "professional"
    concern: str = "neglect"
    age_group: str = "6-11"
    work: Callable | None = None
    child: str | None = None


def _complete(kind: str, after: timedelta) -> Callable:
    def work(n: Notification, user: User, now: datetime) -> None:
        deadline = _deadline(n, kind)
        at = min(n.received_at + after, now)
        actions.complete_deadline(deadline, by=user, completed_at=at, now=at, note=None)

    return work


def _outcome(after: timedelta, outcome: str = "no_acute_action") -> Callable:
    def work(n: Notification, user: User, now: datetime) -> None:
        at = min(n.received_at + after, now)
        decisions.record_assessment_outcome(n, outcome=outcome, by=user, now=at)

    return work


def _not_applicable(kind: str, reason: str) -> Callable:
    def work(n: Notification, user: User, now: datetime) -> None:
        at = min(n.received_at + timedelta(days=1), now)
        actions.mark_not_applicable(_deadline(n, kind), by=user, reason=reason, now=at)

    return work


def _decision(kind: DecisionKind, after_days: int, *, started: bool = False) -> Callable:
    """Decide `after_days` after receipt; `started`: the measure started the same day."""

    def work(n: Notification, user: User, now: datetime) -> None:
        at = min(n.received_at + timedelta(days=after_days), now)
        decided_on = at.astimezone(COPENHAGEN).date()
        started_on = decided_on if started else None
        decisions.add_decision(
            n, kind=kind, decided_on=decided_on, started_on=started_on, by=user, now=at
        )

    return work


def _investigation(after_days: int) -> Callable:
    def work(n: Notification, user: User, now: datetime) -> None:
        at = min(n.received_at + timedelta(days=after_days), now)
        aware_on = n.received_at.astimezone(COPENHAGEN).date()
        decisions.start_investigation(n, aware_on=aware_on, by=user, now=at)

    return work


def _steps(*done: tuple[str, timedelta, str | None, str | None]) -> Callable:
    """Record steps of the case's card: (step key, after receipt, note, to whom)."""

    def work(n: Notification, user: User, now: datetime) -> None:
        card = choose_card(cards_for_app(), n)
        for key, after, note, to in done:
            at = min(n.received_at + after, now)
            steps.record_step(n, card, step_key=key, by=user, now=at, note=note, to=to)

    return work


def _close(after_days: int) -> Callable:
    def work(n: Notification, user: User, now: datetime) -> None:
        at = min(n.received_at + timedelta(days=after_days), now)
        actions.close_case(n, by=user, now=at)

    return work


def _all(*steps: Callable) -> Callable:
    def work(n: Notification, user: User, now: datetime) -> None:
        for step in steps:
            step(n, user, now)

    return work


HOURS, DAYS = timedelta(hours=1), timedelta(days=1)
ON_TIME = _all(
    _outcome(5 * HOURS), _complete("receipt", 2 * DAYS), _complete("orientation", 3 * DAYS)
)

# Per team: every state on the dashboard at least once.
SCENARIOS = [
    Scenario(2 * HOURS),  # assessment due in hours
    Scenario(20 * HOURS, notifier="citizen", concern="child_wellbeing"),  # due soon
    Scenario(30 * HOURS, concern="violence", age_group="12-14"),  # assessment overdue
    Scenario(50 * HOURS, notifier="police", concern="violence"),  # assessment overdue (2 days)
    Scenario(6 * DAYS, work=_outcome(3 * HOURS)),  # receipt due soon
    Scenario(12 * DAYS, work=_outcome(6 * HOURS), concern="school_absence"),  # receipt overdue
    Scenario(
        9 * DAYS,
        work=_all(ON_TIME, _steps(("leader_discussed", 2 * HOURS, None, None))),
        concern="parental_mental_health",
    ),  # met on time; the general card
    Scenario(
        15 * DAYS,
        work=_all(
            _outcome(31 * HOURS),
            _complete("receipt", 9 * DAYS),
            _steps(
                ("screened", 1 * HOURS, None, None),
                ("leader_discussed", 2 * HOURS, "Drøftet med lederen.", None),
                ("consultants_contacted", 3 * HOURS, None, "Sikkerhedskonsulenterne"),
                ("child_talk", 20 * HOURS, "Samtale på skolen uden forældrene.", None),
                ("police_handover", 30 * HOURS, "Akut: ringet 114.", "Nordjyllands Politi"),
            ),
        ),
        concern="honour_related_conflict",
        age_group="15-17",
    ),  # met late; an honour-related case handed over to the police
    Scenario(4 * DAYS, notifier="anonymous", work=_outcome(2 * HOURS)),  # no receipt at all
    Scenario(
        8 * DAYS,
        notifier="citizen",
        work=_all(
            _outcome(4 * HOURS), _not_applicable("receipt", "Underretter kan ikke kontaktes")
        ),
    ),  # not applicable
    Scenario(
        40 * DAYS,
        work=_all(ON_TIME, _investigation(2), _decision(DecisionKind.SUPPORT, 20, started=True)),
    ),  # plan and first follow-up open
    Scenario(
        25 * DAYS,
        concern="violence",
        age_group="0-5",
        work=_all(ON_TIME, _decision(DecisionKind.PLACEMENT_WITHOUT_CONSENT, 3)),
    ),  # § 47 precondition
    Scenario(150 * DAYS, work=_all(ON_TIME, _investigation(1))),  # investigation overdue
    Scenario(60 * DAYS, notifier="anonymous", work=_all(_outcome(3 * HOURS), _close(5))),
    Scenario(
        20 * DAYS,
        notifier="professional",
        concern="negative_social_control",
        age_group="18-22",
        work=_all(
            _complete("threat_assessment", 5 * HOURS),
            _steps(
                ("leader_discussed", 1 * HOURS, None, None),
                ("consultants_contacted", 2 * HOURS, None, "SSP-konsulent, Job og Velfærd"),
                ("threat_assessed", 5 * HOURS, "Ikke akut truet. Fiktiv demo-tekst.", None),
                ("safety_plan", 3 * DAYS, None, None),
            ),
        ),
    ),  # a young adult: the over-18 card's local tasks, no barnets lov deadline
    Scenario(
        2 * HOURS, concern="involuntary_stay_abroad", age_group="18-22"
    ),  # an adult: the threat assessment's local target running
    Scenario(7 * DAYS, notifier="citizen", work=_outcome(10 * HOURS)),  # receipt due soon
    Scenario(3 * DAYS, concern="school_absence", work=_outcome(26 * HOURS)),  # met late
]

# One child notified again and again (FOB 2014-19): four times in Nord, once in Syd.
REPEATED_CHILD = "SAG-2026-0100"
CHILD_WITH_INDSATS = "SAG-2026-0200"
REPEATS = {
    "Team Nord": [
        Scenario(90 * DAYS, work=_all(ON_TIME, _close(10)), child=REPEATED_CHILD),
        Scenario(45 * DAYS, work=ON_TIME, child=REPEATED_CHILD),
        Scenario(10 * DAYS, work=_outcome(2 * HOURS), child=REPEATED_CHILD),
        Scenario(3 * HOURS, child=REPEATED_CHILD),
        # A child with an open støttende indsats is notified again: the genvurdering.
        Scenario(
            50 * DAYS,
            work=_all(ON_TIME, _decision(DecisionKind.SUPPORT, 12, started=True)),
            child=CHILD_WITH_INDSATS,
        ),
        Scenario(5 * HOURS, notifier="police", concern="violence", child=CHILD_WITH_INDSATS),
    ],
    "Team Syd": [Scenario(30 * DAYS, work=ON_TIME, child=REPEATED_CHILD)],
}

# (team, people who own its cases, in turn)
TEAM_OWNERS = {
    "Team Nord": ["anna@nord.demo", "bo@nord.demo", "lene@nord.demo"],
    "Team Syd": ["carl@syd.demo", "dorte@syd.demo", "mads@syd.demo"],
}


def has_demo_notifications(team_ids: list[int]) -> bool:
    """Tell whether the demo teams have notifications already."""
    query = select(func.count()).select_from(Notification).where(Notification.team_id.in_(team_ids))
    return bool(db.session.scalar(query))


def create_demo_notifications(now: datetime, users: dict[str, User]) -> int:
    """Create the demo notifications unless the demo teams have some; return how many."""
    team_ids = sorted({users[emails[0]].team_id for emails in TEAM_OWNERS.values()})
    if has_demo_notifications(team_ids):
        return 0
    numbers = itertools.count(1)
    planned = []
    for team, emails in TEAM_OWNERS.items():
        owners = itertools.cycle(users[e] for e in emails)
        for scenario in [*SCENARIOS, *REPEATS[team]]:
            planned.append((now - scenario.ago, scenario, next(owners)))
    # Oldest first, so case references follow the receipt order as in real life.
    planned.sort(key=lambda item: item[0])
    for received_at, scenario, owner in planned:
        _create(received_at, scenario, owner, now, next(numbers))
    return len(planned)


def _create(received_at: datetime, scenario: Scenario, owner: User, now: datetime, number: int):
    received_at = received_at.replace(second=0, microsecond=0)
    registered_at = min(received_at + timedelta(minutes=20), now)
    anonymous = scenario.notifier == "anonymous"
    data = actions.NotificationInput(
        received_at=received_at,
        channel="phone" if anonymous else "email",
        notifier_kind=scenario.notifier,
        notifier_contact=None if anonymous else f"Demo-underretter {number}, tlf. 00 00 00 00",
        child_reference=scenario.child or f"SAG-2026-{number:04d}",
        cpr_number=None,
        child_birth_date=None,
        age_group=scenario.age_group,
        concerns=_concerns(scenario.concern, number),
        summary=SUMMARIES[scenario.concern],
        team_id=owner.team_id,
        caseworker_id=owner.id,
        child_gender=GENDERS[number % len(GENDERS)],
        notifier_sector=SECTORS[scenario.notifier],
    )
    notification = actions.register_notification(
        data,
        registered_by=owner,
        now=registered_at,
    )
    if scenario.work is not None:
        scenario.work(notification, owner, now)
    return notification


# The statistics fields: a sector by notifier kind, genders in turn, every third case
# with a second concern.
SECTORS = {
    "professional": "school",
    "police": "police_court",
    "citizen": "other_citizen",
    "anonymous": "anonymous",
    "other": "other",
}
GENDERS = ("girl", "boy", "girl", "boy", "unknown")


def _concerns(first: str, number: int) -> tuple[str, ...]:
    second = "child_wellbeing" if first != "child_wellbeing" else "neglect"
    return (first, second) if number % 3 == 0 else (first,)


def _deadline(notification: Notification, kind: str):
    return next(d for d in notification.deadlines if d.kind == DeadlineKind(kind))
