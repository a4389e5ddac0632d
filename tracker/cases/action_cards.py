"""The municipality's action cards: checklists and contacts shown as guidance on a case.

The cards are configuration, not code: a TOML (or JSON) file, by default
tracker/action_cards_default.toml (Aalborg Kommune's card from the seed), or the
file named by config ACTION_CARDS_FILE. The file is validated when loaded; a
problem raises ActionCardsError naming it. Use cards_for_app() to get the loaded
cards (cached per app and file modification time) and choose_card() to pick one.
"""

from __future__ import annotations

import json
import logging
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app

from tracker.domain.local_time import COPENHAGEN

DEFAULT_FILE = Path(__file__).with_name("action_cards_default.toml")
AUDIENCES = ("myndighed", "fagperson")
AGES = ("under_18", "over_18")
KEY_LENGTH = 64  # ChecklistTick.item_key
ADULT_AGE_GROUPS = frozenset({"18-22"})


log = logging.getLogger(__name__)


class ActionCardsError(ValueError):
    """The action-card file is missing or malformed."""


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to do or avoid, ticked on the case."""

    key: str
    text: str


@dataclass(frozen=True)
class Contact:
    """Someone to call; an empty phone means the municipality has not filled it in."""

    name: str
    phone: str
    note: str


@dataclass(frozen=True)
class Card:
    """The guidance for one audience and age."""

    audience: str
    age: str
    title: str
    checklist: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class ActionCards:
    """Every card and the contacts, as the municipality configured them."""

    municipality: str
    cards: tuple[Card, ...]
    contacts: tuple[Contact, ...]

    def card(self, audience: str, age: str) -> Card:
        """Return the card for an audience and age."""
        return next(c for c in self.cards if c.audience == audience and c.age == age)


def load(path: Path) -> ActionCards:
    """Read and validate an action-card file (TOML, or JSON by its suffix)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ActionCardsError(f"Cannot read the action cards file {path}: {exc}") from exc
    try:
        data = json.loads(raw) if path.suffix == ".json" else tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ActionCardsError(f"{path}: not valid {path.suffix[1:] or 'TOML'}: {exc}") from exc
    return parse(data, source=str(path))


def parse(data: object, *, source: str = "action cards") -> ActionCards:
    """Build ActionCards from decoded data, or raise ActionCardsError naming the problem."""
    if not isinstance(data, dict):
        raise ActionCardsError(f"{source}: expected a table at the top level")
    cards = tuple(
        _card(item, f"{source}: cards[{i}]") for i, item in enumerate(_list(data, "cards", source))
    )
    contacts = tuple(
        _contact(item, f"{source}: contacts[{i}]")
        for i, item in enumerate(_list(data, "contacts", source))
    )
    for audience in AUDIENCES:
        for age in AGES:
            count = sum(1 for c in cards if c.audience == audience and c.age == age)
            if count != 1:
                raise ActionCardsError(
                    f"{source}: needs exactly one card for audience={audience!r}, age={age!r}"
                    f" (found {count})"
                )
    return ActionCards(_string(data, "municipality", source, required=False), cards, contacts)


def _list(data: dict, name: str, where: str) -> list:
    value = data.get(name)
    if not isinstance(value, list) or not value:
        raise ActionCardsError(f"{where}: '{name}' must be a non-empty list")
    return value


def _string(data: dict, name: str, where: str, *, required: bool = True) -> str:
    value = data.get(name, "")
    if not isinstance(value, str):
        raise ActionCardsError(f"{where}: '{name}' must be a text")
    if required and not value.strip():
        raise ActionCardsError(f"{where}: '{name}' is missing or empty")
    return value.strip()


def _card(item: object, where: str) -> Card:
    if not isinstance(item, dict):
        raise ActionCardsError(f"{where}: expected a table")
    audience = _string(item, "audience", where)
    age = _string(item, "age", where)
    if audience not in AUDIENCES:
        raise ActionCardsError(f"{where}: audience must be one of {', '.join(AUDIENCES)}")
    if age not in AGES:
        raise ActionCardsError(f"{where}: age must be one of {', '.join(AGES)}")
    checklist = []
    for j, entry in enumerate(_list(item, "checklist", where)):
        entry_where = f"{where}.checklist[{j}]"
        if not isinstance(entry, dict):
            raise ActionCardsError(f"{entry_where}: expected a table with key and text")
        key = _string(entry, "key", entry_where)
        if len(key) > KEY_LENGTH or not key.replace("_", "").replace("-", "").isalnum():
            raise ActionCardsError(
                f"{entry_where}: key must be letters, digits, '_' or '-', at most {KEY_LENGTH}"
            )
        checklist.append(ChecklistItem(key, _string(entry, "text", entry_where)))
    keys = [i.key for i in checklist]
    if len(set(keys)) != len(keys):
        raise ActionCardsError(f"{where}: checklist keys must be unique")
    return Card(audience, age, _string(item, "title", where), tuple(checklist))


def _contact(item: object, where: str) -> Contact:
    if not isinstance(item, dict):
        raise ActionCardsError(f"{where}: expected a table")
    return Contact(
        _string(item, "name", where),
        _string(item, "phone", where, required=False),
        _string(item, "note", where, required=False),
    )


def configured_path() -> Path:
    """Return the action-card file the app uses."""
    name = current_app.config["ACTION_CARDS_FILE"]
    return Path(name) if name else DEFAULT_FILE


_cache: dict[Path, tuple[float, ActionCards]] = {}


def cards_for_app() -> ActionCards:
    """Return the app's action cards, re-reading the file when it changes.

    A file broken while the app runs is logged and the last good version kept, so
    a typo in the municipality's file never takes the case pages down.
    """
    path = configured_path()
    cached = _cache.get(path)
    try:
        mtime = path.stat().st_mtime
        if cached is None or cached[0] != mtime:
            cached = (mtime, load(path))
            _cache[path] = cached
    except (OSError, ActionCardsError) as exc:
        if cached is None:
            raise ActionCardsError(f"Cannot use the action cards file {path}: {exc}") from exc
        log.error("Keeping the previous action cards: %s", exc)
    return cached[1]


def check_at_startup(app) -> None:
    """Load the configured action cards once, so a broken file stops the app at start."""
    with app.app_context():
        cards_for_app()


def age_on(birth_date: date, day: date) -> int:
    """Return a person's age in whole years on a day."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)


def age_key(notification) -> str:
    """Return "over_18" or "under_18" for a notification (under 18 when the age is unknown)."""
    if notification.child_birth_date is not None:
        received_on = notification.received_at.astimezone(COPENHAGEN).date()
        return "over_18" if age_on(notification.child_birth_date, received_on) >= 18 else "under_18"
    return "over_18" if notification.age_group in ADULT_AGE_GROUPS else "under_18"


def choose_card(cards: ActionCards, notification, audience: str) -> Card:
    """Return the card for a notification's child and an audience (myndighed by default)."""
    return cards.card(audience if audience in AUDIENCES else "myndighed", age_key(notification))
