"""The OpenAPI 3.0 document of /api/v1, served at /api/v1/openapi.json.

The body schemas and limits come from tracker.web.api_schemas, which the views use too.
"""

from __future__ import annotations

from tracker.domain.rules import DeadlineKind
from tracker.reporting.dashboard import StatusFilter
from tracker.web.api.schemas import (
    API_PREFIX,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    complete_schema,
    deadline_schema,
    enum_schema,
    error_schema,
    id_schema,
    notification_create_schema,
    notification_schema,
    ref,
)
from tracker.web.api.timeline import card_schema, step_schema, timeline_entry_schema


def _error(description: str) -> dict:
    return {"description": description, "content": _json(ref("Error"))}


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
    return {"name": name, "in": "path", "required": True, "schema": id_schema()}


def _list_parameters() -> list[dict]:
    return [
        {
            "name": "status",
            "in": "query",
            "description": "open: not yet met or marked not applicable (includes overdue and "
            "due_soon; those waiting for a precondition, with no due time, last); overdue: past "
            "the deadline; due_soon: due within 24 hours; met_late: met after the deadline; "
            "all: every deadline, met or not.",
            "schema": {**enum_schema(StatusFilter), "default": StatusFilter.OPEN.value},
        },
        {
            "name": "team",
            "in": "query",
            "description": "One of the caller's teams (another team answers 404).",
            "schema": id_schema(),
        },
        {"name": "kind", "in": "query", "schema": enum_schema(DeadlineKind)},
        {
            "name": "after",
            "in": "query",
            "description": "The `next` cursor of the previous page (opaque; empty: the first).",
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


def _notification_paths() -> dict:
    return {
        f"{API_PREFIX}/notifications": {
            "post": {
                "operationId": "createNotification",
                "summary": "Register an underretning; its deadlines are computed at once.",
                "requestBody": {"required": True, "content": _json(ref("NotificationCreate"))},
                "responses": {
                    "201": {"description": "Registered.", "content": _json(ref("Notification"))},
                    **BODY_ERRORS,
                    **COMMON_ERRORS,
                },
            }
        },
        f"{API_PREFIX}/notifications/{{notification_id}}/steps": {
            "post": {
                "operationId": "recordStep",
                "summary": "Record a step of the case's action card as done (on its timeline).",
                "parameters": [_path_id("notification_id")],
                "requestBody": {"required": True, "content": _json(ref("RecordStep"))},
                "responses": {
                    "201": {"description": "Recorded.", "content": _json(ref("TimelineEntry"))},
                    "404": _error("No such notification in the caller's teams."),
                    "409": _error("The case is closed."),
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
                    "200": {"description": "Found.", "content": _json(ref("Notification"))},
                    "404": _error("No such notification in the caller's teams."),
                    **COMMON_ERRORS,
                },
            }
        },
    }


def _deadline_paths() -> dict:
    return {
        f"{API_PREFIX}/deadlines": {
            "get": {
                "operationId": "listDeadlines",
                "summary": "Deadlines of the caller's teams, most urgent first, page by page.",
                "parameters": _list_parameters(),
                "responses": {
                    "200": {"description": "A page.", "content": _json(ref("DeadlinePage"))},
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
                "requestBody": {"required": False, "content": _json(ref("CompleteDeadline"))},
                "responses": {
                    "200": {"description": "Met.", "content": _json(ref("Deadline"))},
                    "404": _error("No such deadline in the caller's teams."),
                    "409": _error("The deadline is already met or marked not applicable."),
                    **BODY_ERRORS,
                    **COMMON_ERRORS,
                },
            }
        },
    }


def _document_path() -> dict:
    return {
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
        "paths": {**_notification_paths(), **_deadline_paths(), **_document_path()},
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
                        "deadlines": {"type": "array", "items": ref("Deadline")},
                        "next": {
                            "type": "string",
                            "nullable": True,
                            "description": "Pass as `after` for the next page; null at the end.",
                        },
                    },
                },
                "CompleteDeadline": complete_schema(),
                "Card": card_schema(),
                "TimelineEntry": timeline_entry_schema(),
                "RecordStep": step_schema(),
                "Error": error_schema(),
            },
        },
    }
