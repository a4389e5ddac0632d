"""Screen names of stored values: deadline kinds and statuses, decisions, a notification's
choices, roles and the outbox's e-mail statuses.

One place for every label a page, an e-mail, an export or the CLI shows; phrasing
(how far a deadline is) is tracker.text.wording's.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from tracker.domain.rules import DeadlineKind, DecisionKind
from tracker.domain.status import DeadlineStatus
from tracker.models.alerts import AlertStatus
from tracker.models.cases import AgeGroup, AssessmentOutcome, Channel, ConcernCategory, NotifierKind
from tracker.models.people import Role
from tracker.models.timeline import TimelineKind

KIND_LABELS = {
    DeadlineKind.ASSESSMENT: _l("24-hour assessment"),
    DeadlineKind.RECEIPT: _l("Confirmation of receipt"),
    DeadlineKind.ORIENTATION: _l("Orientation of the notifier"),
    DeadlineKind.PLAN: _l("Child's plan / youth plan"),
    DeadlineKind.INVESTIGATION: _l("Child welfare investigation"),
    DeadlineKind.FOLLOW_UP: _l("First follow-up"),
    DeadlineKind.YOUTH_PLAN: _l("Youth plan at 16"),
}

DECISION_LABELS = {
    DecisionKind.SUPPORT: _l("Supportive measure (§ 32)"),
    DecisionKind.VOLUNTARY_PLACEMENT: _l("Voluntary placement (§ 46)"),
    DecisionKind.PLACEMENT_WITHOUT_CONSENT: _l("Placement without consent (§ 47)"),
    DecisionKind.ACUTE_SUPPORT: _l("Acute provisional supportive measure (§ 32, subsection 4)"),
    DecisionKind.ACUTE_PLACEMENT: _l("Acute provisional placement (§ 46, subsection 3)"),
}

DEADLINE_STATUS_LABELS = {
    DeadlineStatus.OPEN: _l("Open"),
    DeadlineStatus.DUE_SOON: _l("Due soon"),
    DeadlineStatus.OVERDUE: _l("Overdue"),
    DeadlineStatus.MET_ON_TIME: _l("Met on time"),
    DeadlineStatus.MET_LATE: _l("Met late"),
    DeadlineStatus.NOT_APPLICABLE: _l("Not applicable"),
    DeadlineStatus.PRECONDITION: _l("Precondition"),
}

# --- The choices of a notification ---

CHANNEL_LABELS = {
    Channel.EMAIL: _l("E-mail"),
    Channel.DIGITAL_FORM: _l("Digital form"),
    Channel.PHONE: _l("Phone"),
    Channel.LETTER: _l("Letter"),
    Channel.POLICE: _l("Police report"),
    Channel.IN_PERSON: _l("In person"),
    Channel.OTHER: _l("Other"),
}

NOTIFIER_KIND_LABELS = {
    NotifierKind.PROFESSIONAL: _l("Professional (§ 133)"),
    NotifierKind.CITIZEN: _l("Private person, identifiable"),
    NotifierKind.ANONYMOUS: _l("Anonymous"),
    NotifierKind.POLICE: _l("Police"),
    NotifierKind.OTHER: _l("Other"),
}

CONCERN_LABELS = {
    ConcernCategory.NEGLECT: _l("Neglect"),
    ConcernCategory.VIOLENCE: _l("Violence"),
    ConcernCategory.SEXUAL_ABUSE: _l("Sexual abuse"),
    ConcernCategory.NEGATIVE_SOCIAL_CONTROL: _l("Negative social control"),
    ConcernCategory.HONOUR_RELATED_CONFLICT: _l("Honour-related conflict"),
    ConcernCategory.SUBSTANCE_ABUSE: _l("Substance abuse"),
    ConcernCategory.PARENTAL_MENTAL_HEALTH: _l("Parent's mental health"),
    ConcernCategory.CHILD_WELLBEING: _l("The child's wellbeing"),
    ConcernCategory.SCHOOL_ABSENCE: _l("School absence"),
    ConcernCategory.CRIME: _l("Crime"),
    ConcernCategory.OTHER: _l("Other"),
}

AGE_GROUP_LABELS = {
    AgeGroup.AGE_0_5: _l("0-5 years"),
    AgeGroup.AGE_6_11: _l("6-11 years"),
    AgeGroup.AGE_12_14: _l("12-14 years"),
    AgeGroup.AGE_15_17: _l("15-17 years"),
    AgeGroup.AGE_18_22: _l("18-22 years"),
    AgeGroup.UNKNOWN: _l("Unknown"),
}

OUTCOME_LABELS = {
    AssessmentOutcome.ACUTE_ACTION: _l("Acute action taken"),
    AssessmentOutcome.NO_ACUTE_ACTION: _l("No acute action needed"),
    AssessmentOutcome.FORWARDED: _l("Forwarded to the responsible authority"),
}

# --- The case timeline ---

TIMELINE_KIND_LABELS = {
    TimelineKind.REGISTERED: _l("Registered"),
    TimelineKind.STEP_DONE: _l("Step done"),
    TimelineKind.DEADLINE_MET: _l("Deadline met"),
    TimelineKind.DEADLINE_NOT_APPLICABLE: _l("Deadline marked not applicable"),
    TimelineKind.DEADLINE_MOVED: _l("Deadline moved"),
    TimelineKind.INVESTIGATION_STARTED: _l("Investigation started"),
    TimelineKind.OUTCOME: _l("Outcome of the 24-hour assessment"),
    TimelineKind.DECISION: _l("Decision"),
    TimelineKind.REASSIGNED: _l("Given to another caseworker"),
    TimelineKind.CORRECTION: _l("Correction"),
    TimelineKind.NOTE: _l("Note"),
    TimelineKind.CLOSED: _l("Case closed"),
    TimelineKind.REOPENED: _l("Case reopened"),
    TimelineKind.ALERT_ACKNOWLEDGED: _l("Alert acknowledged"),
    TimelineKind.RULES_APPLIED: _l("New rules applied"),
}

# --- People and the outbox ---

ROLE_LABELS = {
    Role.CASEWORKER: _l("Caseworker"),
    Role.LEADER: _l("Leader"),
    Role.ADMIN: _l("Administrator"),
}

ALERT_STATUS_LABELS = {
    AlertStatus.PENDING: _l("Waiting"),
    AlertStatus.SENT: _l("Sent"),
    AlertStatus.FAILED: _l("Failed"),
    AlertStatus.CANCELLED: _l("Withdrawn"),
}


def label(labels: dict, value: str | None) -> str:
    """Return the screen name of a stored value ("" for None, the value itself if unknown)."""
    if value is None:
        return ""
    for key, text in labels.items():
        if key == value:
            return str(text)
    return value
