"""Case pages: register an underretning, show a case with its deadlines and guidance.

The POST actions on a case are in tracker.web.case_actions (same blueprint).
Views are thin: parse a form, call tracker.cases, commit once, redirect.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from tracker import audit, clock
from tracker.audit import AuditAction
from tracker.cases import actions as cases
from tracker.cases import corrections
from tracker.cases.action_cards import age_of, cards_for_app, choose_card
from tracker.cases.decisions import is_adult_case
from tracker.cases.input import (
    OLD_RECEIPT_DAYS,
    local_received_at,
    received_long_ago,
    validate_notification,
)
from tracker.cases.notifier_sectors import sectors_for_app
from tracker.cases.repeats import LookupLimit, LookupRefused, Repeats, look_up, repeats_of
from tracker.cases.rules_inputs import citation_to_confirm, rulebook
from tracker.cases.steps import steps_done
from tracker.domain.kinds import is_due_at_an_instant
from tracker.domain.local_time import COPENHAGEN
from tracker.domain.rules import DeadlineKind, RuleBook
from tracker.domain.status import OPEN_STATUSES
from tracker.extensions import db
from tracker.intake import items as intake_items
from tracker.models import CaseStatus, Channel, IntakeItem, IntakeSource, Notification, Role
from tracker.text.labels import (
    AGE_GROUP_LABELS,
    CHANNEL_LABELS,
    CONCERN_LABELS,
    DEADLINE_STATUS_LABELS,
    DECISION_LABELS,
    GENDER_LABELS,
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


def sector_choices() -> list[SelectChoice]:
    """Return the select options of the notifier sectors the municipality offers."""
    offered = [SelectChoice(s.key, s.label) for s in sectors_for_app().offered]
    return [SelectChoice("", _("Not stated")), *offered]


def load_case(case_id: int) -> Notification:
    """Load a case the current user may see, or answer 404."""
    return get_visible_or_404(Notification, case_id)


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Show and handle the registration form; land on the new case page.

    With ?intake=<id> it registers an intake item: the receipt time is fixed to the item's
    arrival (an earlier one needs a reason, a later one is refused) and the item's text is
    shown beside the form.
    """
    if not can_register_cases(current_user):
        abort(403)
    team_id = current_user.team_id
    now = clock.now()
    item = _intake_item()
    form = case_forms.IntakeNotificationForm() if item else case_forms.NotificationForm()
    form.caseworker_id.choices = caseworker_choices(team_id)
    form.notifier_sector.choices = sector_choices()
    if request.method == "GET":
        received = (item.arrived_at if item else now).astimezone(COPENHAGEN)
        form.received_date.data = received.date()
        form.received_time.data = received.time().replace(second=0, microsecond=0)
        form.caseworker_id.data = current_user.id
        if item:
            form.channel.data = intake_channel(item)
        return _form_page(form, item, now, repeats=None)
    form_ok = form.validate()
    # Every error at once: the rules are checked even when the form already has errors.
    notification = _register(form, team_id, now, item, save=form_ok)
    if form_ok and notification is not None:
        # Read before the commit, which expires the row: after it they would reload it.
        case_id, reference = notification.id, notification.reference
        db.session.commit()
        flash(_("The notification %(ref)s is registered.", ref=reference))
        return redirect(url_for("cases.show", case_id=case_id))
    # Shown again with the errors, and, as the form's hint does, what is known of the child.
    repeats, refused = None, None
    reference = form.child_reference.data
    if isinstance(reference, str) and reference.strip() and not form.child_reference.errors:
        try:
            repeats = _look_up(reference.strip(), now)
        except LookupRefused:
            refused = lookup_refused_message()
        db.session.commit()
    return _form_page(
        form,
        item,
        now,
        repeats=repeats,
        lookup_refused=refused,
        ask_old_date=getattr(form, "asks_old_date", False) or form.confirm_old_date.data,
        old_days=OLD_RECEIPT_DAYS,
    ), 422


def _intake_item() -> IntakeItem | None:
    value = request.args.get("intake")
    if not value:
        return None
    item = get_visible_or_404(IntakeItem, int(value) if value.isascii() and value.isdigit() else 0)
    if not item.is_unregistered:
        abort(409)
    return item


def intake_channel(item: IntakeItem) -> str:
    """Return how an item came, as the form's channel: a mailbox is e-mail, a form digital."""
    return Channel.EMAIL if item.source == IntakeSource.MAILBOX else Channel.DIGITAL_FORM


def _form_page(form, item: IntakeItem | None, now: datetime, **context) -> str:
    page = render_template("cases/new.html", form=form, item=item, **context)
    if item is not None:  # the item's content is on the page: audited like a case view
        intake_items.record_view(item, by=current_user, now=now)
        db.session.commit()
    return page


def _register(form, team_id: int, now: datetime, item: IntakeItem | None = None, *, save: bool):
    """Validate and (when `save`) register; on refusal put the messages on the form's fields.

    A field that already has an error keeps only that one (no second message about it).
    """
    received_at = None
    if not (form.received_date.errors or form.received_time.errors):
        try:
            received_at = local_received_at(form.received_date.data, form.received_time.data)
        except ValueError as exc:
            form.received_time.errors = [str(exc)]
    earlier_reason = None
    if item is not None and received_at is not None:
        try:
            received_at, earlier_reason = intake_items.receipt_time(
                item, received_at, form.earlier_reason.data
            )
        except cases.CaseError as exc:
            _put_errors(form, {exc.field or "": [str(exc.message)]})
            received_at = None
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
        notification = cases.register_notification(
            result.value,
            registered_by=current_user,
            now=now,
        )
        if item is not None:
            intake_items.link_registration(
                item, notification, earlier_reason=earlier_reason, by=current_user, now=now
            )
        return notification
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
    page = render_template("cases/show.html", **case_page_context(notification, now))
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


def case_page_context(notification: Notification, now: datetime, **forms) -> dict:
    """Return everything the case page shows (also used to re-render it with a form's errors).

    A case is worked as myndighed: the page shows the myndighed card of the case's concern
    and age, and links to the read-only card a professional outside the department follows.
    """
    cards = cards_for_app()
    card = choose_card(cards, notification)
    professional_card = choose_card(cards, notification, "fagperson")
    done = steps_done(notification)
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
        "professional_card": professional_card,
        "done": done,
        "age": age_of(notification),
        "is_adult": is_adult_case(notification),
        "timeline": timeline_rows(notification, cards.step_texts()),
        "may_correct": lambda entry: corrections.may_correct(current_user, entry),
        "correctable_kinds": CORRECTABLE_KINDS,
        "correct_form": True,
        "step_form": forms.pop("step_form", None),
        "failed_step": forms.pop("failed_step", None),
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
        # The intake item it was registered from, if any (its page and raw message).
        "intake_item": db.session.scalar(
            select(IntakeItem).where(IntakeItem.notification_id == notification.id)
        ),
        "close_form": forms.pop("close_form", None) or case_forms.CloseForm(),
        "reopen_form": forms.pop("reopen_form", None) or case_forms.ReopenForm(),
        "note_form": forms.pop("note_form", None) or case_forms.NoteForm(),
        "may_reopen": current_user.role == Role.LEADER
        and current_user.team_id == notification.team_id
        and notification.anonymised_at is None,
        "complete_form": forms.pop("complete_form", None),
        "not_applicable_form": forms.pop("not_applicable_form", None),
        "failed_deadline_id": forms.pop("failed_deadline_id", None),
        "error": forms.pop("error", None),
        "error_at": forms.pop("error_at", None),
        **_label_context(),
    }


# The timeline entries a person may correct (or undo) on the case page.
CORRECTABLE_KINDS = ("step_done", "deadline_met", "outcome", "note")


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
        "GENDER_LABELS": GENDER_LABELS,
        "SECTOR_LABELS": sectors_for_app().labels,
        "OUTCOME_LABELS": OUTCOME_LABELS,
        "DECISION_LABELS": DECISION_LABELS,
        "KIND_LABELS": KIND_LABELS,
    }
