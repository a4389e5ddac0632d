"""The deadline calculator page: the same rules as `tracker calc`, without a real case.

The form is a GET form, so a result can be bookmarked and shared; it stores nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask import Blueprint, render_template, request
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice, SelectField
from wtforms.validators import InputRequired
from wtforms.widgets import DateInput, TimeInput

from tracker.cases.rules_inputs import notifier_identifiable, rulebook
from tracker.domain.errors import (
    DateOutOfRange,
    DecisionBeforeReceipt,
    NonexistentLocalTime,
    StartBeforeDecision,
)
from tracker.domain.local_time import localize
from tracker.domain.rules import SUPPORTED_YEARS, DecisionKind, compute_deadlines
from tracker.models.cases import NotifierKind
from tracker.text.labels import DECISION_LABELS, KIND_LABELS, NOTIFIER_KIND_LABELS

bp = Blueprint("calc", __name__)


class _IsoField(Field):
    """A date or time field read with fromisoformat, with a Danish message naming the value."""

    parse = staticmethod(date.fromisoformat)
    show = staticmethod(date.isoformat)
    invalid = _l("'%(value)s' is not a date (use YYYY-MM-DD).")

    def process_formdata(self, valuelist: list[str]) -> None:
        text = valuelist[0].strip() if valuelist else ""
        self.data = None
        if not text:
            return
        try:
            self.data = self.parse(text)
        except ValueError:
            raise ValueError(self.invalid % {"value": text}) from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.show(self.data) if self.data else ""


class IsoDateField(_IsoField):
    widget = DateInput()


def _wall_clock_time(text: str) -> time:
    value = time.fromisoformat(text)
    if value.tzinfo is not None:
        raise ValueError("a wall-clock time has no offset")
    return value


class IsoTimeField(_IsoField):
    widget = TimeInput()
    parse = staticmethod(_wall_clock_time)
    show = staticmethod(lambda value: value.strftime("%H:%M"))
    invalid = _l("'%(value)s' is not a time of day (use HH:MM).")


class _Catalogue:
    """WTForms has no Danish catalogue: its few built-in messages go through ours."""

    def gettext(self, string: str) -> str:
        return gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n)


WTFORMS_MESSAGES = (_l("Not a valid choice."),)  # listed so extraction keeps it


class CalculatorForm(FlaskForm):
    """The calculator's inputs; received date and time are required, the rest optional."""

    class Meta:
        csrf = False  # a GET form that changes nothing

        def get_translations(self, form):
            return _Catalogue()

    received_date = IsoDateField(
        _l("Date received"), validators=[InputRequired(_l("Enter the date received."))]
    )
    received_time = IsoTimeField(
        _l("Time received (Danish time)"),
        validators=[InputRequired(_l("Enter the time received."))],
    )
    notifier = SelectField(
        _l("Notifier"),
        choices=[SelectChoice(kind.value, label) for kind, label in NOTIFIER_KIND_LABELS.items()],
        default=NotifierKind.PROFESSIONAL.value,
    )
    decision_date = IsoDateField(_l("Date of decision on a measure (optional)"))
    decision_kind = SelectField(
        _l("Kind of decision"),
        choices=[SelectChoice(kind.value, label) for kind, label in DECISION_LABELS.items()],
        default=DecisionKind.SUPPORT.value,
    )
    started_on = IsoDateField(_l("Measure started on (optional)"))
    birth_date = IsoDateField(_l("Child's date of birth (optional)"))
    investigation_start = IsoDateField(_l("Aware of the need for support (optional)"))


@bp.get("/calc")
def calculator():
    """Show the calculator form and, once filled in, the deadlines with their traces."""
    if not request.args:
        return _page(CalculatorForm(formdata=None))
    form = CalculatorForm(formdata=request.args)
    deadlines = _compute(form) if form.validate() else None
    if deadlines is None:
        return _page(form), 400
    return _page(form, deadlines)


def _page(form: CalculatorForm, deadlines: list | None = None) -> str:
    return render_template(
        "calc/calculator.html", form=form, deadlines=deadlines, kind_labels=KIND_LABELS
    )


def _compute(form: CalculatorForm) -> list | None:
    """Compute the deadlines, or put the domain's objection on the field it concerns."""
    dates = (
        form.received_date,
        form.decision_date,
        form.started_on,
        form.birth_date,
        form.investigation_start,
    )
    for field in dates:
        if field.data and field.data.year not in SUPPORTED_YEARS:
            return _reject(field, _out_of_range())
    if form.started_on.data and not form.decision_date.data:
        return _reject(form.started_on, gettext("Enter the date of the decision too."))
    naive = datetime.combine(form.received_date.data, form.received_time.data)
    try:
        received_at = localize(naive)
    except NonexistentLocalTime:
        return _reject(form.received_time, _nonexistent_time(naive))
    try:
        return compute_deadlines(
            received_at,
            notifier_kind=form.notifier.data,
            notifier_identifiable=notifier_identifiable(form.notifier.data),
            decided_on=form.decision_date.data,
            decision_kind=DecisionKind(form.decision_kind.data),
            started_on=form.started_on.data,
            birth_date=form.birth_date.data,
            aware_on=form.investigation_start.data,
            rules=rulebook(),
        )
    except DecisionBeforeReceipt as error:
        message = gettext(
            "The decision (%(decision)s) cannot be before the notification was received "
            "(%(received)s).",
            decision=error.decided_on.isoformat(),
            received=error.received_on.isoformat(),
        )
        return _reject(form.decision_date, message)
    except StartBeforeDecision as error:
        message = gettext(
            "The measure (%(start)s) cannot start before the decision (%(decision)s).",
            start=error.started_on.isoformat(),
            decision=error.decided_on.isoformat(),
        )
        return _reject(form.started_on, message)
    except DateOutOfRange:
        return _reject(form.received_date, _out_of_range())


def _reject(field: Field, message: str) -> None:
    field.errors = [*field.errors, message]
    return None


def _out_of_range() -> str:
    return gettext(
        "The calculator supports the years %(first)d–%(last)d.",
        first=SUPPORTED_YEARS.start,
        last=SUPPORTED_YEARS.stop - 1,
    )


def _nonexistent_time(naive: datetime) -> str:
    return gettext(
        "%(time)s does not exist on %(date)s: the clocks skip from 02:00 to 03:00 when "
        "summer time begins.",
        time=naive.strftime("%H:%M"),
        date=naive.date().isoformat(),
    )
