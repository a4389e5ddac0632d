"""The JSON schemas of the API's bodies and its limits: one source for the views and the document.

Enums come from the models' and the domain's StrEnums, lengths from the models'
length constants, and the CPR pattern from tracker.notification_input, so the
OpenAPI document (tracker.web.openapi) cannot drift from what the endpoints accept.
"""

from __future__ import annotations

from enum import StrEnum

from tracker.cases.input import CPR_PATTERN
from tracker.domain.rules import DeadlineKind
from tracker.domain.status import DeadlineStatus
from tracker.models.cases import (
    CHILD_REFERENCE_LENGTH,
    CONTACT_LENGTH,
    NOTE_LENGTH,
    REFERENCE_LENGTH,
    SUMMARY_LENGTH,
    AgeGroup,
    AssessmentOutcome,
    CaseStatus,
    Channel,
    ConcernCategory,
    Gender,
    NotifierKind,
)
from tracker.models.intake import IntakeStatus
from tracker.web.ids import MAX_ID

API_PREFIX = "/api/v1"
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


TIME_NOTE = (
    "An ISO 8601 date-time with a UTC offset (e.g. 2026-04-01T15:40:00+02:00 or ...Z). "
    "A time without an offset is refused."
)


def enum_schema(enum: type[StrEnum], *, nullable: bool = False, description: str | None = None):
    values: list = [member.value for member in enum]
    schema: dict = {"type": "string", "enum": values}
    if nullable:
        schema["nullable"] = True
        schema["enum"] = [*values, None]
    if description:
        schema["description"] = description
    return schema


def _text(max_length: int, *, nullable: bool = False, required: bool = False, **extra) -> dict:
    schema: dict = {"type": "string", "maxLength": max_length, **extra}
    if required:
        schema["minLength"] = 1
    if nullable:
        schema["nullable"] = True
    return schema


def id_schema(*, nullable: bool = False, description: str | None = None) -> dict:
    schema: dict = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    if nullable:
        schema["nullable"] = True
    if description:
        schema["description"] = description
    return schema


def _time(*, nullable: bool = False, description: str = "") -> dict:
    schema: dict = {"type": "string", "format": "date-time"}
    if description:
        schema["description"] = description
    if nullable:
        schema["nullable"] = True
    return schema


def _date(*, nullable: bool = False) -> dict:
    schema: dict = {"type": "string", "format": "date"}
    if nullable:
        schema["nullable"] = True
    return schema


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def notification_create_schema() -> dict:
    """Return the schema of POST /notifications' body."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "received_at",
            "channel",
            "notifier_kind",
            "child_reference",
            "summary",
        ],
        "properties": {
            "received_at": _time(description="When it arrived. " + TIME_NOTE),
            "channel": enum_schema(Channel),
            "notifier_kind": enum_schema(
                NotifierKind,
                description="An anonymous notifier starts no receipt deadline; a "
                "professional or the police (§ 133) also an orientation deadline.",
            ),
            "notifier_contact": _text(
                CONTACT_LENGTH,
                nullable=True,
                description="Required unless the notifier is anonymous; must be empty then.",
            ),
            "notifier_note": _text(
                CONTACT_LENGTH,
                nullable=True,
                description="What was noted of the notifier, e.g. 'skjult nummer'; allowed "
                "for an anonymous notifier (no contact details).",
            ),
            "child_reference": _text(CHILD_REFERENCE_LENGTH, required=True),
            "cpr_number": {
                "type": "string",
                "nullable": True,
                "pattern": CPR_PATTERN.pattern,
                "description": "Ten digits, the first six a real date. Stored, never returned.",
            },
            "child_birth_date": _date(nullable=True),
            "expected_birth_date": {
                **_date(nullable=True),
                "description": "An unborn child: the expected date of birth (then no CPR "
                "number, birth date or age group).",
            },
            "age_group": enum_schema(
                AgeGroup, nullable=True, description='"unborn" is set, never sent.'
            ),
            "child_gender": enum_schema(Gender, description="Default: unknown."),
            "notifier_sector": {
                "type": "string",
                "nullable": True,
                "description": "A key of the municipality's notifier sectors file.",
            },
            "concerns": {
                "type": "array",
                "items": enum_schema(ConcernCategory),
                "minItems": 1,
                "uniqueItems": True,
                "description": "Required (or concern_category): every concern, the first first.",
            },
            "concern_category": {
                **enum_schema(ConcernCategory),
                "description": "One concern: the older form of `concerns`.",
            },
            "summary": _text(SUMMARY_LENGTH, required=True),
            "team_id": id_schema(
                description="Default: the caller's team, if they have exactly one."
            ),
            "caseworker_id": id_schema(nullable=True, description="An active user of the team."),
        },
    }


# The text of a form's submission (the whole body is stored as received as well).
INTAKE_TEXT_LENGTH = 50_000


def intake_create_schema() -> dict:
    """Return the schema of POST /intake's body: a form's submission with its own time."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["submitted_at", "external_id", "text"],
        "properties": {
            "submitted_at": _time(
                description="When the form was submitted: the 24-hour clock runs from it. "
                + TIME_NOTE
            ),
            "external_id": _text(
                255,
                required=True,
                description="The submission's id in the form system; the same id again "
                "is the same item (200 instead of 201).",
            ),
            "form": _text(64, nullable=True, description="The form's name; default: api."),
            "sender": _text(500, nullable=True, description="Who submitted it, if known."),
            "subject": _text(500, nullable=True),
            "text": _text(INTAKE_TEXT_LENGTH, required=True, description="What was submitted."),
        },
    }


def intake_item_schema() -> dict:
    """Return the schema of an intake item as the API answers: ids and times, no content."""
    return {
        "type": "object",
        "required": ["id", "arrived_at", "assessment_due_at", "status"],
        "properties": {
            "id": id_schema(),
            "arrived_at": _time(),
            "assessment_due_at": _time(description="24 hours after arrival."),
            "status": enum_schema(IntakeStatus),
        },
    }


def deadline_schema() -> dict:
    """Return the schema of a deadline in answers."""
    return {
        "type": "object",
        "required": [
            "id",
            "notification_id",
            "reference",
            "kind",
            "status",
            "due_date",
            "overdue_from",
            "legal_basis",
            "trace",
            "completed_at",
        ],
        "properties": {
            "id": id_schema(),
            "notification_id": id_schema(),
            "reference": {"type": "string", "maxLength": REFERENCE_LENGTH},
            "kind": enum_schema(DeadlineKind),
            "kind_label": {"type": "string"},
            "status": enum_schema(DeadlineStatus, description="At the time of the answer."),
            "time_phrase": {"type": "string", "description": "Danish: how far from the deadline."},
            "starts_at": _time(),
            "due_date": _date(nullable=True),
            "overdue_from": _time(nullable=True, description="The first overdue instant."),
            "legal_basis": {
                "type": "object",
                "required": ["paragraph", "text"],
                "properties": {"paragraph": {"type": "string"}, "text": {"type": "string"}},
            },
            "trace": {"type": "array", "items": {"type": "string"}},
            "precondition": {"type": "string", "nullable": True},
            "completed_at": _time(nullable=True),
            "completed_by_id": id_schema(nullable=True),
            "outcome_note": {
                "type": "string",
                "nullable": True,
                "description": "Only in answers about one case, never in lists.",
            },
            "not_applicable_reason": {
                "type": "string",
                "nullable": True,
                "description": "Only in answers about one case, never in lists.",
            },
            "team_id": id_schema(),
            "caseworker_id": id_schema(nullable=True),
        },
    }


def notification_schema() -> dict:
    """Return the schema of a notification in answers (never with the CPR number)."""
    return {
        "type": "object",
        "required": ["id", "reference", "received_at", "team_id", "status", "deadlines"],
        "properties": {
            "id": id_schema(),
            "reference": {"type": "string", "maxLength": REFERENCE_LENGTH},
            "received_at": _time(),
            "registered_at": _time(),
            "channel": enum_schema(Channel),
            "notifier_kind": enum_schema(NotifierKind),
            "notifier_contact": {"type": "string", "nullable": True},
            "child_reference": {"type": "string"},
            "has_cpr_number": {
                "type": "boolean",
                "description": "The CPR number itself is never sent out by the API.",
            },
            "child_birth_date": {
                **_date(nullable=True),
                "description": "null when the case has a CPR number (it would give out "
                "the number's first six digits).",
            },
            "age_group": enum_schema(AgeGroup, nullable=True),
            "expected_birth_date": _date(nullable=True),
            "child_gender": enum_schema(Gender),
            "notifier_sector": {"type": "string", "nullable": True},
            "concerns": {"type": "array", "items": enum_schema(ConcernCategory)},
            "concern_category": {
                **enum_schema(ConcernCategory),
                "description": "The first of `concerns`.",
            },
            "summary": {"type": "string"},
            "team_id": id_schema(),
            "caseworker_id": id_schema(nullable=True),
            "status": enum_schema(CaseStatus),
            "assessment_outcome": enum_schema(AssessmentOutcome, nullable=True),
            "deadlines": {"type": "array", "items": ref("Deadline")},
            "card": ref("Card"),
            "timeline": {
                "type": "array",
                "items": ref("TimelineEntry"),
                "description": "Everything that happened on the case, newest first.",
            },
        },
    }


def error_schema() -> dict:
    """Return the schema of every error answer."""
    return {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {"type": "string", "description": "A short code, e.g. not_found."},
            "message": {"type": "string", "description": "What went wrong, in Danish."},
            "fields": {
                "type": "object",
                "description": "Per field or query parameter: the Danish messages.",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
    }


def complete_schema() -> dict:
    """Return the schema of POST /deadlines/{id}/complete's (optional) body."""
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "completed_at": _time(
                description="When it was done (default: now); not before receipt, not in the "
                "future. " + TIME_NOTE
            ),
            "note": _text(NOTE_LENGTH, nullable=True),
        },
    }
