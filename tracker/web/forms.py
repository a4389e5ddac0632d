"""Forms for signing in and for the admin pages (Flask-WTF: CSRF token included)."""

from __future__ import annotations

from flask import request
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from tracker.domain.characters import has_refused_characters
from tracker.people.accounts import MAX_EMAIL, MAX_NAME, MAX_TEAM_NAME
from tracker.people.passwords import MAX_LENGTH as MAX_PASSWORD
from tracker.people.passwords import MIN_LENGTH as MIN_PASSWORD
from tracker.people.tokens import MAX_LABEL
from tracker.text.labels import ROLE_LABELS, TOKEN_SCOPE_LABELS
from tracker.web.periods import SupportedYears

REQUIRED = _l("This field is required.")
TOO_LONG = _l("At most %(max)d characters; the text has %(length)d.")


class MaxLength(Length):
    """Refuse text over a limit, naming the limit and the length.

    Unlike wtforms' Length it puts no maxlength on the field: a browser silently cuts
    pasted text at maxlength, and text must never be cut without a word.
    """

    def __init__(self, limit: int, message=TOO_LONG) -> None:
        super().__init__(max=limit, message=message)
        self.field_flags = {}


# WTForms has no Danish catalogue: its own messages go through ours. Listed here so the
# extraction keeps them in the catalogue.
WTFORMS_MESSAGES = (
    _l("Not a valid date value."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
)


class _OurCatalogue:
    # The raw translations: WTForms fills in %(min)d and %(max)d itself (Flask-Babel's
    # ngettext would fill in only %(num)d, and fail on the others with KeyError).
    def gettext(self, string: str) -> str:
        return get_translations().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ngettext(singular, plural, n)


BAD_CHARACTERS = _l("The text contains characters that are not allowed.")


class Form(FlaskForm):
    """A Flask-WTF form: Danish messages, text fields only, none with a character that
    tracker.domain.characters refuses (control characters, bidi overrides, zero-width)."""

    class Meta:
        def get_translations(self, form):
            return _OurCatalogue()

        def wrap_formdata(self, form, formdata):
            # A page's form has text fields only: a file part where text is expected (or a
            # JSON body, which is the API's) is not read, so the field is simply missing.
            wrapped = super().wrap_formdata(form, formdata)
            if wrapped is None or wrapped is formdata:  # not submitted, or given by the view
                return wrapped
            return request.form

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and has_refused_characters(field.data, multiline=True):
                field.errors = [*field.errors, str(BAD_CHARACTERS)]
                valid = False
        return valid


class LoginForm(Form):
    """E-mail and password."""

    email = StringField(_l("E-mail"), validators=[DataRequired(REQUIRED), MaxLength(MAX_EMAIL)])
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(REQUIRED), MaxLength(MAX_PASSWORD)],
    )


class UserForm(Form):
    """A user's name, e-mail, role, team and active flag."""

    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), MaxLength(MAX_NAME)])
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(REQUIRED),
            MaxLength(MAX_EMAIL),
            Email(_l("Enter a valid e-mail address."), check_deliverability=False),
        ],
    )
    role = SelectField(
        _l("Role"), choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]
    )
    team_id = SelectField(_l("Team"), coerce=int, choices=[])
    active = BooleanField(_l("Active"), default=True)

    def set_team_choices(self, teams) -> None:
        """Offer the teams, and 'no team' (for administrators)."""
        self.team_id.choices = [SelectChoice(0, _l("No team"))] + [
            SelectChoice(team.id, team.name) for team in teams
        ]


class PasswordForm(Form):
    """A new password chosen by an administrator; empty: generate one."""

    password = PasswordField(
        _l("New password (leave empty to generate one)"),
        validators=[
            Optional(),
            Length(
                min=MIN_PASSWORD,
                max=MAX_PASSWORD,
                message=_l("Between %(min)d and %(max)d characters."),
            ),
        ],
    )


class TeamForm(Form):
    """A team's name."""

    name = StringField(
        _l("Team name"),
        validators=[DataRequired(REQUIRED), MaxLength(MAX_TEAM_NAME)],
    )


class TokenForm(Form):
    """A label and a scope for a new API token."""

    name = StringField(_l("Label"), validators=[Optional(), MaxLength(MAX_LABEL)])
    scope = SelectField(
        _l("May be used for"),
        choices=[SelectChoice(key, text) for key, text in TOKEN_SCOPE_LABELS.items()],
        default="",
    )


class ConfirmForm(Form):
    """A button that only carries the CSRF token."""


class LiftLockForm(Form):
    """Lift a sign-in lock: an account (its hash) or an address."""

    kind = SelectField(choices=[SelectChoice("account"), SelectChoice("address")])
    key = StringField(validators=[DataRequired(REQUIRED), MaxLength(64)])


class AuditSearchForm(Form):
    """Search the audit log by case, user and date (sent with GET, so no CSRF token)."""

    class Meta:
        csrf = False

    case = StringField(
        _l("Case (reference or number)"),
        validators=[Optional(), MaxLength(40)],
    )
    user_id = SelectField(_l("User"), coerce=int, choices=[], default=0)
    since = DateField(_l("From date"), validators=[Optional(), SupportedYears()])
    until = DateField(_l("To date"), validators=[Optional(), SupportedYears()])
