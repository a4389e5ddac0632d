"""The POST actions on a case page: one transaction each, committed here, then redirect.

A refused action (bad form or a CaseError) rolls back and re-renders the case page
with status 422 and the message, on the form's field where there is one.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import clock
from tracker.cases import actions as cases
from tracker.cases import case_life, corrections
from tracker.cases.action_cards import cards_for_app, choose_card
from tracker.cases.decisions import add_decision as decide
from tracker.cases.decisions import record_assessment_outcome
from tracker.cases.decisions import start_investigation as start
from tracker.cases.input import local_received_at
from tracker.cases.steps import record_step as record_card_step
from tracker.extensions import db
from tracker.models import Deadline, Notification, TimelineEntry, User
from tracker.web.cases import bp
from tracker.web.cases import forms as case_forms
from tracker.web.cases.views import (
    case_page_context,
    caseworker_choices,
    load_case,
    record_case_view,
)


def _done(notification: Notification, message: str):
    db.session.commit()
    flash(message)
    return redirect(url_for("cases.show", case_id=notification.id), code=303)


# Where on the case page each refused form is: its message is shown there, and the
# error summary at the top links to it.
ERROR_PLACES = {
    "outcome_form": "outcome",
    "decision_form": "decision",
    "investigation_form": "investigation",
    "reassign_form": "reassign",
}


def _refuse(case_id: int, message: str | None, error_at: str | None = None, **forms):
    """Roll back and show the case page again with the message and the failed form.

    The page shows the case, so it is audited as a view of it, like the case page itself.
    """
    db.session.rollback()
    notification = load_case(case_id)
    now = clock.now()
    if error_at is None:
        if forms.get("failed_deadline_id") is not None:
            error_at = f"deadline-{forms['failed_deadline_id']}-actions"
        else:
            error_at = next((ERROR_PLACES[k] for k in forms if k in ERROR_PLACES), None)
    context = case_page_context(notification, now, error=message, error_at=error_at, **forms)
    page = render_template("cases/show.html", **context)
    record_case_view(notification, now, refused_action=True)
    db.session.commit()
    return page, 422


def _form_message(form) -> str:
    return _("The form has errors; see below.") if form.errors else ""


def _load_deadline(case_id: int, deadline_id: int) -> Deadline:
    notification = load_case(case_id)
    deadline = db.session.get(Deadline, deadline_id)
    if deadline is None or deadline.notification_id != notification.id:
        abort(404)
    return deadline


@bp.post("/<id:case_id>/deadlines/<id:deadline_id>/complete")
def complete_deadline(case_id: int, deadline_id: int):
    """Mark a deadline met; the time may be backdated, not before receipt or into the future."""
    deadline = _load_deadline(case_id, deadline_id)
    form = case_forms.CompleteDeadlineForm()
    refused = {"complete_form": form, "failed_deadline_id": deadline_id}
    if not form.validate():
        return _refuse(case_id, _form_message(form), **refused)
    now = clock.now()
    try:
        completed_at = local_received_at(form.completed_date.data, form.completed_time.data)
        cases.complete_deadline(
            deadline, by=current_user, completed_at=completed_at, now=now, note=form.note.data
        )
    except ValueError as exc:  # CaseError is a ValueError, as is a skipped local time
        form.completed_time.errors = [*form.completed_time.errors, _message(exc)]
        return _refuse(case_id, _message(exc), **refused)
    return _done(deadline.notification, _("The deadline is marked as met."))


@bp.post("/<id:case_id>/deadlines/<id:deadline_id>/not-applicable")
def not_applicable(case_id: int, deadline_id: int):
    """Mark a deadline not applicable, with the reason."""
    deadline = _load_deadline(case_id, deadline_id)
    form = case_forms.NotApplicableForm()
    refused = {"not_applicable_form": form, "failed_deadline_id": deadline_id}
    if not form.validate():
        return _refuse(case_id, _form_message(form), **refused)
    try:
        cases.mark_not_applicable(
            deadline, by=current_user, reason=form.reason.data, now=clock.now()
        )
    except cases.CaseError as exc:
        form.reason.errors = [*form.reason.errors, _message(exc)]
        return _refuse(case_id, _message(exc), **refused)
    return _done(deadline.notification, _("The deadline is marked as not applicable."))


@bp.post("/<id:case_id>/assessment")
def assessment_outcome(case_id: int):
    """Record the 24-hour assessment's outcome."""
    notification = load_case(case_id)
    form = case_forms.OutcomeForm()
    if not form.validate():
        return _refuse(case_id, _form_message(form), outcome_form=form)
    try:
        occurred_at = local_received_at(form.occurred_date.data, form.occurred_time.data)
        record_assessment_outcome(
            notification,
            outcome=form.outcome.data,
            by=current_user,
            now=clock.now(),
            occurred_at=occurred_at,
        )
    except ValueError as exc:  # CaseError is a ValueError, as is a skipped local time
        form.occurred_time.errors = [*form.occurred_time.errors, _message(exc)]
        return _refuse(case_id, _message(exc), outcome_form=form)
    return _done(notification, _("The outcome of the assessment is recorded."))


@bp.post("/<id:case_id>/decisions")
def add_decision(case_id: int):
    """Record a decision and the plan deadline it starts."""
    notification = load_case(case_id)
    form = case_forms.DecisionForm()
    if not form.validate():
        return _refuse(case_id, _form_message(form), decision_form=form)
    try:
        decide(
            notification,
            kind=form.kind.data,
            decided_on=form.decided_on.data,
            started_on=form.started_on.data,
            by=current_user,
            now=clock.now(),
        )
    except cases.CaseError as exc:
        _field_error(form, exc)
        return _refuse(case_id, _message(exc), decision_form=form)
    return _done(notification, _("The decision is recorded."))


@bp.post("/<id:case_id>/investigation")
def start_investigation(case_id: int):
    """Start the child welfare investigation's deadline."""
    notification = load_case(case_id)
    form = case_forms.InvestigationForm()
    if not form.validate():
        return _refuse(case_id, _form_message(form), investigation_form=form)
    try:
        start(notification, aware_on=form.aware_on.data, by=current_user, now=clock.now())
    except cases.CaseError as exc:
        _field_error(form, exc)
        return _refuse(case_id, _message(exc), investigation_form=form)
    return _done(notification, _("The investigation is started."))


@bp.post("/<id:case_id>/reassign")
def reassign(case_id: int):
    """Give the case to another caseworker in the team."""
    notification = load_case(case_id)
    form = case_forms.ReassignForm()
    form.caseworker_id.choices = caseworker_choices(notification.team_id)
    if not form.validate():
        return _refuse(case_id, _form_message(form), reassign_form=form)
    caseworker = db.session.get(User, form.caseworker_id.data)
    now = clock.now()
    try:
        unchanged = caseworker.id == notification.caseworker_id
        cases.reassign(
            notification, caseworker=caseworker, by=current_user, now=now, note=form.note.data
        )
        if not unchanged:
            case_life.tell_new_caseworker(notification, caseworker, now=now)
    except cases.CaseError as exc:
        _field_error(form, exc)
        return _refuse(case_id, _message(exc), reassign_form=form)
    return _done(notification, _("The case now belongs to %(name)s.", name=caseworker.name))


@bp.post("/<id:case_id>/close")
def close(case_id: int):
    """Close the case."""
    notification = load_case(case_id)
    form = case_forms.CloseForm()
    if not form.validate():
        return _refuse(case_id, _form_message(form), "close", close_form=form)
    try:
        cases.close_case(notification, by=current_user, now=clock.now(), reason=form.reason.data)
    except cases.CaseError as exc:
        return _refuse(case_id, _message(exc), "close", close_form=form)
    return _done(notification, _("The case is closed."))


@bp.post("/<id:case_id>/steps")
def record_step(case_id: int):
    """Record a step of the case's action card as done (on the case's timeline)."""
    notification = load_case(case_id)
    form = case_forms.StepForm()
    refused = {"step_form": form, "failed_step": form.step.data}
    if not form.validate():
        return _refuse(case_id, _form_message(form), **refused)
    card = choose_card(cards_for_app(), notification)
    try:
        done_at = local_received_at(form.done_date.data, form.done_time.data)
        record_card_step(
            notification,
            card,
            step_key=form.step.data,
            by=current_user,
            now=clock.now(),
            done_at=done_at,
            note=form.note.data,
            to=form.to.data,
        )
    except ValueError as exc:  # CaseError is a ValueError, as is a skipped local time
        target = {"to": form.to, "note": form.note}.get(getattr(exc, "field", None), form.done_time)
        target.errors = [*target.errors, _message(exc)]
        return _refuse(case_id, _message(exc), **refused)
    db.session.commit()
    flash(_("The step is recorded on the timeline."))
    return redirect(url_for("cases.show", case_id=notification.id) + "#timeline", code=303)


@bp.post("/<id:case_id>/timeline/<id:entry_id>/correct")
def correct_entry(case_id: int, entry_id: int):
    """Correct a timeline entry by a new entry with the reason; nothing is deleted."""
    notification = load_case(case_id)
    entry = db.session.get(TimelineEntry, entry_id)
    if entry is None or entry.notification_id != notification.id:
        abort(404)
    form = case_forms.CorrectEntryForm()
    place = f"entry-{entry_id}"
    if not form.validate():
        message = _("Give the reason for the correction.")
        return _refuse(case_id, message, place)
    try:
        corrections.correct(entry, by=current_user, now=clock.now(), reason=form.reason.data)
    except cases.CaseError as exc:
        return _refuse(case_id, _message(exc), place)
    db.session.commit()
    flash(_("The entry is corrected."))
    return redirect(url_for("cases.show", case_id=notification.id) + "#timeline", code=303)


@bp.post("/<id:case_id>/notes")
def add_note(case_id: int):
    """Write a short journal note on the case's timeline."""
    notification = load_case(case_id)
    form = case_forms.NoteForm()
    if not form.validate():
        return _refuse(case_id, _form_message(form), "note", note_form=form)
    try:
        case_life.add_note(notification, text=form.note.data, by=current_user, now=clock.now())
    except cases.CaseError as exc:
        _field_error(form, exc)
        return _refuse(case_id, _message(exc), "note", note_form=form)
    db.session.commit()
    flash(_("The note is saved."))
    return redirect(url_for("cases.show", case_id=notification.id) + "#timeline", code=303)


@bp.post("/<id:case_id>/reopen")
def reopen(case_id: int):
    """Open a closed case again (a leader), with the reason."""
    notification = load_case(case_id)
    form = case_forms.ReopenForm()
    if not form.validate():
        return _refuse(case_id, _form_message(form), "reopen", reopen_form=form)
    try:
        case_life.reopen_case(
            notification, by=current_user, now=clock.now(), reason=form.reason.data
        )
    except cases.CaseError as exc:
        return _refuse(case_id, _message(exc), "reopen", reopen_form=form)
    return _done(notification, _("The case is open again."))


def _message(exc: ValueError) -> str:
    return str(getattr(exc, "message", None) or exc)


def _field_error(form, exc: cases.CaseError) -> None:
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, _message(exc)]
