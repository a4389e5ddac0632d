"""The child's identity and dates in a new underretning: CPR number, birth date, unborn child.

Part of the validation in tracker.cases.input (which documents the rules); each check
takes the raw value and the Validation to add its Danish message to.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import gettext as _

from tracker.domain.local_time import COPENHAGEN

# [0-9], not \d: \d also matches other scripts' digits (e.g. Arabic-Indic), which int() reads.
CPR_PATTERN = re.compile(r"^([0-9]{6})[- ]?([0-9]{4})$")
# A pregnancy lasts about 280 days: an expected birth further ahead is a typing error.
UNBORN_MAX_DAYS = 300


def birth_date_from_cpr(digits: str) -> date | None:
    """Return the birth date a ten-digit CPR number encodes, or None if it is no real date."""
    day, month, year2, seventh = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), digits[6]
    year = year2 + _century(seventh, year2)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _century(seventh: str, year2: int) -> int:
    """Return the century of a CPR number from its seventh digit (CPR-kontoret's table)."""
    if seventh in "0123":
        return 1900
    if seventh in "49":
        return 2000 if year2 <= 36 else 1900
    return 2000 if year2 <= 57 else 1800  # 5-8


def check_cpr(value: object, result) -> tuple[str | None, date | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    match = CPR_PATTERN.match(str(value).strip())
    if match is None:
        result.add("cpr_number", _("A CPR number has ten digits, e.g. 010203-1234."))
        return None, None
    digits = match.group(1) + match.group(2)
    birth_date = birth_date_from_cpr(digits)
    if birth_date is None:
        result.add("cpr_number", _("The first six digits of the CPR number are not a real date."))
        return None, None
    return digits, birth_date


def check_birth_date(value, cpr_birth_date, received_at, result) -> date | None:
    if value is None or value == "":
        birth_date = cpr_birth_date
    elif isinstance(value, date) and not isinstance(value, datetime):
        birth_date = value
    else:
        try:
            birth_date = date.fromisoformat(str(value).strip())
        except ValueError:
            result.add("child_birth_date", _("Enter the birth date as a date."))
            return None
    if birth_date is None:
        return None
    if cpr_birth_date is not None and birth_date != cpr_birth_date:
        result.add("child_birth_date", _("The birth date does not match the CPR number."))
        return None
    if received_at is not None and birth_date > received_at.astimezone(COPENHAGEN).date():
        result.add("child_birth_date", _("The birth date lies after the notification arrived."))
        return None
    return birth_date


def check_expected_birth_date(value, received_at, result) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        expected = value
    else:
        try:
            expected = date.fromisoformat(str(value).strip())
        except ValueError:
            result.add("expected_birth_date", _("Enter the expected date of birth as a date."))
            return None
    if received_at is None:
        return expected
    received_on = received_at.astimezone(COPENHAGEN).date()
    if expected < received_on:
        result.add(
            "expected_birth_date",
            _("The expected date of birth lies before the notification arrived."),
        )
        return None
    if (expected - received_on).days > UNBORN_MAX_DAYS:
        result.add(
            "expected_birth_date",
            _(
                "The expected date of birth lies more than %(days)d days after receipt.",
                days=UNBORN_MAX_DAYS,
            ),
        )
        return None
    return expected
