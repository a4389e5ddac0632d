"""Whose law applies: a child (barnets lov) or an adult (18 or over at receipt). Pure.

Age at receipt comes from the birth date (the registration fills it from the CPR
number) or else from the age group. An unknown age counts as a child, the safer
choice (the case page asks for the age); an unborn child (a concern about vordende
forældre, barnets lov § 133) is a child.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

ADULT_AGE = 18
ADULT_AGE_GROUPS = frozenset({"18-22"})
UNBORN_AGE_GROUPS = frozenset({"unborn"})
UNKNOWN_AGE_GROUPS = frozenset({"unknown", ""})


class AgeClass(StrEnum):
    """What the tracker knows of the person's age at receipt."""

    CHILD = "child"
    ADULT = "adult"
    UNBORN = "unborn"  # a child: vordende forældre
    UNKNOWN = "unknown"  # treated as a child


def age_on(birth_date: date, day: date) -> int:
    """Return a person's age in whole years on a day."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)


def age_class(birth_date: date | None, age_group: str | None, received_on: date) -> AgeClass:
    """Return the age class at receipt, from the birth date first, then the age group."""
    if birth_date is not None:
        if birth_date > received_on:
            return AgeClass.UNBORN
        return AgeClass.ADULT if age_on(birth_date, received_on) >= ADULT_AGE else AgeClass.CHILD
    if age_group is None or age_group in UNKNOWN_AGE_GROUPS:
        return AgeClass.UNKNOWN
    if age_group in UNBORN_AGE_GROUPS:
        return AgeClass.UNBORN
    return AgeClass.ADULT if age_group in ADULT_AGE_GROUPS else AgeClass.CHILD


def is_adult(birth_date: date | None, age_group: str | None, received_on: date) -> bool:
    """Tell whether adults' rules apply (18 or over at receipt; unknown counts as a child)."""
    return age_class(birth_date, age_group, received_on) is AgeClass.ADULT
