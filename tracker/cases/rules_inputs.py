"""What the deadline rules are told from outside the domain, each in one place.

The municipality's policy comes from the app's settings, and whether a notifier is
identifiable and a § 133 professional from the stored notifier kind. Registering a
case, the calculator page and `tracker calc` all ask here, so they compute alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from tracker.domain.rules import RulesPolicy
from tracker.models.cases import NotifierKind


def rules_policy(config: Mapping[str, Any]) -> RulesPolicy:
    """Return the municipality's rules policy from the app's settings (config.py)."""
    return RulesPolicy(orientation_working_days=config["ORIENTATION_WORKING_DAYS"])


class NotifierFacts(NamedTuple):
    """What the rules need to know about who sent an underretning."""

    identifiable: bool  # can be sent a confirmation of receipt
    professional: bool  # skærpet underretningspligt (§ 133): also told what it led to


# Skærpet underretningspligt (§ 133) covers everyone in offentlig tjeneste, the police
# included: politiets socialrapporter are § 133 underretninger (shared/LEGAL.md).
SECTION_133_NOTIFIERS = frozenset({NotifierKind.PROFESSIONAL, NotifierKind.POLICE})


def notifier_facts(kind: str) -> NotifierFacts:
    """Return the rules' view of a notifier kind (a NotifierKind value)."""
    notifier = NotifierKind(kind)
    return NotifierFacts(
        identifiable=notifier is not NotifierKind.ANONYMOUS,
        professional=notifier in SECTION_133_NOTIFIERS,
    )
