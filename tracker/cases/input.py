"""Field-level validation of a new underretning, shared by the web form and the JSON API.

Use validate_notification(raw, team_id=..., caseworker_id=..., now=...): `raw` maps the
field names of tracker.cases.NotificationInput to what the client sent (strings,
None, or already parsed values: an aware datetime for received_at, a date for
child_birth_date). It returns a Validation: either `.value` (a NotificationInput,
ready for tracker.cases.register_notification) or `.errors` ({field: [Danish
messages]}), never both. It reads no database and no clock; team and caseworker
checks against the database happen in register_notification.

The rules:
- received_at: required, timezone-aware (an ISO 8601 string with offset is accepted),
  not more than FUTURE_TOLERANCE after `now`, not before MIN_RECEIVED_YEAR.
  The form enters it as a local date and HH:MM: see local_received_at() (a time
  that does not exist when clocks go forward is refused; a time that occurs twice
  when clocks go back means the first occurrence, i.e. summer time).
- channel, notifier_kind: required, one of the enums' values; age_group optional, one of
  AgeGroup's values except "unborn" (set from expected_birth_date); child_gender optional
  (default "unknown"), one of Gender's values; notifier_sector optional, a sector the
  municipality's sectors file offers (tracker.cases.notifier_sectors).
- concerns: one or more ConcernCategory values (a list, or one value), each once, the
  first named first.
- expected_birth_date: an unborn child; not before the receipt day and at most
  UNBORN_MAX_DAYS after it; then no CPR number, birth date or age group.
- notifier_contact: required unless the notifier is anonymous; must be empty for an
  anonymous notifier (so an anonymous notifier's identity is never stored).
  An anonymous notifier starts no receipt deadline (the domain leaves it out).
- child_reference and summary: required. cpr_number optional: ten digits (a hyphen
  or space after the sixth is allowed and removed) whose first six are a real date
  DDMMYY, the century from the seventh digit as the CPR rules say; no modulus-11
  check (not used since 2007). child_birth_date optional, not after receipt; with a
  CPR number the birth date is taken from it, and a different one is refused.
- Every text has a length limit (the constants in tracker.models.cases), is
  stripped, and may not contain control characters (tab and newline are allowed in
  the summary and the contact), bidirectional overrides or zero-width characters
  (tracker.domain.characters).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _

from tracker.cases.actions import NotificationInput
from tracker.cases.child_input import (
    CPR_PATTERN,
    UNBORN_MAX_DAYS,
    birth_date_from_cpr,
    check_birth_date,
    check_cpr,
    check_expected_birth_date,
)
from tracker.cases.errors import FUTURE_TOLERANCE
from tracker.cases.notifier_sectors import NotifierSectors, sectors_for_app
from tracker.domain.characters import has_refused_characters
from tracker.domain.errors import NonexistentLocalTime
from tracker.domain.local_time import COPENHAGEN, localize
from tracker.domain.rules import SUPPORTED_YEARS
from tracker.models.cases import (
    CHILD_REFERENCE_LENGTH,
    CONTACT_LENGTH,
    SUMMARY_LENGTH,
    AgeGroup,
    Channel,
    ConcernCategory,
    Gender,
    NotifierKind,
)

__all__ = [
    "CPR_PATTERN",
    "FIELDS",
    "UNBORN_MAX_DAYS",
    "Validation",
    "birth_date_from_cpr",
    "local_received_at",
    "validate_notification",
]

MIN_RECEIVED_YEAR = 2000
# A receipt further back than this is asked about before saving ("er datoen rigtig?"):
# a mistyped year would make every deadline overdue at once.
OLD_RECEIPT_DAYS = 7


def received_long_ago(received_at: datetime, now: datetime) -> bool:
    """Tell whether a receipt time lies so far back that the form asks to confirm it."""
    return received_at < now - timedelta(days=OLD_RECEIPT_DAYS)


FIELDS = (
    "received_at",
    "channel",
    "notifier_kind",
    "notifier_sector",
    "notifier_contact",
    "notifier_note",
    "child_reference",
    "cpr_number",
    "child_birth_date",
    "expected_birth_date",
    "age_group",
    "child_gender",
    "concerns",
    "summary",
)


@dataclass
class Validation:
    """The outcome of validating a notification: a value, or errors by field."""

    value: NotificationInput | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Tell whether the input was valid."""
        return not self.errors

    def add(self, name: str, message: str) -> None:
        """Record an error for a field."""
        self.errors.setdefault(name, []).append(message)


def validate_notification(
    raw: Mapping[str, object],
    *,
    team_id: int,
    caseworker_id: int | None,
    now: datetime,
    sectors: NotifierSectors | None = None,
) -> Validation:
    """Check a new notification's fields; return the NotificationInput or the field errors.

    `sectors` defaults to the app's sectors file, read only when a sector is given.
    """
    result = Validation()
    received_at = _received_at(raw.get("received_at"), now, result)
    channel = _choice(raw, "channel", Channel, result, required=True)
    notifier_kind = _choice(raw, "notifier_kind", NotifierKind, result, required=True)
    sector = _sector(raw.get("notifier_sector"), sectors, result)
    concerns = _concerns(raw.get("concerns"), result)
    age_group = _choice(raw, "age_group", AgeGroup, result, required=False)
    if age_group == AgeGroup.UNBORN:
        result.add("age_group", _("Not a valid choice."))
    gender = _choice(raw, "child_gender", Gender, result, required=False) or Gender.UNKNOWN
    contact = _text(raw, "notifier_contact", CONTACT_LENGTH, result, multiline=True)
    _contact_rules(notifier_kind, contact, result)
    notifier_note = _text(raw, "notifier_note", CONTACT_LENGTH, result, multiline=True)
    child_reference = _text(raw, "child_reference", CHILD_REFERENCE_LENGTH, result)
    if child_reference is None and "child_reference" not in result.errors:
        result.add("child_reference", _("Enter the child's case reference."))
    summary = _text(raw, "summary", SUMMARY_LENGTH, result, multiline=True)
    if summary is None and "summary" not in result.errors:
        result.add("summary", _("Describe the concern."))
    cpr_number, cpr_birth_date = check_cpr(raw.get("cpr_number"), result)
    birth_date = check_birth_date(raw.get("child_birth_date"), cpr_birth_date, received_at, result)
    expected = check_expected_birth_date(raw.get("expected_birth_date"), received_at, result)
    if expected is not None and (cpr_number or birth_date or age_group):
        result.add(
            "expected_birth_date",
            _("An unborn child has no CPR number, birth date or age group: leave them empty."),
        )
    if result.errors:
        return result
    result.value = NotificationInput(
        received_at=received_at,
        channel=channel,
        notifier_kind=notifier_kind,
        notifier_contact=contact,
        notifier_note=notifier_note,
        child_reference=child_reference,
        cpr_number=cpr_number,
        child_birth_date=birth_date,
        age_group=age_group,
        concerns=concerns,
        summary=summary,
        team_id=team_id,
        caseworker_id=caseworker_id,
        child_gender=str(gender),
        notifier_sector=sector,
        expected_birth_date=expected,
    )
    return result


def local_received_at(day: date, clock: time) -> datetime:
    """Return the aware instant of a Copenhagen wall-clock date and time.

    Raises ValueError with a Danish message when the time does not exist (the hour
    skipped when clocks go forward) or the year is outside SUPPORTED_YEARS (near year 1
    or 9999 the conversion to UTC overflows); an hour that occurs twice means the first one.
    """
    if day.year not in SUPPORTED_YEARS:
        raise ValueError(_years_message())
    try:
        return localize(datetime.combine(day, clock.replace(second=0, microsecond=0)))
    except OverflowError:
        raise ValueError(_years_message()) from None
    except NonexistentLocalTime:
        raise ValueError(
            _(
                "%(time)s does not exist on %(date)s: the clocks were put forward. "
                "Enter the time on the clock after the change.",
                time=clock.strftime("%H:%M"),
                date=day.strftime("%d.%m.%Y"),
            )
        ) from None


def _years_message() -> str:
    return _(
        "Choose a year from %(first)d to %(last)d.",
        first=SUPPORTED_YEARS.start,
        last=SUPPORTED_YEARS.stop - 1,
    )


def _received_at(value: object, now: datetime, result: Validation) -> datetime | None:
    if value is None or value == "":
        result.add("received_at", _("Enter when the notification was received."))
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            result.add("received_at", _("Enter the time of receipt as a date and a time."))
            return None
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        result.add("received_at", _("The time of receipt must include its time zone."))
        return None
    if value > now + FUTURE_TOLERANCE:
        minutes = int(FUTURE_TOLERANCE / timedelta(minutes=1))
        result.add(
            "received_at",
            _(
                "The time of receipt lies more than %(minutes)d minutes in the future. "
                "Enter when the notification actually arrived.",
                minutes=minutes,
            ),
        )
        return None
    # Compared as instants: converting a time near year 1 to Copenhagen time would overflow.
    if value < datetime(MIN_RECEIVED_YEAR, 1, 1, tzinfo=COPENHAGEN):
        result.add("received_at", _("The time of receipt is too far in the past."))
        return None
    return value


def _choice(raw, name: str, enum, result: Validation, *, required: bool) -> str | None:
    value = raw.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            result.add(name, _("Choose one of the options."))
        return None
    allowed = {member.value for member in enum}
    value = str(value).strip()
    if value not in allowed:
        result.add(name, _("Not a valid choice."))
        return None
    return value


def _text(raw, name: str, limit: int, result: Validation, *, multiline: bool = False):
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        result.add(name, _("Enter text."))
        return None
    value = value.replace("\r\n", "\n").strip()
    if has_refused_characters(value, multiline=multiline):
        result.add(name, _("The text contains characters that are not allowed."))
        return None
    if len(value) > limit:
        result.add(name, too_long(limit, len(value)))
        return None
    return value or None


def too_long(limit: int, length: int) -> str:
    """Return the Danish refusal of a text over its limit, with the limit and the length."""
    return _("At most %(max)d characters; the text has %(length)d.", max=limit, length=length)


def _contact_rules(notifier_kind: str | None, contact: str | None, result: Validation) -> None:
    if notifier_kind is None or "notifier_contact" in result.errors:
        return
    if notifier_kind == NotifierKind.ANONYMOUS and contact:
        result.add(
            "notifier_contact",
            _("An anonymous notifier has no contact details: leave the field empty."),
        )
    elif notifier_kind != NotifierKind.ANONYMOUS and not contact:
        result.add(
            "notifier_contact",
            _("Enter how the notifier can be reached (needed for the confirmation of receipt)."),
        )


def _sector(value, sectors: NotifierSectors | None, result: Validation) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    sectors = sectors or sectors_for_app()
    if not isinstance(value, str) or not sectors.is_offered(value.strip()):
        result.add("notifier_sector", _("Not a valid choice."))
        return None
    return value.strip()


def _concerns(value, result: Validation) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else list(value or [])
    values = [v.strip() if isinstance(v, str) else v for v in values]
    values = [v for v in values if v != ""]
    if not values:
        result.add("concerns", _("Choose at least one concern."))
        return ()
    allowed = {member.value for member in ConcernCategory}
    if any(not isinstance(v, str) or v not in allowed for v in values):
        result.add("concerns", _("Not a valid choice."))
        return ()
    if len(set(values)) != len(values):
        result.add("concerns", _("Name each concern once."))
        return ()
    return tuple(values)
