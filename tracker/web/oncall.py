"""The pages "Hvem har vagten nu" (the on-call rota) and "Åbningstid" (opening hours).

Everyone signed in may read them; leaders and administrators keep the rota. Views are
thin: parse the form, call tracker.people.oncall, commit once, redirect.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import DateField, EmailField, SelectChoice, SelectField, StringField, TimeField
from wtforms.validators import InputRequired, Length, Optional

from tracker import clock
from tracker.cases.input import local_received_at
from tracker.domain.local_time import local_date, start_of_local_day
from tracker.domain.working_days import describe_day, non_working_reason
from tracker.extensions import db
from tracker.models import OnCallShift, Role, User
from tracker.models.oncall import ADDRESS_LENGTH, LABEL_LENGTH
from tracker.people import oncall
from tracker.people.errors import PeopleError
from tracker.web.access import ensure_role, has_role
from tracker.web.forms import REQUIRED, TOO_LONG, ConfirmForm, Form

bp = Blueprint("oncall", __name__)

ROTA_DAYS = 14
KEEPERS = (Role.LEADER, Role.ADMIN)


class ShiftForm(Form):
    """A shift of the rota: from, until, a person or a functional address, an SMS address."""

    start_date = DateField(_l("From (date)"), validators=[InputRequired(message=REQUIRED)])
    start_time = TimeField(_l("From (HH:MM)"), validators=[InputRequired(message=REQUIRED)])
    end_date = DateField(_l("Until (date)"), validators=[InputRequired(message=REQUIRED)])
    end_time = TimeField(_l("Until (HH:MM)"), validators=[InputRequired(message=REQUIRED)])
    user_id = SelectField(_l("Person on call"), coerce=int, choices=[])
    email = EmailField(
        _l("Or a functional address (e.g. the socialvagt's mailbox)"),
        validators=[Optional(), Length(max=ADDRESS_LENGTH, message=TOO_LONG)],
    )
    label = StringField(
        _l("Name of the functional address"),
        validators=[Optional(), Length(max=LABEL_LENGTH, message=TOO_LONG)],
    )
    sms_email = EmailField(
        _l("SMS address (an e-mail-to-SMS service's address; optional)"),
        validators=[Optional(), Length(max=ADDRESS_LENGTH, message=TOO_LONG)],
    )


def _people_choices() -> list[SelectChoice]:
    people = db.session.execute(
        select(User.id, User.name).where(User.active.is_(True)).order_by(User.name, User.id)
    ).all()
    return [
        SelectChoice(0, _("No person: a functional address")),
        *(SelectChoice(user_id, name) for user_id, name in people),
    ]


@bp.get("/on-call/")
def rota():
    """Show who is on call now, whether the municipality is open, and the coming rota."""
    now = clock.now()
    today = local_date(now)
    form = ShiftForm()
    form.user_id.choices = _people_choices()
    return _rota_page(form, now, today)


def _rota_page(form: ShiftForm, now, today, status: int = 200):
    hours = oncall.opening_hours()
    start = start_of_local_day(today)
    shifts = oncall.shifts_between(start, start + timedelta(days=ROTA_DAYS))
    page = render_template(
        "oncall/rota.html",
        now=now,
        open_now=hours.is_open(now),
        next_opening=hours.next_opening(now),
        on_call=oncall.on_call_recipients(now),
        shifts=shifts,
        form=form,
        confirm_form=ConfirmForm(),
        may_keep=has_role(current_user, *KEEPERS),
        rota_days=ROTA_DAYS,
    )
    return page, status


@bp.post("/on-call/shifts")
def add_shift():
    """Add a shift to the rota (leaders and administrators)."""
    ensure_role(*KEEPERS)
    now = clock.now()
    form = ShiftForm()
    form.user_id.choices = _people_choices()
    if form.validate():
        try:
            starts_at = local_received_at(form.start_date.data, form.start_time.data)
            ends_at = local_received_at(form.end_date.data, form.end_time.data)
            user = db.session.get(User, form.user_id.data) if form.user_id.data else None
            oncall.add_shift(
                starts_at=starts_at,
                ends_at=ends_at,
                user=user,
                email=form.email.data,
                label=form.label.data,
                sms_email=form.sms_email.data,
                by=current_user,
                now=now,
            )
        except (PeopleError, ValueError) as exc:
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The shift is added to the rota."), "success")
            return redirect(url_for("oncall.rota"))
    db.session.rollback()
    return _rota_page(form, now, local_date(now), status=422)


@bp.post("/on-call/shifts/<id:shift_id>/withdraw")
def withdraw_shift(shift_id: int):
    """Withdraw a shift from the rota (leaders and administrators); its row stays."""
    ensure_role(*KEEPERS)
    shift = db.session.get(OnCallShift, shift_id) or abort(404)
    if ConfirmForm().validate() and oncall.withdraw_shift(shift, by=current_user, now=clock.now()):
        db.session.commit()
        flash(_("The shift is withdrawn from the rota."), "success")
    return redirect(url_for("oncall.rota"))


@bp.get("/opening-hours/")
def opening_hours():
    """Show the opening hours and the coming days it is closed though a weekday says open."""
    now = clock.now()
    hours = oncall.opening_hours()
    today = local_date(now)
    closed = []
    for offset in range(60):
        day = today + timedelta(days=offset)
        reason = non_working_reason(day)
        if reason is not None and day.weekday() < 5 and hours.days[day.weekday()] is not None:
            closed.append((describe_day(day), reason))
    return render_template(
        "oncall/opening_hours.html",
        week=hours.describe(),
        open_now=hours.is_open(now),
        next_opening=hours.next_opening(now),
        closed=closed,
    )
