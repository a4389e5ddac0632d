"""POST /api/v1/intake: a self-service form (e.g. OS2forms' webhook) delivers an underretning.

The body carries its own arrival time (when the citizen or professional submitted it), so
the form's underretning starts its 24-hour clock like a mail's. Only a token with the
"intake" scope may call it (tracker.web.access); the item belongs to the token user's team.
The answer names the item and its times, never its content; the body is stored as received.
"""

from __future__ import annotations

import json

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tracker import clock
from tracker.cases.actions import CaseError
from tracker.domain.characters import has_refused_characters
from tracker.domain.intake import assessment_due_at
from tracker.extensions import db
from tracker.intake import items as intake_items
from tracker.models import IntakeItem, IntakeSource
from tracker.models.intake import MAILBOX_NAME_LENGTH, MESSAGE_ID_LENGTH
from tracker.people.tokens import INTAKE_SCOPE
from tracker.web.access import token_scope
from tracker.web.api import bp, json_object
from tracker.web.api.cases import refuse
from tracker.web.api.schemas import INTAKE_TEXT_LENGTH, intake_create_schema
from tracker.web.api.shapes import iso_time, parse_aware_time
from tracker.web.errors import error_response

TEXTS = {
    "form": MAILBOX_NAME_LENGTH,
    "external_id": MESSAGE_ID_LENGTH,
    "sender": 500,
    "subject": 500,
    "text": INTAKE_TEXT_LENGTH,
}
MULTILINE = frozenset({"text", "sender"})
API_MAILBOX = "api"


@bp.post("/v1/intake")
def create_intake_item():
    """Create an intake item from a form's submission; the same external_id again is one item."""
    if token_scope() != INTAKE_SCOPE:
        return error_response(403, _("This request needs a token with the intake scope."))
    team_id = current_user.team_id
    if team_id is None:
        return error_response(403, _("The token's user belongs to no team."))
    body = json_object()
    now = clock.now()
    values = _checked(body, now)
    arrival = intake_items.Arrival(
        source=IntakeSource.API.value,
        mailbox=values["form"] or API_MAILBOX,
        message_id=values["external_id"],
        arrived_at=values["submitted_at"],
        team_id=team_id,
        raw=json.dumps(body, ensure_ascii=False).encode(),
        raw_type="application/json",
        sender=values["sender"],
        subject=values["subject"],
        body_text=values["text"],
    )
    item_id = intake_items.store_arrival(arrival, now=now, actor=current_user)
    created = item_id is not None
    if not created:  # delivered before: the same item
        item_id = db.session.scalar(
            select(IntakeItem.id).where(
                IntakeItem.mailbox == arrival.mailbox,
                IntakeItem.message_id == arrival.message_id,
                IntakeItem.team_id == team_id,
            )
        )
        if item_id is None:  # another team's form used the same id: not revealed
            refuse({"external_id": [_("This id is already used.")]}, code=409)
    db.session.commit()
    item = db.session.get(IntakeItem, item_id)
    return jsonify(_shape(item)), 201 if created else 200


def _checked(body: dict, now) -> dict:
    errors: dict[str, list[str]] = {}
    unknown = set(body) - set(intake_create_schema()["properties"])
    for name in sorted(unknown):
        errors.setdefault(name, []).append(_("Unknown field."))
    values: dict = {}
    for name, limit in TEXTS.items():
        value = body.get(name)
        if value is None:
            values[name] = None
            continue
        if not isinstance(value, str):
            errors.setdefault(name, []).append(_("Must be text."))
            continue
        value = value.strip()
        if len(value) > limit:
            errors.setdefault(name, []).append(_("At most %(count)d characters.", count=limit))
        elif has_refused_characters(value, multiline=name in MULTILINE):
            errors.setdefault(name, []).append(
                _("The text contains characters that are not allowed.")
            )
        values[name] = value or None
    for name in ("external_id", "text"):
        if name not in errors and not values.get(name):
            errors.setdefault(name, []).append(_("Required."))
    submitted = parse_aware_time(body.get("submitted_at"))
    if submitted is None:
        errors.setdefault("submitted_at", []).append(
            _("Give the time with its UTC offset, e.g. 2026-03-11T10:00:00+01:00.")
        )
    else:
        try:
            intake_items.check_arrival_time(submitted, now)
        except CaseError as exc:
            errors.setdefault("submitted_at", []).append(str(exc.message))
    if errors:
        refuse(errors)
    values["submitted_at"] = submitted
    values["text"] = values["text"] or ""
    return values


def _shape(item: IntakeItem) -> dict:
    return {
        "id": item.id,
        "arrived_at": iso_time(item.arrived_at),
        "assessment_due_at": iso_time(assessment_due_at(item.arrived_at)),
        "status": item.status,
    }
