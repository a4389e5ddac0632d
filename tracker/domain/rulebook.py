"""The rules as data: legal bases, § 133 notifiers and local targets, in dated versions.

A RuleBook is what the rules file says, parsed (tracker.cases.legal_rules reads the
file; the domain never does). Each RulesVersion holds everything the deadline rules
need from outside the code, and applies from its `effective_from` day: a deadline is
computed under the version in force on the local day it starts, and its trace names
that version. Plain frozen data, so a test builds one without a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from tracker.domain.kinds import BARNETS_LOV_KINDS, DeadlineKind, LegalBasis


@dataclass(frozen=True, slots=True)
class Source:
    """Where a citation was taken from, and when it was read."""

    id: str
    title: str
    url: str
    read_on: date
    says: str


@dataclass(frozen=True, slots=True)
class LocalTarget:
    """A municipality's own target for a task the law gives no deadline (part of local policy)."""

    hours: int | None = None
    working_days: int | None = None


@dataclass(frozen=True)
class RulesVersion:
    """The rules in force from one day: a legal basis per kind, § 133 notifiers, local targets."""

    id: str
    effective_from: date
    title: str
    bases: Mapping[DeadlineKind, LegalBasis]
    section_133_notifiers: frozenset[str]
    # Local policy, not law: the orientation's target and whether private notifiers get a receipt.
    orientation_working_days: int = 6
    receipt_for_private_notifiers: bool = True
    # The genvurdering has no statutory deadline: the municipality's target, in hours.
    reassessment_hours: int = 24
    # The adults' local tasks: their targets by task name (wired by the action-card work).
    adult_task_targets: Mapping[str, LocalTarget] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = sorted(kind.value for kind in BARNETS_LOV_KINDS if kind not in self.bases)
        if missing:
            raise ValueError(f"rules version {self.id!r} lacks a legal basis for {missing}")
        if not 0 <= self.orientation_working_days <= 250:
            raise ValueError(
                f"orientation_working_days must be 0..250, got {self.orientation_working_days}"
            )
        if not 1 <= self.reassessment_hours <= 2000:
            raise ValueError(f"reassessment_hours must be 1..2000, got {self.reassessment_hours}")
        object.__setattr__(self, "bases", MappingProxyType(dict(self.bases)))
        object.__setattr__(
            self, "adult_task_targets", MappingProxyType(dict(self.adult_task_targets))
        )

    def basis(self, kind: DeadlineKind | str) -> LegalBasis:
        """Return the legal basis of one deadline kind under this version (KeyError if none)."""
        return self.bases[DeadlineKind(kind)]

    def is_section_133_notifier(self, notifier_kind: str) -> bool:
        """Tell whether a notifier kind has skærpet underretningspligt (§ 133) in this version."""
        return notifier_kind in self.section_133_notifiers

    def trace_line(self, start: date) -> str:
        """The one trace line that names this version, for a deadline starting on `start`."""
        line = f"Regelgrundlag: version «{self.id}», gældende fra {self.effective_from.isoformat()}"
        if start < self.effective_from:
            line += " (fristen begyndte før; den tidligste version bruges)"
        return line


@dataclass(frozen=True)
class RuleBook:
    """Every rules version, oldest first, and the sources their citations were taken from."""

    versions: tuple[RulesVersion, ...]
    sources: tuple[Source, ...] = ()

    def __post_init__(self) -> None:
        if not self.versions:
            raise ValueError("a rule book needs at least one version")
        days = [v.effective_from for v in self.versions]
        if days != sorted(days) or len(set(days)) != len(days):
            raise ValueError("rules versions must have increasing, distinct effective_from days")
        ids = [v.id for v in self.versions]
        if len(set(ids)) != len(ids):
            raise ValueError("rules version ids must be unique")

    def in_force_on(self, day: date) -> RulesVersion:
        """Return the version in force on a local day (the earliest one before any applies)."""
        current = self.versions[0]
        for version in self.versions[1:]:
            if version.effective_from > day:
                break
            current = version
        return current

    def version(self, version_id: str) -> RulesVersion:
        """Return a version by its id (KeyError if the book has none by that id)."""
        for version in self.versions:
            if version.id == version_id:
                return version
        raise KeyError(version_id)

    @property
    def by_source_id(self) -> Mapping[str, Source]:
        return MappingProxyType({source.id: source for source in self.sources})
