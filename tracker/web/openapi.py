"""The OpenAPI document of /api/v1, built from the constants the validation itself uses.

Enums come from the models' and the domain's StrEnums, lengths from the models'
length constants, and the CPR pattern from tracker.notification_input, so the
document cannot drift from what the endpoints accept.
"""

from __future__ import annotations

from enum import StrEnum

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
    NotifierKind,
)
from tracker.notification_input import CPR_PATTERN

API_PREFIX = "/api/v1"
# Ids are PostgreSQL `integer` columns: larger numbers cannot name a row.
MAX_ID = 2**31 - 1
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class ListStatus(StrEnum):
    """The status filter of GET /deadlines."""

    OPEN = "open"  # every deadline not yet met or marked not applicable
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ALL = "all"


TIME_NOTE = (
    "An ISO 8601 date-time with a UTC offset (e.g. 2026-04-01T15:40:00+02:00 or ...Z). "
    "A time without an offset is refused."
)


def _enum(enum: type[StrEnum], *, nullable: bool = False, description: str | None = None):
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


def _id(*, nullable: bool = False, description: str | None = None) -> dict:
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


def _ref(name: str) -> dict:
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
            "concern_category",
            "summary",
        ],
        "properties": {
            "received_at": _time(description="When it arrived. " + TIME_NOTE),
            "channel": _enum(Channel),
            "notifier_kind": _enum(
                NotifierKind,
                description="An anonymous notifier starts no receipt deadline; a "
                "professional (§ 133) also an orientation deadline.",
            ),
            "notifier_contact": _text(
                CONTACT_LENGTH,
                nullable=True,
                description="Required unless the notifier is anonymous; must be empty then.",
            ),
            "child_reference": _text(CHILD_REFERENCE_LENGTH, required=True),
            "cpr_number": {
                "type": "string",
                "nullable": True,
                "pattern": CPR_PATTERN.pattern,
                "description": "Ten digits, the first six a real date. Stored, never returned.",
            },
            "child_birth_date": _date(nullable=True),
            "age_group": _enum(AgeGroup, nullable=True),
            "concern_category": _enum(ConcernCategory),
            "summary": _text(SUMMARY_LENGTH, required=True),
            "team_id": _id(description="Default: the caller's team, if they have exactly one."),
            "caseworker_id": _id(nullable=True, description="An active user of the team."),
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
            "id": _id(),
            "notification_id": _id(),
            "reference": {"type": "string", "maxLength": REFERENCE_LENGTH},
            "kind": _enum(DeadlineKind),
            "kind_label": {"type": "string"},
            "status": _enum(DeadlineStatus, description="At the time of the answer."),
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
            "completed_by_id": _id(nullable=True),
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
            "team_id": _id(),
            "caseworker_id": _id(nullable=True),
        },
    }


def notification_schema() -> dict:
    """Return the schema of a notification in answers (never with the CPR number)."""
    return {
        "type": "object",
        "required": ["id", "reference", "received_at", "team_id", "status", "deadlines"],
        "properties": {
            "id": _id(),
            "reference": {"type": "string", "maxLength": REFERENCE_LENGTH},
            "received_at": _time(),
            "registered_at": _time(),
            "channel": _enum(Channel),
            "notifier_kind": _enum(NotifierKind),
            "notifier_contact": {"type": "string", "nullable": True},
            "child_reference": {"type": "string"},
            "has_cpr_number": {
                "type": "boolean",
                "description": "The CPR number itself is never sent out by the API.",
            },
            "child_birth_date": _date(nullable=True),
            "age_group": _enum(AgeGroup, nullable=True),
            "concern_category": _enum(ConcernCategory),
            "summary": {"type": "string"},
            "team_id": _id(),
            "caseworker_id": _id(nullable=True),
            "status": _enum(CaseStatus),
            "assessment_outcome": _enum(AssessmentOutcome, nullable=True),
            "deadlines": {"type": "array", "items": _ref("Deadline")},
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


def _error(description: str) -> dict:
    return {"description": description, "content": _json(_ref("Error"))}


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


COMMON_ERRORS = {
    "401": _error("No valid bearer token."),
}
BODY_ERRORS = {
    "400": _error("The body is not valid JSON, or not a JSON object."),
    "413": _error("The body is too large."),
    "415": _error("The body is not sent as application/json."),
    "422": _error("Fields are missing or wrong: `fields` says which and why."),
}


def _path_id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": _id()}


def _list_parameters() -> list[dict]:
    return [
        {
            "name": "status",
            "in": "query",
            "description": "open: not yet met or marked not applicable (includes overdue and "
            "due_soon); overdue: past the deadline; due_soon: due within 24 hours; all.",
            "schema": {**_enum(ListStatus), "default": ListStatus.OPEN.value},
        },
        {
            "name": "team",
            "in": "query",
            "description": "One of the caller's teams (another team answers 404).",
            "schema": _id(),
        },
        {"name": "kind", "in": "query", "schema": _enum(DeadlineKind)},
        {
            "name": "after",
            "in": "query",
            "description": "The `next` cursor of the previous page.",
            "schema": {"type": "string", "maxLength": 200},
        },
        {
            "name": "limit",
            "in": "query",
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_PAGE_SIZE,
                "default": DEFAULT_PAGE_SIZE,
            },
        },
    ]


def _paths() -> dict:
    return {
        f"{API_PREFIX}/notifications": {
            "post": {
                "operationId": "createNotification",
                "summary": "Register an underretning; its deadlines are computed at once.",
                "requestBody": {"required": True, "content": _json(_ref("NotificationCreate"))},
                "responses": {
                    "201": {"description": "Registered.", "content": _json(_ref("Notification"))},
                    **BODY_ERRORS,
                    **COMMON_ERRORS,
                },
            }
        },
        f"{API_PREFIX}/notifications/{{notification_id}}": {
            "get": {
                "operationId": "getNotification",
                "summary": "One notification of the caller's teams, with its deadlines.",
                "parameters": [_path_id("notification_id")],
                "responses": {
                    "200": {"description": "Found.", "content": _json(_ref("Notification"))},
                    "404": _error("No such notification in the caller's teams."),
                    **COMMON_ERRORS,
                },
            }
        },
        f"{API_PREFIX}/deadlines": {
            "get": {
                "operationId": "listDeadlines",
                "summary": "Deadlines of the caller's teams, most urgent first, page by page.",
                "parameters": _list_parameters(),
                "responses": {
                    "200": {"description": "A page.", "content": _json(_ref("DeadlinePage"))},
                    "400": _error("A query parameter is wrong: `fields` says which."),
                    "404": _error("The team is not one of the caller's."),
                    **COMMON_ERRORS,
                },
            }
        },
        f"{API_PREFIX}/deadlines/{{deadline_id}}/complete": {
            "post": {
                "operationId": "completeDeadline",
                "summary": "Mark a deadline met (now, or at an earlier time).",
                "parameters": [_path_id("deadline_id")],
                "requestBody": {"required": False, "content": _json(_ref("CompleteDeadline"))},
                "responses": {
                    "200": {"description": "Met.", "content": _json(_ref("Deadline"))},
                    "404": _error("No such deadline in the caller's teams."),
                    "409": _error("The deadline is already met or marked not applicable."),
                    **BODY_ERRORS,
                    **COMMON_ERRORS,
                },
            }
        },
        f"{API_PREFIX}/openapi.json": {
            "get": {
                "operationId": "getOpenApi",
                "summary": "This document.",
                "responses": {
                    "200": {"description": "The document.", "content": _json({"type": "object"})},
                    **COMMON_ERRORS,
                },
            }
        },
    }


def openapi_document() -> dict:
    """Return the OpenAPI 3.0 document of the JSON API."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Fristsporing API",
            "version": "1",
            "description": "Underretninger and their statutory deadlines. Times in answers are "
            "Copenhagen local time with their offset. Messages are Danish. Every read and write "
            "is written to the audit log. CPR numbers are accepted but never returned.",
        },
        "security": [{"bearerAuth": []}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `tracker tokens create`.",
                }
            },
            "schemas": {
                "NotificationCreate": notification_create_schema(),
                "Notification": notification_schema(),
                "Deadline": deadline_schema(),
                "DeadlinePage": {
                    "type": "object",
                    "required": ["deadlines", "next"],
                    "properties": {
                        "deadlines": {"type": "array", "items": _ref("Deadline")},
                        "next": {
                            "type": "string",
                            "nullable": True,
                            "description": "Pass as `after` for the next page; null at the end.",
                        },
                    },
                },
                "CompleteDeadline": complete_schema(),
                "Error": error_schema(),
            },
        },
    }
