"""Case pages: register an underretning, show a case with its deadlines and guidance.

The POST actions on a case are in tracker.web.case_actions (same blueprint).
Views are thin: parse a form, call tracker.cases, commit once, redirect.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from tracker import audit, clock
from tracker.audit import AuditAction
from tracker.cases import actions as cases
from tracker.cases import corrections
from tracker.cases.action_cards import cards_for_app, choose_card
from tracker.cases.input import (
    OLD_RECEIPT_DAYS,
    local_received_at,
    received_long_ago,
    validate_notification,
)
from tracker.cases.repeats import LookupLimit, LookupRefused, Repeats, look_up, repeats_of
from tracker.cases.rules_inputs import citation_to_confirm, rulebook
from tracker.domain.kinds import is_due_at_an_instant
from tracker.domain.local_time import COPENHAGEN
from tracker.domain.rules import DeadlineKind, RuleBook
from tracker.domain.status import OPEN_STATUSES
from tracker.extensions import db
from tracker.models import CaseStatus, Notification, Role
from tracker.text.labels import (
    AGE_GROUP_LABELS,
    CHANNEL_LABELS,
    CONCERN_LABELS,
    DEADLINE_STATUS_LABELS,
    DECISION_LABELS,
    KIND_LABELS,
    NOTIFIER_KIND_LABELS,
    OUTCOME_LABELS,
    label,
)
from tracker.text.wording import deadline_time_phrase, status_of
from tracker.web.access import (
    can_register_cases,
    get_visible_or_404,
    visible_team_ids,
)
from tracker.web.cases import bp
from tracker.web.cases import forms as case_forms
from tracker.web.cases.timeline_rows import timeline_rows
from tracker.web.errors import error_response


def caseworker_choices(team_id: int) -> list[SelectChoice]:
    """Return the select options of the people who may own a team's cases."""
    return [SelectChoice(user.id, user.name) for user in cases.assignable_caseworkers(team_id)]


def load_case(case_id: int) -> Notification:
    """Load a case the current user may see, or answer 404."""
    return get_visible_or_404(Notification, case_id)


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Show and handle the registration form; land on the new case page."""
    if not can_register_cases(current_user):
        abort(403)
    team_id = current_user.team_id
    now = clock.now()
    form = case_forms.NotificationForm()
    form.caseworker_id.choices = caseworker_choices(team_id)
    if request.method == "GET":
        local_now = now.astimezone(COPENHAGEN)
        form.received_date.data = local_now.date()
        form.received_time.data = local_now.time().replace(second=0, microsecond=0)
        form.caseworker_id.data = current_user.id
        return render_template("cases/new.html", form=form, repeats=None)
    form_ok = form.validate()
    # Every error at once: the rules are checked even when the form already has errors.
    notification = _register(form, team_id, now, save=form_ok)
    if form_ok and notification is not None:
        db.session.commit()
        flash(_("The notification %(ref)s is registered.", ref=notification.reference))
        return redirect(url_for("cases.show", case_id=notification.id))
    # Shown again with the errors, and, as the form's hint does, what is known of the child.
    repeats, refused = None, None
    reference = form.child_reference.data
    if isinstance(reference, str) and reference.strip() and not form.child_reference.errors:
        try:
            repeats = _look_up(reference.strip(), now)
        except LookupRefused:
            refused = lookup_refused_message()
        db.session.commit()
    return render_template(
        "cases/new.html",
        form=form,
        repeats=repeats,
        lookup_refused=refused,
        ask_old_date=getattr(form, "asks_old_date", False) or form.confirm_old_date.data,
        old_days=OLD_RECEIPT_DAYS,
    ), 422


def _register(form: case_forms.NotificationForm, team_id: int, now: datetime, *, save: bool):
    """Validate and (when `save`) register; on refusal put the messages on the form's fields.

    A field that already has an error keeps only that one (no second message about it).
    """
    received_at = None
    if not (form.received_date.errors or form.received_time.errors):
        try:
            received_at = local_received_at(form.received_date.data, form.received_time.data)
        except ValueError as exc:
            form.received_time.errors = [str(exc)]
    raw = {**form.raw_fields(), "received_at": received_at}
    result = validate_notification(
        raw, team_id=team_id, caseworker_id=form.caseworker_id.data, now=now
    )
    if received_at is None:
        result.errors.pop("received_at", None)
    if not result.ok:
        _put_errors(form, result.errors, only_new=True)
        return None
    if not save or result.value is None:
        return None
    if received_long_ago(received_at, now) and not form.confirm_old_date.data:
        form.received_date.errors = [
            *form.received_date.errors,
            _("The date is more than %(days)d days ago: is it right?", days=OLD_RECEIPT_DAYS),
        ]
        form.asks_old_date = True
        return None
    try:
        return cases.register_notification(
            result.value,
            registered_by=current_user,
            now=now,
        )
    except cases.CaseError as exc:
        db.session.rollback()
        _put_errors(form, {exc.field or "": [str(exc.message)]})
        return None


FORM_FIELD_FOR = {"received_at": "received_time"}


def _put_errors(form, errors: dict[str, list[str]], *, only_new: bool = False) -> None:
    for name, messages in errors.items():
        target = getattr(form, FORM_FIELD_FOR.get(name, name), None)
        if target is None:
            for message in messages:
                flash(message, "error")
            continue
        if only_new and target.errors:
            continue
        target.errors = [*target.errors, *messages]


@bp.post("/earlier")
def earlier():
    """Answer the form's htmx hint: what is known of this child reference (audited, limited)."""
    if not can_register_cases(current_user):
        abort(403)
    form = case_forms.EarlierForm()
    if not form.validate():
        return ""
    reference = (form.child_reference.data or "").strip()
    if not reference:
        return ""
    try:
        repeats = _look_up(reference, clock.now())
    except LookupRefused:
        db.session.commit()
        return error_response(429, lookup_refused_message())
    db.session.commit()
    return render_template("cases/_repeats_hint.html", repeats=repeats) if repeats.any else ""


def _look_up(reference: str, now: datetime) -> Repeats:
    return look_up(
        reference,
        by=current_user._get_current_object(),
        team_ids=visible_team_ids(current_user),
        now=now,
        limit=LookupLimit.from_config(current_app.config),
    )


def lookup_refused_message() -> str:
    """Say that the user made too many lookups, and how long to wait."""
    return _(
        "Too many lookups of child references. Wait %(minutes)d minutes and try again.",
        minutes=current_app.config["REPEAT_LOOKUP_WINDOW_MINUTES"],
    )


@bp.get("/<id:case_id>")
def show(case_id: int):
    """Show a case: the notification, its deadlines, the guidance and the actions."""
    notification = load_case(case_id)
    now = clock.now()
    audience = request.args.get("card", "myndighed")
    page = render_template("cases/show.html", **case_page_context(notification, now, audience))
    record_case_view(notification, now)
    db.session.commit()
    return page


def record_case_view(notification: Notification, now: datetime, **detail) -> None:
    """Write that the current user was shown the case (every page that shows its content)."""
    audit.record(
        AuditAction.NOTIFICATION_VIEW,
        actor=current_user,
        at=now,
        object_type=audit.CASE_OBJECT_TYPE,
        object_id=notification.id,
        team_id=notification.team_id,
        detail=detail or None,
    )


def case_page_context(notification: Notification, now: datetime, audience: str, **forms) -> dict:
    """Return everything the case page shows (also used to re-render it with a form's errors)."""
    card = choose_card(cards_for_app(), notification, audience)
    ticks = {tick.item_key: tick for tick in notification.checklist_ticks}
    rules = rulebook()
    rows = [_deadline_row(d, now, rules) for d in notification.deadlines]
    reassign = forms.pop("reassign_form", None) or case_forms.ReassignForm()
    reassign.caseworker_id.choices = caseworker_choices(notification.team_id)
    reassign.caseworker_id.data = reassign.caseworker_id.data or notification.caseworker_id
    local_now = now.astimezone(COPENHAGEN)
    return {
        "notification": notification,
        "rows": rows,
        "now": now,
        "today": local_now.date(),
        "now_time": local_now.strftime("%H:%M"),
        "card": card,
        "cards": cards_for_app(),
        "audience": card.audience,
        "ticks": ticks,
        "timeline": timeline_rows(notification, _step_texts()),
        "may_correct": lambda entry: corrections.may_correct(current_user, entry),
        "correctable_kinds": CORRECTABLE_KINDS,
        "correct_form": True,
        "repeats": repeats_of(
            notification.child_reference,
            team_ids=visible_team_ids(current_user),
            exclude_id=notification.id,
        ),
        "is_open": notification.status == CaseStatus.OPEN,
        "has_investigation": any(
            d.kind == DeadlineKind.INVESTIGATION for d in notification.deadlines
        ),
        "outcome_form": forms.pop("outcome_form", None) or case_forms.OutcomeForm(),
        "decision_form": forms.pop("decision_form", None) or case_forms.DecisionForm(),
        "investigation_form": forms.pop("investigation_form", None)
        or case_forms.InvestigationForm(),
        "reassign_form": reassign,
        "close_form": forms.pop("close_form", None) or case_forms.CloseForm(),
        "reopen_form": forms.pop("reopen_form", None) or case_forms.ReopenForm(),
        "note_form": forms.pop("note_form", None) or case_forms.NoteForm(),
        "may_reopen": current_user.role == Role.LEADER
        and current_user.team_id == notification.team_id
        and notification.anonymised_at is None,
        "tick_form": case_forms.TickForm(),
        "complete_form": forms.pop("complete_form", None),
        "not_applicable_form": forms.pop("not_applicable_form", None),
        "failed_deadline_id": forms.pop("failed_deadline_id", None),
        "error": forms.pop("error", None),
        "error_at": forms.pop("error_at", None),
        **_label_context(),
    }


# The timeline entries a person may correct (or undo) on the case page.
CORRECTABLE_KINDS = ("step_done", "deadline_met", "outcome", "note")


def _step_texts() -> dict[str, str]:
    """Return the action cards' checklist texts by key (for ticks on the timeline)."""
    return {item.key: item.text for card in cards_for_app().cards for item in card.checklist}


def _deadline_row(deadline, now: datetime, rules: RuleBook) -> dict:
    status = status_of(deadline, now)
    return {
        "deadline": deadline,
        "status": status,
        "status_label": DEADLINE_STATUS_LABELS[status],
        "is_open": status in OPEN_STATUSES,
        "phrase": deadline_time_phrase(deadline, now),
        "kind_label": label(KIND_LABELS, deadline.kind),
        "by_the_hour": is_due_at_an_instant(deadline.kind),
        "citation_to_confirm": citation_to_confirm(deadline, rules),
    }


def _label_context() -> dict:
    return {
        "label": label,
        "CHANNEL_LABELS": CHANNEL_LABELS,
        "NOTIFIER_KIND_LABELS": NOTIFIER_KIND_LABELS,
        "CONCERN_LABELS": CONCERN_LABELS,
        "AGE_GROUP_LABELS": AGE_GROUP_LABELS,
        "OUTCOME_LABELS": OUTCOME_LABELS,
        "DECISION_LABELS": DECISION_LABELS,
        "KIND_LABELS": KIND_LABELS,
    }
