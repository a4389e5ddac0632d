"""Case data: notifications (underretninger), their deadlines, decisions and checklist ticks."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    func,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.column_types import UTCDateTime

# Field lengths: one place, used by the models, the forms and the API schema.
REFERENCE_LENGTH = 20
CHILD_REFERENCE_LENGTH = 64
CONTACT_LENGTH = 500
SUMMARY_LENGTH = 20000  # a pasted underretning (an e-mail with its thread) fits
NOTE_LENGTH = 1000
REASON_LENGTH = 500


class Channel(StrEnum):
    """How the underretning reached the municipality."""

    EMAIL = "email"
    DIGITAL_FORM = "digital_form"
    PHONE = "phone"
    LETTER = "letter"
    POLICE = "police"
    IN_PERSON = "in_person"
    OTHER = "other"


class NotifierKind(StrEnum):
    """Who sent it; a professional has skærpet underretningspligt (barnets lov § 133)."""

    PROFESSIONAL = "professional"
    CITIZEN = "citizen"
    ANONYMOUS = "anonymous"
    POLICE = "police"
    OTHER = "other"


class ConcernCategory(StrEnum):
    """What the concern is about (the seed's categories included)."""

    NEGLECT = "neglect"
    VIOLENCE = "violence"
    SEXUAL_ABUSE = "sexual_abuse"
    NEGATIVE_SOCIAL_CONTROL = "negative_social_control"
    HONOUR_RELATED_CONFLICT = "honour_related_conflict"
    RE_EDUCATION_TRIP = "re_education_trip"  # genopdragelsesrejse
    INVOLUNTARY_STAY_ABROAD = "involuntary_stay_abroad"  # ufrivilligt udlandsophold
    SUBSTANCE_ABUSE = "substance_abuse"
    PARENTAL_MENTAL_HEALTH = "parental_mental_health"
    CHILD_WELLBEING = "child_wellbeing"
    SCHOOL_ABSENCE = "school_absence"
    CRIME = "crime"
    OTHER = "other"


class Gender(StrEnum):
    """The child's gender, as municipalities report it to Danmarks Statistik."""

    BOY = "boy"
    GIRL = "girl"
    OTHER = "other"
    UNKNOWN = "unknown"


class AgeGroup(StrEnum):
    """The child's age group, when no birth date is known; UNBORN is set, never chosen."""

    # An unborn child (vordende forældre, barnets lov § 133; a child): set from the
    # expected date of birth, never chosen.
    UNBORN = "unborn"
    AGE_0_5 = "0-5"
    AGE_6_11 = "6-11"
    AGE_12_14 = "12-14"
    AGE_15_17 = "15-17"
    AGE_18_22 = "18-22"
    UNKNOWN = "unknown"


# At most this many concerns (årsager) per underretning: each category once.
MAX_CONCERNS = len(ConcernCategory)
NOTIFIER_SECTOR_LENGTH = 40


class CaseStatus(StrEnum):
    """Whether the case is still being worked on."""

    OPEN = "open"
    CLOSED = "closed"


class AssessmentOutcome(StrEnum):
    """The result of the 24-hour assessment."""

    ACUTE_ACTION = "acute_action"
    NO_ACUTE_ACTION = "no_acute_action"
    FORWARDED = "forwarded"


class ReferenceCounter(db.Model):
    """The last case number handed out per year, for references like U-2026-000123."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, nullable=False)


class Notification(db.Model):
    """One underretning: when and how it arrived, about which child, and who owns it."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(REFERENCE_LENGTH), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(20))
    notifier_kind: Mapped[str] = mapped_column(String(20))
    notifier_contact: Mapped[str | None] = mapped_column(String(CONTACT_LENGTH))
    # A key of the municipality's notifier sectors (tracker.cases.notifier_sectors); None:
    # not stated (cases registered before the field existed).
    notifier_sector: Mapped[str | None] = mapped_column(String(NOTIFIER_SECTOR_LENGTH))
    # What the caseworker noted of the notifier (also an anonymous one): "skjult nummer,
    # kvindestemme". Never contact details of an anonymous notifier.
    notifier_note: Mapped[str | None] = mapped_column(String(CONTACT_LENGTH))
    child_reference: Mapped[str] = mapped_column(String(CHILD_REFERENCE_LENGTH), index=True)
    # Never shown in lists and never sent anywhere: only on the case page.
    cpr_number: Mapped[str | None] = mapped_column(String(10))
    child_birth_date: Mapped[date | None] = mapped_column(Date)
    age_group: Mapped[str | None] = mapped_column(String(10))
    # An unborn child: the expected date of birth (age_group is then AgeGroup.UNBORN).
    expected_birth_date: Mapped[date | None] = mapped_column(Date)
    child_gender: Mapped[str] = mapped_column(
        String(10), default=Gender.UNKNOWN, server_default=Gender.UNKNOWN.value
    )
    summary: Mapped[str] = mapped_column(Text)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    caseworker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=CaseStatus.OPEN)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assessment_outcome: Mapped[str | None] = mapped_column(String(20))
    assessment_outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assessment_outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Set when retention (tracker.operations.retention) anonymised the closed case: its personal
    # data and free text are gone; references, kinds, dates and deadlines remain for statistics.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # The concerns (årsager), the first one first; at least one.
    concerns: Mapped[list[NotificationConcern]] = relationship(
        order_by="NotificationConcern.position", cascade="all, delete-orphan"
    )
    deadlines: Mapped[list[Deadline]] = relationship(
        back_populates="notification", order_by="Deadline.id", cascade="all, delete-orphan"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="notification", order_by="Decision.id", cascade="all, delete-orphan"
    )
    checklist_ticks: Mapped[list[ChecklistTick]] = relationship(
        back_populates="notification", cascade="all, delete-orphan"
    )
    # The case's timeline (tracker.models.timeline), in the order written; the page and the
    # API show it newest first through tracker.cases.timeline.entries_for.
    timeline = relationship(
        "TimelineEntry",
        back_populates="notification",
        order_by="TimelineEntry.id",
        cascade="all, delete-orphan",
    )
    team = relationship("Team", foreign_keys=[team_id])
    caseworker = relationship("User", foreign_keys=[caseworker_id])
    registered_by = relationship("User", foreign_keys=[registered_by_id])

    __table_args__ = (
        Index("ix_notifications_team_received", "team_id", "received_at"),
        Index("ix_notifications_received_at", "received_at"),
    )

    @property
    def concern_categories(self) -> list[str]:
        """Return the concerns' categories (ConcernCategory values), the first one first."""
        return [concern.category for concern in self.concerns]


class NotificationConcern(db.Model):
    """One concern (årsag) of an underretning; `position` 0 is the first one named."""

    __tablename__ = "notification_concerns"

    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notifications.id"), primary_key=True, autoincrement=False
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    category: Mapped[str] = mapped_column(String(40))

    __table_args__ = (
        UniqueConstraint("notification_id", "category", name="uq_notification_concern"),
        Index("ix_notification_concerns_category", "category"),
    )


class Decision(db.Model):
    """An afgørelse on support or placement, which starts the plan deadline."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    decided_on: Mapped[date] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    notification: Mapped[Notification] = relationship(back_populates="decisions")


class Deadline(db.Model):
    """One statutory or local deadline of a notification, with how it was computed."""

    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    kind: Mapped[str] = mapped_column(String(20))
    legal_paragraph: Mapped[str] = mapped_column(String(100))
    legal_text: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_date: Mapped[date | None] = mapped_column(Date)
    overdue_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    precondition: Mapped[str | None] = mapped_column(String(300))
    trace: Mapped[list[str]] = mapped_column(JSON, default=list)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome_note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    not_applicable_reason: Mapped[str | None] = mapped_column(String(REASON_LENGTH))
    # Copied from the notification (and kept in step by reassign) so that the
    # dashboard's and the scheduler's queries are served by one index each.
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    caseworker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Who held the case when the deadline fell due, written by reassign when the case
    # changes hands after that; None means the caseworker above still is that person.
    due_caseworker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    next_alert_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    notification: Mapped[Notification] = relationship(back_populates="deadlines")
    decision: Mapped[Decision | None] = relationship()
    completed_by = relationship("User", foreign_keys=[completed_by_id])

    @hybrid_property
    def responsible_at_due_id(self) -> int | None:
        """Return who was the caseworker when the deadline fell due (for "met late")."""
        return self.due_caseworker_id if self.due_caseworker_id is not None else self.caseworker_id

    @responsible_at_due_id.inplace.expression
    @classmethod
    def _responsible_at_due_expression(cls) -> ColumnElement[int | None]:
        return func.coalesce(cls.due_caseworker_id, cls.caseworker_id)

    @hybrid_property
    def is_open(self) -> bool:
        """Tell whether the deadline is still to be met: not completed, not marked not applicable.

        The one definition of an open deadline, in Python and (Deadline.is_open) in SQL;
        the partial indexes below are built from the same expression.
        """
        return self.completed_at is None and self.not_applicable_reason is None

    @is_open.inplace.expression
    @classmethod
    def _is_open_expression(cls) -> ColumnElement[bool]:
        return and_(cls.completed_at.is_(None), cls.not_applicable_reason.is_(None))

    __table_args__ = (
        # The scheduler: open deadlines whose next alert is due.
        Index(
            "ix_deadlines_next_alert_at",
            "next_alert_at",
            postgresql_where=text("next_alert_at IS NOT NULL"),
            sqlite_where=text("next_alert_at IS NOT NULL"),
        ),
        # The compliance report: deadlines by due month and kind.
        Index("ix_deadlines_team_due_kind", "team_id", "due_date", "kind"),
        CheckConstraint(
            "completed_at IS NULL OR completed_by_id IS NOT NULL", name="completion_has_author"
        ),
    )


def _open_deadlines_index(name: str, owner: InstrumentedAttribute) -> Index:
    # The dashboard: open deadlines by urgency, per team and per caseworker. Built from
    # Deadline.is_open, so the index and the queries it serves cannot drift apart.
    return Index(
        name,
        owner,
        Deadline.overdue_from,
        Deadline.id,
        postgresql_where=Deadline.is_open,
        sqlite_where=Deadline.is_open,
    )


_open_deadlines_index("ix_deadlines_open_team", Deadline.team_id)
_open_deadlines_index("ix_deadlines_open_caseworker", Deadline.caseworker_id)


class ChecklistTick(db.Model):
    """An action-card checklist item ticked on a case: who and when."""

    __tablename__ = "checklist_ticks"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"))
    item_key: Mapped[str] = mapped_column(String(64))
    ticked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ticked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    notification: Mapped[Notification] = relationship(back_populates="checklist_ticks")
    ticked_by = relationship("User")

    __table_args__ = (UniqueConstraint("notification_id", "item_key"),)
