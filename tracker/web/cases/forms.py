"""Forms of the case pages. They parse types only; the rules live in
tracker.notification_input (shared with the API) and in tracker.cases."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.cases.input import FIELDS
from tracker.models.cases import (
    CHILD_REFERENCE_LENGTH,
    CONTACT_LENGTH,
    NOTE_LENGTH,
    REASON_LENGTH,
    SUMMARY_LENGTH,
    AgeGroup,
    Gender,
)
from tracker.models.timeline import STEP_KEY_LENGTH
from tracker.text.labels import (
    AGE_GROUP_LABELS,
    CHANNEL_LABELS,
    CONCERN_LABELS,
    DECISION_LABELS,
    GENDER_LABELS,
    NOTIFIER_KIND_LABELS,
    OUTCOME_LABELS,
)
from tracker.web.forms import REQUIRED, Form, MaxLength

TIME_FORMAT = "%H:%M"
BAD_TIME = _l("Enter the time as HH:MM, e.g. 15:40.")
BAD_DATE = _l("Enter a date.")


def _choices(labels: dict, blank: object | None = None) -> list[SelectChoice]:
    options = [SelectChoice(str(key), text) for key, text in labels.items()]
    return [SelectChoice("", blank), *options] if blank is not None else options


def _max(limit: int):
    return [MaxLength(limit)]


class NotificationForm(Form):
    """Register an underretning."""

    received_date = DateField(
        _l("Date received"), validators=[InputRequired(message=REQUIRED)], render_kw={}
    )
    received_time = TimeField(
        _l("Time received (HH:MM)"),
        format=TIME_FORMAT,
        validators=[InputRequired(message=REQUIRED)],
    )
    channel = SelectField(_l("Received by"), choices=_choices(CHANNEL_LABELS, _l("Choose")))
    notifier_kind = SelectField(
        _l("Notifier"), choices=_choices(NOTIFIER_KIND_LABELS, _l("Choose"))
    )
    notifier_sector = SelectField(_l("Notifier's sector"), choices=[], default="")
    notifier_contact = TextAreaField(
        _l("Notifier's name and contact details"),
        validators=_max(CONTACT_LENGTH),
        render_kw={"rows": 3},
    )
    notifier_note = TextAreaField(
        _l("Note on the notifier (optional)"),
        validators=_max(CONTACT_LENGTH),
        render_kw={"rows": 2},
    )
    confirm_old_date = BooleanField(_l("Yes, the date is right"))
    child_reference = StringField(
        _l("Child's case reference"),
        validators=_max(CHILD_REFERENCE_LENGTH),
        render_kw={"autocomplete": "off"},
    )
    cpr_number = StringField(
        _l("Child's CPR number (optional)"),
        validators=_max(11),
        render_kw={"autocomplete": "off", "inputmode": "numeric"},
    )
    child_birth_date = DateField(_l("Child's birth date (optional)"), validators=[Optional()])
    expected_birth_date = DateField(
        _l("Unborn child: expected date of birth"), validators=[Optional()]
    )
    age_group = SelectField(
        _l("Age group"),
        choices=_choices(
            {k: v for k, v in AGE_GROUP_LABELS.items() if k != AgeGroup.UNBORN}, _l("Not stated")
        ),
        default="",
    )
    child_gender = SelectField(
        _l("Gender"), choices=_choices(GENDER_LABELS), default=Gender.UNKNOWN.value
    )
    concerns = SelectMultipleField(
        _l("Concerns"),
        choices=_choices(CONCERN_LABELS),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,  # checked with the API's rules in tracker.cases.input
    )
    summary = TextAreaField(
        _l("Summary of the concern"),
        validators=_max(SUMMARY_LENGTH),
        render_kw={"rows": 12},
    )
    caseworker_id = SelectField(_l("Caseworker"), coerce=int, choices=[])

    def raw_fields(self) -> dict[str, object]:
        """Return the fields for tracker.notification_input (received_at is added by the view)."""
        return {name: getattr(self, name).data for name in FIELDS if name != "received_at"}


class IntakeNotificationForm(NotificationForm):
    """Register an underretning from an intake item: the receipt time is its arrival."""

    earlier_reason = StringField(
        _l("Why it was received earlier (only if you enter an earlier time)"),
        validators=_max(REASON_LENGTH),
        render_kw={"maxlength": REASON_LENGTH},
    )


class CompleteDeadlineForm(Form):
    """Mark a deadline met, possibly backdated."""

    completed_date = DateField(_l("Date met"), validators=[InputRequired(message=BAD_DATE)])
    completed_time = TimeField(
        _l("Time met (HH:MM)"),
        format=TIME_FORMAT,
        validators=[InputRequired(message=BAD_TIME)],
    )
    note = StringField(_l("Note (optional)"), validators=_max(NOTE_LENGTH))


class NotApplicableForm(Form):
    """Mark a deadline not applicable, with the reason."""

    reason = StringField(
        _l("Why the deadline does not apply"),
        validators=[InputRequired(message=REQUIRED), *_max(REASON_LENGTH)],
    )


class OutcomeForm(Form):
    """Record the 24-hour assessment's outcome."""

    outcome = SelectField(
        _l("Outcome of the assessment"),
        choices=_choices(OUTCOME_LABELS, _l("Choose")),
        validators=[InputRequired(message=_l("Choose the outcome."))],
    )
    occurred_date = DateField(
        _l("Date of the assessment"), validators=[InputRequired(message=BAD_DATE)]
    )
    occurred_time = TimeField(
        _l("Time of the assessment (HH:MM)"),
        format=TIME_FORMAT,
        validators=[InputRequired(message=BAD_TIME)],
    )


class DecisionForm(Form):
    """Add a decision (afgørelse), which starts the plan deadline."""

    kind = SelectField(_l("Decision"), choices=_choices(DECISION_LABELS))
    decided_on = DateField(_l("Decided on"), validators=[InputRequired(message=BAD_DATE)])
    started_on = DateField(_l("Measure started on (optional)"), validators=[Optional()])


class InvestigationForm(Form):
    """Start the børnefaglig undersøgelse."""

    aware_on = DateField(
        _l("The municipality became aware on"), validators=[InputRequired(message=BAD_DATE)]
    )


class ReassignForm(Form):
    """Give the case to another caseworker in the team, with a note for the timeline."""

    caseworker_id = SelectField(_l("New caseworker"), coerce=int, choices=[])
    note = TextAreaField(
        _l("Note for the timeline (optional)"), validators=_max(NOTE_LENGTH), render_kw={"rows": 2}
    )


class CloseForm(Form):
    """Close the case, saying why."""

    reason = StringField(
        _l("Why the case is closed"),
        validators=[InputRequired(message=REQUIRED), *_max(REASON_LENGTH)],
    )


class ReopenForm(Form):
    """Open a closed case again (leaders), saying why."""

    reason = StringField(
        _l("Why the case is reopened"),
        validators=[InputRequired(message=REQUIRED), *_max(REASON_LENGTH)],
    )


class NoteForm(Form):
    """A short journal note on the case's timeline."""

    note = TextAreaField(
        _l("Note"),
        validators=[InputRequired(message=REQUIRED), *_max(NOTE_LENGTH)],
        render_kw={"rows": 3},
    )


class StepForm(Form):
    """Record a step of the case's action card as done: when, to whom, a note."""

    step = HiddenField(validators=[InputRequired(message=REQUIRED), *_max(STEP_KEY_LENGTH)])
    done_date = DateField(
        _l("Date done"), validators=[InputRequired(message=BAD_DATE)], render_kw={}
    )
    done_time = TimeField(
        _l("Time done (HH:MM)"),
        format=TIME_FORMAT,
        validators=[InputRequired(message=BAD_TIME)],
    )
    to = StringField(_l("To whom (name or office)"), validators=[Optional(), *_max(200)])
    note = StringField(_l("Note (optional)"), validators=[Optional(), *_max(NOTE_LENGTH)])


class CorrectEntryForm(Form):
    """Correct a timeline entry: the reason is required; the entry itself stays."""

    reason = StringField(
        _l("Why it is corrected"),
        validators=[InputRequired(message=REQUIRED), *_max(REASON_LENGTH)],
    )


class EarlierForm(Form):
    """Ask for earlier notifications about a child reference (the form's htmx hint)."""

    child_reference = StringField(validators=_max(CHILD_REFERENCE_LENGTH))
