"""The data layer: SQLAlchemy 2.0 typed models, one module per area.

Every schema change here comes with an Alembic revision in migrations/versions.
"""

from __future__ import annotations

from tracker.extensions import db
from tracker.models.alerts import (
    DIGEST_STAGE,
    INTAKE_DOWN_STAGE,
    LOOKUP_LIMIT_STAGE,
    MAIL_TROUBLE_STAGE,
    OUTAGE_STAGE,
    REASSIGNED_STAGE,
    Alert,
    AlertAcknowledgement,
    AlertRoute,
    AlertStatus,
)
from tracker.models.cases import (
    AgeGroup,
    AssessmentOutcome,
    CaseStatus,
    Channel,
    ChecklistTick,
    ConcernCategory,
    Deadline,
    Decision,
    Gender,
    Notification,
    NotificationConcern,
    NotifierKind,
    ReferenceCounter,
)
from tracker.models.column_types import UTCDateTime
from tracker.models.intake import IntakeItem, IntakeMailboxState, IntakeSource, IntakeStatus
from tracker.models.oncall import OnCallShift
from tracker.models.operations import Heartbeat, MailTrouble, SchedulerOutage
from tracker.models.people import (
    ApiToken,
    AuditEvent,
    AuditLogIsAppendOnly,
    AuditRetentionPermit,
    Role,
    SignInFailure,
    Team,
    User,
    utcnow,
)
from tracker.models.timeline import TimelineEntry, TimelineKind

__all__ = [
    "DIGEST_STAGE",
    "INTAKE_DOWN_STAGE",
    "LOOKUP_LIMIT_STAGE",
    "MAIL_TROUBLE_STAGE",
    "OUTAGE_STAGE",
    "REASSIGNED_STAGE",
    "AgeGroup",
    "Alert",
    "AlertAcknowledgement",
    "AlertRoute",
    "AlertStatus",
    "ApiToken",
    "AssessmentOutcome",
    "AuditEvent",
    "AuditLogIsAppendOnly",
    "AuditRetentionPermit",
    "CaseStatus",
    "Channel",
    "ChecklistTick",
    "ConcernCategory",
    "Deadline",
    "Decision",
    "Gender",
    "Heartbeat",
    "IntakeItem",
    "IntakeMailboxState",
    "IntakeSource",
    "IntakeStatus",
    "MailTrouble",
    "Notification",
    "NotificationConcern",
    "NotifierKind",
    "OnCallShift",
    "ReferenceCounter",
    "Role",
    "SchedulerOutage",
    "SignInFailure",
    "Team",
    "TimelineEntry",
    "TimelineKind",
    "UTCDateTime",
    "User",
    "db",
    "utcnow",
]
