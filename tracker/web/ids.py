"""Ids in URLs: one bounded converter, so no route hands the database a number it refuses."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

# Ids are PostgreSQL `integer` columns: larger numbers cannot name a row, and PostgreSQL
# (or SQLite beyond 2**63) would refuse the query instead of finding nothing.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """Match a row id, 1 to MAX_ID; anything else is no route, so 404."""

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, *args, min=1, max=MAX_ID, **kwargs)


def is_id(value: object) -> bool:
    """Tell whether a number can be a row id."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def init_app(app: Flask) -> None:
    """Register the converter as `<id:name>`; call before any blueprint is registered."""
    app.url_map.converters["id"] = IdConverter
