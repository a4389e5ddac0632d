"""What the deadline rules are told from outside the domain, each in one place.

The rule book comes from the rules file (tracker.cases.legal_rules); whether a notifier
can be told anything from the stored notifier kind; which day an undersøgelse run
alongside an acute indsats was finished from the case's rows. Registering a case, the
decision and completion use cases, `tracker rules` and the calculator all ask here, so
they compute alike.
"""

from __future__ import annotations

from datetime import date

from tracker.cases.legal_rules import rules_for_app
from tracker.domain.kinds import ACUTE_DECISIONS, DeadlineKind
from tracker.domain.local_time import local_date
from tracker.domain.rulebook import RuleBook
from tracker.models.cases import NotifierKind

__all__ = [
    "citation_to_confirm",
    "notifier_identifiable",
    "parallel_investigation_finished_on",
    "rulebook",
]


def rulebook() -> RuleBook:
    """Return the app's rule book, from the rules file (the app's RULES_FILE setting)."""
    return rules_for_app()


def notifier_identifiable(kind: str) -> bool:
    """Tell whether a notifier (a NotifierKind value) can be sent a receipt or an orientation.

    Which kinds are § 133 notifiers is law and comes from the rules file.
    """
    return NotifierKind(kind) is not NotifierKind.ANONYMOUS


def parallel_investigation_finished_on(notification, decision) -> date | None:
    """Return the day the case's undersøgelse was finished, if it ran alongside `decision`.

    Only an acute, provisional indsats (§ 32, stk. 4 / § 46, stk. 3) has an undersøgelse
    alongside it; the day is the local day its investigation deadline was completed.
    """
    if decision is None or decision.kind not in ACUTE_DECISIONS:
        return None
    finished = [
        local_date(d.completed_at)
        for d in notification.deadlines
        if d.kind == DeadlineKind.INVESTIGATION and d.completed_at is not None
    ]
    return min(finished) if finished else None


def citation_to_confirm(deadline, rules: RuleBook) -> bool:
    """Tell whether a stored deadline's citation should be confirmed by the municipality's jurist.

    So when the rules version in force at its start marks the kind `to_confirm`, or when
    the stored citation is no longer the file's (`tracker rules apply` has not been run).
    """
    version = rules.in_force_on(local_date(deadline.starts_at))
    basis = version.bases.get(deadline.kind)
    if basis is None:  # a kind the rules file does not cite (a local task)
        return False
    return basis.to_confirm or basis.paragraph != deadline.legal_paragraph
