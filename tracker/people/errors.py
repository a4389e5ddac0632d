"""The error of the people use cases (accounts, tokens): a change that cannot be made."""

from __future__ import annotations


class PeopleError(ValueError):
    """A change that cannot be made; the message is a translatable text for the user."""
