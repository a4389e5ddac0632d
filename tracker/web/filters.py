"""Template filters: times are UTC inside, Europe/Copenhagen on screen."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l

# A page's date and time, as a Babel pattern in the page's language (Danish: "kl.").
DATETIME_PATTERN = _l("EEE d MMM yyyy 'at' HH:mm")


def local_datetime(value: datetime | None, fmt: str | None = None) -> str:
    """Format an aware UTC datetime in Copenhagen local time."""
    if value is None:
        return ""
    return format_datetime(value, fmt or str(DATETIME_PATTERN))


def local_date(value: date | None, fmt: str = "EEE d. MMM yyyy") -> str:
    """Format a date in the Danish style."""
    if value is None:
        return ""
    return format_date(value, fmt)


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.add_template_filter(local_datetime, "localtime")
    app.add_template_filter(local_date, "localdate")
