"""The deadline kinds, their legal bases and the local policy: the rules as data."""

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


# The 24-hour assessment falls due at an instant, to the minute; every other kind is met
# until the end of its due day, local time.
KINDS_DUE_AT_AN_INSTANT = frozenset({DeadlineKind.ASSESSMENT})


def is_due_at_an_instant(kind: str) -> bool:
    """Tell whether a deadline of this kind is due at a time of day, not at the end of a day."""
    return kind in KINDS_DUE_AT_AN_INSTANT


class DecisionKind(StrEnum):
    SUPPORT = "stoettende"  # støttende indsats, barnets lov § 32
    VOLUNTARY_PLACEMENT = "frivillig"  # frivillig anbringelse, § 46
    PLACEMENT_WITHOUT_CONSENT = "uden-samtykke"  # anbringelse uden samtykke, § 47


@dataclass(frozen=True, slots=True)
class LegalBasis:
    paragraph: str
    text: str


@dataclass(frozen=True, slots=True)
class ComputedDeadline:
    """One computed deadline: when it starts, when it is due, why, and how it was computed."""

    kind: DeadlineKind
    starts_at: datetime  # aware UTC
    due_date: date | None  # for assessment: the local date of the due instant
    overdue_from: datetime | None  # aware UTC: the first instant the deadline is overdue
    legal_basis: LegalBasis
    trace: tuple[str, ...]  # how it was computed, step by step, in Danish
    precondition: str | None = None  # instead of a date: what must hold at the decision


@dataclass(frozen=True)
class RulesPolicy:
    """A municipality's local choices; the statutory rules are not configurable."""

    orientation_working_days: int = 6
    # Statute requires the receipt only for § 133 professionals; many municipalities confirm to all.
    receipt_for_private_notifiers: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.orientation_working_days <= 250:
            raise ValueError(
                f"orientation_working_days must be 0..250, got {self.orientation_working_days}"
            )


DEFAULT_POLICY = RulesPolicy()

ASSESSMENT_PERIOD = timedelta(hours=24)
RECEIPT_WORKING_DAYS = 6
PLAN_PERIOD = relativedelta(months=3)
INVESTIGATION_PERIOD = relativedelta(months=4)

LEGAL_BASES: dict[DeadlineKind, LegalBasis] = {
    DeadlineKind.ASSESSMENT: LegalBasis(
        "barnets lov §§ 136–137",
        "24-timers vurdering: inden for 24 timer efter modtagelsen vurderes, om barnets "
        "sundhed eller udvikling er i fare, og om der er behov for akutte foranstaltninger.",
    ),
    DeadlineKind.RECEIPT: LegalBasis(
        "barnets lov § 137",
        "Bekræftelse af modtagelse til underretteren senest 6 hverdage efter modtagelsen; "
        "lovbestemt for underrettere med skærpet underretningspligt (§ 133).",
    ),
    DeadlineKind.ORIENTATION: LegalBasis(
        "barnets lov § 137, stk. 1",
        "Orientering af den fagperson, der underrettede, om hvad underretningen har ført til. "
        "Loven fastsætter ingen frist; fristen er kommunens lokale målsætning.",
    ),
    DeadlineKind.PLAN: LegalBasis(
        "barnets lov §§ 91 og 108",
        "Barnets plan (§ 91) eller ungeplan (§ 108) senest 3 måneder efter afgørelsen om "
        "støttende indsats eller anbringelse; ved anbringelse uden samtykke (§ 47) før afgørelsen.",
    ),
    DeadlineKind.INVESTIGATION: LegalBasis(
        "barnets lov § 20, stk. 3",
        "Den børnefaglige undersøgelse afsluttes senest 4 måneder efter, at kommunen er blevet "
        "opmærksom på, at barnet kan have behov for særlig støtte.",
    ),
}

DECISION_DESCRIPTIONS = {
    DecisionKind.SUPPORT: "støttende indsats (barnets lov § 32)",
    DecisionKind.VOLUNTARY_PLACEMENT: "frivillig anbringelse (barnets lov § 46)",
    DecisionKind.PLACEMENT_WITHOUT_CONSENT: "anbringelse uden samtykke (barnets lov § 47)",
}

PLAN_BEFORE_DECISION = (
    "Barnets plan (§ 91) eller ungeplan (§ 108) skal foreligge, før afgørelsen om "
    "anbringelse uden samtykke efter § 47 træffes."
)
