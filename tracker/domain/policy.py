"""The alert policy: for each deadline kind, when to warn and whom (pure; `now` is passed in).

The policy is data (`AlertPolicy`, one `KindPolicy` per kind) so a municipality can
change it from configuration. `planned_alerts` turns it into the full schedule of one
deadline; `due_alerts` and `next_alert_at` are what the sweep asks of that schedule.

Timing, precisely (all local times are Europe/Copenhagen):

- `warn_hours_before` n: n elapsed hours before the deadline's overdue instant.
- `warn_days_before` n: at `local_time` (08:00) on the day n calendar days before the
  due day; when that day is not a hverdag, on the hverdag before it, so a warning is
  never read later than meant. n = 0 is "the morning of the last hverdag".
- overdue: at the overdue instant itself (the end of the due day, or 24 hours after
  receipt for the assessment), to `overdue_to`.
- escalation: `escalate_after_working_days` n gives the caseworker n whole hverdage
  after the due day to catch up; the leaders are told at `local_time` on the hverdag
  after those, i.e. on `add_working_days(due_day, n + 1)`. With n = 0 they are told on
  the morning of the first hverdag after the due day.

- next level: `next_level_after_hours` n tells the level after the team leaders (an
  afdelingsleder's address, from configuration) n elapsed hours after the overdue
  instant, once, unless someone took the overdue alert before ("Jeg har den").

Stage names are stored with every alert and are part of its unique key, so they are
derived from the offset ("warn_14d", "warn_4h", "warn_last_day") and never change
meaning: re-configuring 14 days to 10 adds a stage "warn_10d" rather than re-using one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from tracker.domain.local_time import COPENHAGEN, local_date
from tracker.domain.rules import DeadlineKind
from tracker.domain.working_days import add_working_days, is_working_day

__all__ = [
    "DEFAULT_ALERT_POLICY",
    "ESCALATION_STAGES",
    "MORNING",
    "AlertPolicy",
    "Audience",
    "KindPolicy",
    "Phase",
    "PlannedAlert",
    "Stage",
    "due_alerts",
    "first_alert_at",
    "next_alert_at",
    "planned_alerts",
    "stage_for_days_before",
    "stage_for_hours_before",
]

MORNING = time(8, 0)


class Audience(StrEnum):
    CASEWORKER = "caseworker"
    LEADERS = "leaders"
    # The escalation level after the team leaders: an address from configuration.
    NEXT_LEVEL = "next_level"


class Phase(StrEnum):
    """What an alert says: the deadline is near, has passed, or is escalated to leaders."""

    WARNING = "warning"
    OVERDUE = "overdue"
    ESCALATION = "escalation"
    NEXT_LEVEL = "next_level"


class Stage(StrEnum):
    """The stored stage names of the default policy; other offsets follow the same pattern."""

    WARN_14D = "warn_14d"
    WARN_2D = "warn_2d"
    WARN_LAST_DAY = "warn_last_day"
    WARN_4H = "warn_4h"
    OVERDUE = "overdue"
    ESCALATION = "escalation"
    NEXT_LEVEL = "next_level"


# The stages an acknowledgement of an overdue deadline stops ("Jeg har den").
ESCALATION_STAGES = frozenset({Stage.ESCALATION.value, Stage.NEXT_LEVEL.value})


def stage_for_hours_before(hours: int) -> str:
    """Return the stage name of a warning `hours` before the overdue instant."""
    return f"warn_{hours}h"


def stage_for_days_before(days: int) -> str:
    """Return the stage name of a warning on the morning `days` before the due day."""
    return Stage.WARN_LAST_DAY.value if days == 0 else f"warn_{days}d"


@dataclass(frozen=True, slots=True)
class PlannedAlert:
    """One stage of a deadline's schedule: at `at` (aware UTC), tell `audiences`."""

    stage: str
    phase: Phase
    at: datetime
    audiences: tuple[Audience, ...]
    # A warning is moot from the overdue instant on: an overdue alert replaces it.
    moot_from: datetime | None = None


def _audiences(value: Iterable[Audience | str], name: str) -> tuple[Audience, ...]:
    if isinstance(value, str):
        raise ValueError(f"{name} must be a list of audiences, got {value!r}")
    try:
        members = [Audience(item) for item in value]
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}; expected {[a.value for a in Audience]}") from None
    return tuple(dict.fromkeys(members))


def _offsets(value: Iterable[int], name: str, minimum: int) -> tuple[int, ...]:
    if isinstance(value, str | int):
        raise ValueError(f"{name} must be a list of whole numbers, got {value!r}")
    numbers = set()
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or item < minimum:
            raise ValueError(f"{name} must hold whole numbers >= {minimum}, got {item!r}")
        numbers.add(item)
    # Farthest first: among warnings due at the same instant the closer one wins.
    return tuple(sorted(numbers, reverse=True))


def _clock(value: time | str, name: str) -> time:
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a time like '08:00', got {value!r}") from None


@dataclass(frozen=True)
class KindPolicy:
    """When to warn whom about one deadline kind; see the module docstring for the timing."""

    warn_hours_before: tuple[int, ...] = ()
    warn_days_before: tuple[int, ...] = ()
    warn_to: tuple[Audience, ...] = (Audience.CASEWORKER,)
    overdue_to: tuple[Audience, ...] = (Audience.CASEWORKER,)
    escalate_after_working_days: int | None = None
    escalate_to: tuple[Audience, ...] = (Audience.LEADERS,)
    next_level_after_hours: int | None = None
    local_time: time = MORNING

    def __post_init__(self) -> None:
        normalised = {
            "warn_hours_before": _offsets(self.warn_hours_before, "warn_hours_before", 1),
            "warn_days_before": _offsets(self.warn_days_before, "warn_days_before", 0),
            "warn_to": _audiences(self.warn_to, "warn_to"),
            "overdue_to": _audiences(self.overdue_to, "overdue_to"),
            "escalate_to": _audiences(self.escalate_to, "escalate_to"),
            "local_time": _clock(self.local_time, "local_time"),
        }
        hours = self.next_level_after_hours
        if hours is not None and (
            isinstance(hours, bool) or not isinstance(hours, int) or hours < 0
        ):
            raise ValueError(f"next_level_after_hours must be >= 0 or null, got {hours!r}")
        escalate = self.escalate_after_working_days
        if escalate is not None and (
            isinstance(escalate, bool) or not isinstance(escalate, int) or escalate < 0
        ):
            raise ValueError(f"escalate_after_working_days must be >= 0 or null, got {escalate!r}")
        for name, value in normalised.items():
            object.__setattr__(self, name, value)

    def merged(self, overrides: Mapping[str, Any]) -> KindPolicy:
        """Return a copy with the given settings replaced; unknown settings are an error."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError(f"unknown alert setting(s) {unknown}; known: {sorted(known)}")
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return KindPolicy(**{**values, **overrides})

    def to_mapping(self) -> dict[str, Any]:
        """Return the settings as plain data, the shape `AlertPolicy.from_mapping` reads."""
        return {
            "warn_hours_before": list(self.warn_hours_before),
            "warn_days_before": list(self.warn_days_before),
            "warn_to": [a.value for a in self.warn_to],
            "overdue_to": [a.value for a in self.overdue_to],
            "escalate_after_working_days": self.escalate_after_working_days,
            "escalate_to": [a.value for a in self.escalate_to],
            "next_level_after_hours": self.next_level_after_hours,
            "local_time": self.local_time.strftime("%H:%M"),
        }


_DAY_BASED = KindPolicy(warn_days_before=(0,), escalate_after_working_days=1)
_LONG = KindPolicy(warn_days_before=(14, 2), escalate_after_working_days=1)

DEFAULT_KIND_POLICIES: Mapping[DeadlineKind, KindPolicy] = MappingProxyType(
    {
        # A child may be in danger: the leaders hear of an overdue assessment at once.
        DeadlineKind.ASSESSMENT: KindPolicy(
            warn_hours_before=(4,), overdue_to=(Audience.CASEWORKER, Audience.LEADERS)
        ),
        DeadlineKind.RECEIPT: _DAY_BASED,
        DeadlineKind.ORIENTATION: _DAY_BASED,
        DeadlineKind.PLAN: _LONG,
        DeadlineKind.INVESTIGATION: _LONG,
        DeadlineKind.FOLLOW_UP: _LONG,
        DeadlineKind.YOUTH_PLAN: _LONG,
        # An adult may be immediately threatened: as the child's 24-hour assessment.
        DeadlineKind.THREAT_ASSESSMENT: KindPolicy(
            warn_hours_before=(4,), overdue_to=(Audience.CASEWORKER, Audience.LEADERS)
        ),
        DeadlineKind.ADULT_FOLLOW_UP: _DAY_BASED,
        # The genvurdering's target is the municipality's, in hours: warned like the assessment.
        DeadlineKind.REASSESSMENT: KindPolicy(
            warn_hours_before=(4,), overdue_to=(Audience.CASEWORKER, Audience.LEADERS)
        ),
    }
)


@dataclass(frozen=True)
class AlertPolicy:
    """The alert policy for every deadline kind."""

    kinds: Mapping[DeadlineKind, KindPolicy] = field(default_factory=lambda: DEFAULT_KIND_POLICIES)

    def __post_init__(self) -> None:
        missing = [k.value for k in DeadlineKind if k not in self.kinds]
        if missing:
            raise ValueError(f"alert policy lacks the kind(s) {missing}")
        object.__setattr__(self, "kinds", MappingProxyType(dict(self.kinds)))

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.kinds.items())))

    def for_kind(self, kind: DeadlineKind | str) -> KindPolicy:
        """Return the policy of one deadline kind."""
        return self.kinds[DeadlineKind(kind)]

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Mapping[str, Any]], base: AlertPolicy | None = None
    ) -> AlertPolicy:
        """Build a policy from plain data {kind: {setting: value}}, each over `base`'s values.

        Example: {"plan": {"warn_days_before": [30, 7]}, "receipt": {"local_time": "09:00"}}.
        """
        base = base or DEFAULT_ALERT_POLICY
        kinds = dict(base.kinds)
        for name, overrides in data.items():
            try:
                kind = DeadlineKind(name)
            except ValueError:
                known = [k.value for k in DeadlineKind]
                raise ValueError(f"unknown deadline kind {name!r}; known: {known}") from None
            if not isinstance(overrides, Mapping):
                raise ValueError(f"settings for {name!r} must be a mapping, got {overrides!r}")
            kinds[kind] = kinds[kind].merged(overrides)
        return cls(kinds)

    def to_mapping(self) -> dict[str, dict[str, Any]]:
        """Return the whole policy as plain data."""
        return {kind.value: self.kinds[kind].to_mapping() for kind in DeadlineKind}


DEFAULT_ALERT_POLICY = AlertPolicy()


def planned_alerts(
    kind: DeadlineKind | str,
    due_date: date | None,
    overdue_from: datetime | None,
    policy: AlertPolicy = DEFAULT_ALERT_POLICY,
) -> list[PlannedAlert]:
    """Return the full alert schedule of one deadline, in time order; [] without a due time."""
    if overdue_from is None:  # the § 47 plan: a precondition, not a date
        return []
    if overdue_from.tzinfo is None:
        raise ValueError("overdue_from must be timezone-aware")
    overdue_from = overdue_from.astimezone(UTC)
    rule = policy.for_kind(kind)
    # The last day on which the deadline is met (for an assessment: its local date).
    due_day = due_date or local_date(overdue_from - timedelta(microseconds=1))
    alerts = [
        alert
        for alert in _warnings(rule, due_day, overdue_from)
        if alert.at < overdue_from  # a warning at or after the deadline warns of nothing
    ]
    if rule.overdue_to:
        alerts.append(
            PlannedAlert(Stage.OVERDUE.value, Phase.OVERDUE, overdue_from, rule.overdue_to)
        )
    if rule.escalate_after_working_days is not None and rule.escalate_to:
        day = add_working_days(due_day, rule.escalate_after_working_days + 1)
        at = max(_local_instant(day, rule.local_time), overdue_from)
        alerts.append(PlannedAlert(Stage.ESCALATION.value, Phase.ESCALATION, at, rule.escalate_to))
    if rule.next_level_after_hours is not None:
        at = overdue_from + timedelta(hours=rule.next_level_after_hours)
        alerts.append(
            PlannedAlert(Stage.NEXT_LEVEL.value, Phase.NEXT_LEVEL, at, (Audience.NEXT_LEVEL,))
        )
    # A stable sort: of two warnings at the same instant the closer one stays last.
    alerts.sort(key=lambda alert: alert.at)
    return alerts


def _warnings(rule: KindPolicy, due_day: date, overdue_from: datetime) -> list[PlannedAlert]:
    if not rule.warn_to:
        return []
    by_lead: list[tuple[timedelta, PlannedAlert]] = []
    for hours in rule.warn_hours_before:
        at = overdue_from - timedelta(hours=hours)
        stage = stage_for_hours_before(hours)
        by_lead.append((overdue_from - at, _warning(stage, at, rule, overdue_from)))
    for days in rule.warn_days_before:
        at = _local_instant(_hverdag_on_or_before(due_day - timedelta(days=days)), rule.local_time)
        stage = stage_for_days_before(days)
        by_lead.append((overdue_from - at, _warning(stage, at, rule, overdue_from)))
    by_lead.sort(key=lambda pair: pair[0], reverse=True)
    return [alert for _lead, alert in by_lead]


def _warning(stage: str, at: datetime, rule: KindPolicy, overdue_from: datetime) -> PlannedAlert:
    return PlannedAlert(stage, Phase.WARNING, at, rule.warn_to, moot_from=overdue_from)


def _hverdag_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _local_instant(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=COPENHAGEN).astimezone(UTC)


def due_alerts(
    schedule: Sequence[PlannedAlert], now: datetime, since: datetime | None = None
) -> list[PlannedAlert]:
    """Return the stages to send at `now`: due, not before `since`, and not moot.

    `since` is the deadline's stored `next_alert_at`: every stage before it was handled
    by an earlier sweep. A warning is moot once the deadline has passed or when a later
    warning is due as well, so a scheduler that was down sends one current alert, not
    the whole backlog; overdue and escalation stages are never dropped.
    """
    due = [a for a in schedule if a.at <= now and (since is None or a.at >= since)]
    warnings = [a for a in due if a.phase is Phase.WARNING]
    latest_warning = warnings[-1] if warnings else None
    return [
        alert
        for alert in due
        if alert.phase is not Phase.WARNING
        or (alert is latest_warning and (alert.moot_from is None or now < alert.moot_from))
    ]


def next_alert_at(schedule: Sequence[PlannedAlert], now: datetime) -> datetime | None:
    """Return when the next stage after `now` falls due, or None when nothing is left."""
    return min((a.at for a in schedule if a.at > now), default=None)


def first_alert_at(schedule: Sequence[PlannedAlert]) -> datetime | None:
    """Return the first stage's time: a new deadline's `next_alert_at`, even if already past."""
    return min((a.at for a in schedule), default=None)
