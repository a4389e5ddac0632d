"""Dates and months typed into filters: one parser, limited to the years the app answers for.

Beyond those years date arithmetic overflows (year 1 minus a day, year 9999 plus one) and
the databases refuse the instants, so such input is refused here with a Danish message.
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from tracker.domain.rules import SUPPORTED_YEARS

DATE_FORMAT = _l("Write dates as YYYY-MM-DD, for example 2026-04-01.")
MONTH_FORMAT = _l("Write months as YYYY-MM, for example 2026-04.")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class PeriodError(ValueError):
    """A date or month that is malformed or outside SUPPORTED_YEARS; str() is the message."""


def years_message() -> str:
    """Say which years a date or month may fall in."""
    return str(
        _l(
            "Choose a year from %(first)d to %(last)d.",
            first=SUPPORTED_YEARS.start,
            last=SUPPORTED_YEARS.stop - 1,
        )
    )


def check_year(year: int) -> None:
    """Refuse a year outside SUPPORTED_YEARS."""
    if year not in SUPPORTED_YEARS:
        raise PeriodError(years_message())


def parse_date(text: str) -> date | None:
    """Read an optional YYYY-MM-DD date; empty is None."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise PeriodError(str(DATE_FORMAT)) from None
    check_year(day.year)
    return day


def parse_month(text: str) -> str:
    """Read a YYYY-MM month and return it as given."""
    match = MONTH.match(text)
    if match is None:
        raise PeriodError(str(MONTH_FORMAT))
    check_year(int(match.group(1)))
    return text


class SupportedYears:
    """A WTForms validator: the field's date must fall in SUPPORTED_YEARS."""

    def __call__(self, form, field) -> None:
        if field.data is not None and field.data.year not in SUPPORTED_YEARS:
            raise ValidationError(years_message())
