"""Screen names of the deadline kinds and decisions, for pages, e-mails and the CLI."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from tracker.domain.rules import DeadlineKind, DecisionKind

KIND_LABELS = {
    DeadlineKind.ASSESSMENT: _l("24-hour assessment"),
    DeadlineKind.RECEIPT: _l("Confirmation of receipt"),
    DeadlineKind.ORIENTATION: _l("Orientation of the notifier"),
    DeadlineKind.PLAN: _l("Child's plan / youth plan"),
    DeadlineKind.INVESTIGATION: _l("Child welfare investigation"),
}

DECISION_LABELS = {
    DecisionKind.SUPPORT: _l("Supportive measure (§ 32)"),
    DecisionKind.VOLUNTARY_PLACEMENT: _l("Voluntary placement (§ 46)"),
    DecisionKind.PLACEMENT_WITHOUT_CONSENT: _l("Placement without consent (§ 47)"),
}

# The calculator's notifier choices: (identifiable, professional).
NOTIFIERS = {
    "fagperson": (True, True),
    "privat": (True, False),
    "anonym": (False, False),
}

NOTIFIER_LABELS = {
    "fagperson": _l("Professional (§ 133)"),
    "privat": _l("Private person, identifiable"),
    "anonym": _l("Anonymous"),
}
