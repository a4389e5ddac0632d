"""The JSON API's view of a case's procedure: its action card with the steps done, its
timeline, and POST /api/v1/notifications/<id>/steps to record a step.

The shapes are documented by card_schema(), timeline_entry_schema() and step_schema()
below, which the OpenAPI document (tracker.web.api.openapi) includes.
"""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user

from tracker import clock
from tracker.cases.action_cards import cards_for_app, choose_card
from tracker.cases.errors import CaseError
from tracker.cases.steps import TO_MAX_LENGTH, record_step, steps_done
from tracker.cases.timeline import corrected_ids, entries_for
from tracker.extensions import db
from tracker.models import Notification, TimelineKind
from tracker.models.cases import NOTE_LENGTH
from tracker.models.timeline import STEP_KEY_LENGTH
from tracker.text.labels import TIMELINE_KIND_LABELS, label
from tracker.web.access import get_visible_or_404
from tracker.web.api import bp, json_object
from tracker.web.api.schemas import TIME_NOTE, enum_schema, id_schema
from tracker.web.api.shapes import iso_time, parse_aware_time

STEP_FIELDS = frozenset({"step", "done_at", "note", "to"})


def card_json(notification: Notification) -> dict:
    """Return the case's card: its key, title, warnings and steps, each done or not."""
    card = choose_card(cards_for_app(), notification)
    done = steps_done(notification)
    steps = []
    for step in card.steps:
        entry = done.get(step.key)
        steps.append(
            {
                "key": step.key,
                "text": step.text,
                "paragraph": step.paragraph or None,
                "ends_duty": step.ends_duty,
                "done_at": iso_time(entry.occurred_at) if entry else None,
                "done_by": (entry.actor.name if entry.actor else None) if entry else None,
                "done_by_id": entry.actor_id if entry else None,
                "note": entry.note if entry else None,
                "to": (entry.details or {}).get("to") if entry else None,
            }
        )
    return {"key": card.key, "title": card.title, "warnings": list(card.warnings), "steps": steps}


def timeline_json(notification: Notification) -> list[dict]:
    """Return the case's timeline, newest first."""
    corrected = corrected_ids(notification)
    return [
        {
            "id": entry.id,
            "kind": entry.kind,
            "kind_label": label(TIMELINE_KIND_LABELS, entry.kind),
            "occurred_at": iso_time(entry.occurred_at),
            "recorded_at": iso_time(entry.recorded_at),
            "actor_id": entry.actor_id,
            "step": entry.step_key,
            "deadline_id": entry.deadline_id,
            "corrects_id": entry.corrects_id,
            "corrected": entry.id in corrected,
            "note": entry.note,
            "details": entry.details,
        }
        for entry in entries_for(notification)
    ]


@bp.post("/v1/notifications/<id:notification_id>/steps")
def post_step(notification_id: int):
    """Record a step of the case's action card as done; answer 201 with the timeline entry."""
    from tracker.web.api.cases import _note, field_errors, refuse

    notification = get_visible_or_404(Notification, notification_id)
    body = json_object()
    now = clock.now()
    unknown = sorted(set(body) - STEP_FIELDS)
    if unknown:
        refuse({name: [_("Unknown field.")] for name in unknown})
    step = body.get("step")
    if not isinstance(step, str) or not step.strip():
        refuse({"step": [_("Choose a step of the case's action card.")]})
    done_at = None
    if body.get("done_at") is not None:
        done_at = parse_aware_time(body["done_at"])
        if done_at is None:
            refuse({"done_at": [_("Enter a date and time with its UTC offset (ISO 8601).")]})
    to = body.get("to")
    if to is not None and not isinstance(to, str):
        refuse({"to": [_("Enter text.")]})
    card = choose_card(cards_for_app(), notification)
    try:
        entry = record_step(
            notification,
            card,
            step_key=step.strip(),
            by=current_user,
            now=now,
            done_at=done_at,
            note=_note(body.get("note")),
            to=to,
        )
    except CaseError as refused:
        db.session.rollback()
        if refused.field:
            field = "done_at" if refused.field == "occurred_at" else refused.field
            return field_errors({field: [str(refused.message)]})
        return field_errors({}, code=409, message=str(refused.message))
    db.session.flush()
    answer = next(e for e in timeline_json(notification) if e["id"] == entry.id)
    db.session.commit()
    response = jsonify(answer)
    response.status_code = 201
    return response


# --- The OpenAPI schemas of these shapes ---


def card_schema() -> dict:
    """Return the schema of a case's action card in answers."""
    nullable_text = {"type": "string", "nullable": True}
    return {
        "type": "object",
        "required": ["key", "title", "warnings", "steps"],
        "properties": {
            "key": {"type": "string"},
            "title": {"type": "string"},
            "warnings": {"type": "array", "items": {"type": "string"}},
            "steps": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["key", "text", "done_at", "done_by", "note"],
                    "properties": {
                        "key": {"type": "string", "description": "Stable: pass it as `step`."},
                        "text": {"type": "string"},
                        "paragraph": nullable_text,
                        "ends_duty": {
                            "type": "boolean",
                            "description": "The hand-over to the police that ends the "
                            "professional's handlepligt.",
                        },
                        "done_at": {"type": "string", "format": "date-time", "nullable": True},
                        "done_by": nullable_text,
                        "done_by_id": id_schema(nullable=True),
                        "note": nullable_text,
                        "to": nullable_text,
                    },
                },
            },
        },
    }


def timeline_entry_schema() -> dict:
    """Return the schema of one timeline entry in answers."""
    return {
        "type": "object",
        "required": ["id", "kind", "occurred_at", "recorded_at"],
        "properties": {
            "id": id_schema(),
            "kind": enum_schema(TimelineKind),
            "kind_label": {"type": "string"},
            "occurred_at": {"type": "string", "format": "date-time"},
            "recorded_at": {"type": "string", "format": "date-time"},
            "actor_id": id_schema(nullable=True, description="null: the system"),
            "step": {"type": "string", "nullable": True},
            "deadline_id": id_schema(nullable=True),
            "corrects_id": id_schema(nullable=True),
            "corrected": {"type": "boolean"},
            "note": {"type": "string", "nullable": True},
            "details": {"type": "object", "nullable": True, "additionalProperties": True},
        },
    }


def step_schema() -> dict:
    """Return the schema of POST /notifications/{id}/steps's body."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["step"],
        "properties": {
            "step": {"type": "string", "minLength": 1, "maxLength": STEP_KEY_LENGTH},
            "done_at": {
                "type": "string",
                "format": "date-time",
                "description": "When it was done (default: now); not before receipt, not in "
                "the future. " + TIME_NOTE,
            },
            "note": {"type": "string", "maxLength": NOTE_LENGTH, "nullable": True},
            "to": {"type": "string", "maxLength": TO_MAX_LENGTH, "nullable": True},
        },
    }
