"""The deadline kinds and decisions, and what a computed deadline is.

The legal bases (paragraph, Danish text, sources) and the municipality's local targets
are not here: they are data, read from the rules file and handed to the rules as a
tracker.domain.rulebook.RuleBook. What stays in code is how each kind is counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta


class DeadlineKind(StrEnum):
    ASSESSMENT = "assessment"
    RECEIPT = "receipt"
    ORIENTATION = "orientation"
    PLAN = "plan"
    INVESTIGATION = "investigation"
    FOLLOW_UP = "follow_up"
    YOUTH_PLAN = "youth_plan"
    # An adult's local tasks (the over-18 cards): the municipality's own targets, no law.
    THREAT_ASSESSMENT = "threat_assessment"
    ADULT_FOLLOW_UP = "adult_follow_up"
    # A task, not a statutory date: a new underretning about a child with an open støttende
    # indsats or anbringelse is reassessed by someone not involved before (§ 137, stk. 1).
    REASSESSMENT = "reassessment"


# The kinds barnets lov gives a child's case: every rules version has a legal basis for each.
BARNETS_LOV_KINDS = frozenset(
    {
        DeadlineKind.ASSESSMENT,
        DeadlineKind.RECEIPT,
        DeadlineKind.ORIENTATION,
        DeadlineKind.PLAN,
        DeadlineKind.INVESTIGATION,
        DeadlineKind.FOLLOW_UP,
        DeadlineKind.YOUTH_PLAN,
        DeadlineKind.REASSESSMENT,
    }
)

# The kinds of an adult's case: local policy, shown as "kommunens egen frist, ikke et lovkrav".
LOCAL_TASK_KINDS = frozenset({DeadlineKind.THREAT_ASSESSMENT, DeadlineKind.ADULT_FOLLOW_UP})

# The 24-hour assessment, an adult's threat assessment and the genvurdering (their local
# targets are in hours) fall due at an instant, to the minute; every other kind is met until
# the end of its due day, local time.
KINDS_DUE_AT_AN_INSTANT = frozenset(
    {DeadlineKind.ASSESSMENT, DeadlineKind.THREAT_ASSESSMENT, DeadlineKind.REASSESSMENT}
)


def is_due_at_an_instant(kind: str) -> bool:
    """Tell whether a deadline of this kind is due at a time of day, not at the end of a day."""
    return kind in KINDS_DUE_AT_AN_INSTANT


class DecisionKind(StrEnum):
    SUPPORT = "stoettende"  # støttende indsats, barnets lov § 32
    VOLUNTARY_PLACEMENT = "frivillig"  # frivillig anbringelse, § 46
    PLACEMENT_WITHOUT_CONSENT = "uden-samtykke"  # anbringelse uden samtykke, § 47
    # Acute, provisional indsats decided while the børnefaglige undersøgelse runs alongside.
    ACUTE_SUPPORT = "akut-stoettende"  # § 32, stk. 4
    ACUTE_PLACEMENT = "akut-anbringelse"  # § 46, stk. 3


# Decided alongside a running undersøgelse: its end brings the first follow-up forward.
ACUTE_DECISIONS = frozenset({DecisionKind.ACUTE_SUPPORT, DecisionKind.ACUTE_PLACEMENT})


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """A deadline's legal basis as the rules file gives it, for a caseworker and a jurist."""

    paragraph: str
    text: str
    to_confirm: bool = False  # the municipality's jurist should confirm the citation
    sources: tuple[str, ...] = ()  # ids of the rules file's sources


@dataclass(frozen=True, slots=True)
class ComputedDeadline:
    """One computed deadline: when it starts, when it is due, why, and how it was computed."""

    kind: DeadlineKind
    starts_at: datetime  # aware UTC
    due_date: date | None  # for assessment: the local date of the due instant
    overdue_from: datetime | None  # aware UTC: the first instant the deadline is overdue
    legal_basis: LegalBasis
    trace: tuple[str, ...]  # how it was computed, step by step, in Danish
    rules_version: str  # the id of the rules version in force at the deadline's start
    precondition: str | None = None  # instead of a date: what must hold at the decision


ASSESSMENT_PERIOD = timedelta(hours=24)
RECEIPT_WORKING_DAYS = 6
PLAN_PERIOD = relativedelta(months=3)
INVESTIGATION_PERIOD = relativedelta(months=4)
FOLLOW_UP_PERIOD = relativedelta(months=3)
YOUTH_PLAN_AGE = 16
YOUTH_PLAN_PERIOD = relativedelta(months=3)

DECISION_DESCRIPTIONS = {
    DecisionKind.SUPPORT: "støttende indsats (barnets lov § 32)",
    DecisionKind.VOLUNTARY_PLACEMENT: "frivillig anbringelse (barnets lov § 46)",
    DecisionKind.PLACEMENT_WITHOUT_CONSENT: "anbringelse uden samtykke (barnets lov § 47)",
    DecisionKind.ACUTE_SUPPORT: "akut, foreløbig støttende indsats (barnets lov § 32, stk. 4)",
    DecisionKind.ACUTE_PLACEMENT: "akut, foreløbig anbringelse (barnets lov § 46, stk. 3)",
}

PLAN_BEFORE_DECISION = (
    "Barnets plan (§ 91) eller ungeplan (§ 108) skal foreligge, før afgørelsen om "
    "anbringelse uden samtykke efter § 47 træffes."
)
