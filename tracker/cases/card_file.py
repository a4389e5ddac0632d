"""The action-card file, read and checked: cards, their steps, warnings and contacts.

The file is the municipality's (TOML, or JSON by its suffix; the shipped default is
action_cards_default.toml). parse() builds ActionCards or raises ActionCardsError
naming the file, the place and the problem. Choosing a card for a case is
tracker.cases.action_cards's job.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tracker.models.cases import ConcernCategory
from tracker.models.timeline import STEP_KEY_LENGTH

AUDIENCES = ("myndighed", "fagperson")
AGES = ("under_18", "over_18")
GENERAL = "general"
ANY = "any"
KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
TEXT_LIMIT = 1000


class ActionCardsError(ValueError):
    """The action-card file is missing or malformed."""


@dataclass(frozen=True)
class Contact:
    """Someone to call; phone2 is a second number (may be empty)."""

    key: str
    name: str
    phone: str
    note: str
    phone2: str = ""


@dataclass(frozen=True)
class Step:
    """One step of a card, done on a case and recorded on its timeline."""

    key: str
    text: str
    paragraph: str = ""
    contacts: tuple[str, ...] = ()
    ask_to: bool = False  # ask to whom (which consultant, which police officer)
    ends_duty: bool = False  # the hand-over that ends the professional's handlepligt


@dataclass(frozen=True)
class Card:
    """The procedure for one concern group, age and audience."""

    key: str
    group: str
    age: str  # under_18, over_18 or any
    audience: str  # myndighed, fagperson or any
    title: str
    intro: str
    duty: str
    warnings: tuple[str, ...]  # the texts, in the card's order
    contacts: tuple[Contact, ...]
    steps: tuple[Step, ...]

    def step(self, key: str) -> Step | None:
        """Return the card's step by key, or None."""
        return next((s for s in self.steps if s.key == key), None)

    def applies(self, group: str, age: str, audience: str) -> bool:
        """Tell whether the card is the one for a concern group, age and audience."""
        return self.group == group and self.age in (age, ANY) and self.audience in (audience, ANY)


@dataclass(frozen=True)
class ActionCards:
    """Every card, the concern groups, the contacts and retired step texts, as configured."""

    municipality: str
    concern_groups: dict[str, frozenset[str]]
    cards: tuple[Card, ...]
    contacts: tuple[Contact, ...]
    retired_steps: dict[str, str]

    def group_of(self, concern: str) -> str:
        """Return the concern group of a concern (GENERAL when no group names it)."""
        for group, concerns in self.concern_groups.items():
            if concern in concerns:
                return group
        return GENERAL

    def group_of_concerns(self, concerns) -> str:
        """Return the group of a case's concerns: a named group when any of them is in one
        (its warnings apply even when that concern is not the first), else GENERAL."""
        groups = (self.group_of(concern) for concern in concerns)
        return next((group for group in groups if group != GENERAL), GENERAL)

    def card_for(self, group: str, age: str, audience: str) -> Card:
        """Return the one card for a concern group, age and audience."""
        return next(c for c in self.cards if c.applies(group, age, audience))

    def by_key(self, key: str) -> Card | None:
        """Return a card by its key, or None."""
        return next((c for c in self.cards if c.key == key), None)

    def step_texts(self) -> dict[str, str]:
        """Return the text of every step key any card (or an earlier file) has."""
        texts = dict(self.retired_steps)
        for card in self.cards:
            for step in card.steps:
                texts.setdefault(step.key, step.text)
        return texts


def load(path: Path) -> ActionCards:
    """Read and check an action-card file (TOML, or JSON by its suffix)."""
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
    contacts = tuple(
        _contact(item, f"{source}: contacts[{i}]")
        for i, item in enumerate(_list(data, "contacts", source))
    )
    by_key = {c.key: c for c in contacts}
    if len(by_key) != len(contacts):
        raise ActionCardsError(f"{source}: contacts: keys must be unique")
    warnings = _texts_table(data, "warnings", source)
    groups = _groups(data.get("concern_groups", {}), f"{source}: concern_groups")
    cards = tuple(
        _card(item, f"{source}: cards[{i}]", by_key, warnings, groups)
        for i, item in enumerate(_list(data, "cards", source))
    )
    if len({c.key for c in cards}) != len(cards):
        raise ActionCardsError(f"{source}: cards: keys must be unique")
    for group in (GENERAL, *groups):
        for age in AGES:
            for audience in AUDIENCES:
                found = [c.key for c in cards if c.applies(group, age, audience)]
                if len(found) != 1:
                    raise ActionCardsError(
                        f"{source}: needs exactly one card for group={group!r}, age={age!r},"
                        f" audience={audience!r} (found {len(found)}: {', '.join(found) or '-'})"
                    )
    return ActionCards(
        municipality=_string(data, "municipality", source, required=False),
        concern_groups=groups,
        cards=cards,
        contacts=contacts,
        retired_steps=_texts_table(data, "retired_steps", source),
    )


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
    if len(value) > TEXT_LIMIT:
        raise ActionCardsError(f"{where}: '{name}' is longer than {TEXT_LIMIT} characters")
    return value.strip()


def _key(data: dict, where: str) -> str:
    key = _string(data, "key", where)
    if len(key) > STEP_KEY_LENGTH or not KEY_PATTERN.fullmatch(key):
        raise ActionCardsError(
            f"{where}: key {key!r} must be lower-case letters, digits, '_' or '-',"
            f" at most {STEP_KEY_LENGTH}"
        )
    return key


def _texts_table(data: dict, name: str, where: str) -> dict[str, str]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ActionCardsError(f"{where}: '{name}' must be a table of texts")
    return {key: _string(table, key, f"{where}: {name}") for key in table}


def _groups(table: object, where: str) -> dict[str, frozenset[str]]:
    if not isinstance(table, dict):
        raise ActionCardsError(f"{where}: must be a table of lists of concerns")
    known = {c.value for c in ConcernCategory}
    groups = {}
    for name, concerns in table.items():
        if name == GENERAL or not KEY_PATTERN.fullmatch(name):
            raise ActionCardsError(f"{where}: {name!r} cannot be a group's name")
        if not isinstance(concerns, list) or not all(isinstance(c, str) for c in concerns):
            raise ActionCardsError(f"{where}.{name}: must be a list of concerns")
        unknown = sorted(set(concerns) - known)
        if unknown:
            raise ActionCardsError(
                f"{where}.{name}: unknown concern(s) {unknown}; known: {sorted(known)}"
            )
        groups[name] = frozenset(concerns)
    return groups


def _card(item, where, contacts: dict, warnings: dict, groups: dict) -> Card:
    if not isinstance(item, dict):
        raise ActionCardsError(f"{where}: expected a table")
    key = _key(item, where)
    group = _string(item, "group", where)
    age = _string(item, "age", where)
    audience = _string(item, "audience", where)
    if group != GENERAL and group not in groups:
        raise ActionCardsError(f"{where}: group {group!r} is not general or a concern group")
    if age not in (*AGES, ANY):
        raise ActionCardsError(f"{where}: age must be one of {', '.join((*AGES, ANY))}")
    if audience not in (*AUDIENCES, ANY):
        raise ActionCardsError(f"{where}: audience must be one of {', '.join((*AUDIENCES, ANY))}")
    steps = tuple(
        _step(entry, f"{where}.steps[{j}]", contacts)
        for j, entry in enumerate(_list(item, "steps", where))
    )
    if len({s.key for s in steps}) != len(steps):
        raise ActionCardsError(f"{where}: step keys must be unique")
    return Card(
        key=key,
        group=group,
        age=age,
        audience=audience,
        title=_string(item, "title", where),
        intro=_string(item, "intro", where, required=False),
        duty=_string(item, "duty", where, required=False),
        warnings=tuple(warnings[k] for k in _refs(item, "warnings", where, warnings)),
        contacts=tuple(contacts[k] for k in _refs(item, "contacts", where, contacts)),
        steps=steps,
    )


def _refs(item: dict, name: str, where: str, known: dict) -> list[str]:
    refs = item.get(name, [])
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise ActionCardsError(f"{where}: '{name}' must be a list of keys")
    for ref in refs:
        if ref not in known:
            raise ActionCardsError(f"{where}: {name}: {ref!r} is not defined in the file")
    return refs


def _step(entry: object, where: str, contacts: dict) -> Step:
    if not isinstance(entry, dict):
        raise ActionCardsError(f"{where}: expected a table with key and text")
    for flag in ("ask_to", "ends_duty"):
        if not isinstance(entry.get(flag, False), bool):
            raise ActionCardsError(f"{where}: '{flag}' must be true or false")
    return Step(
        key=_key(entry, where),
        text=_string(entry, "text", where),
        paragraph=_string(entry, "paragraph", where, required=False),
        contacts=tuple(_refs(entry, "contacts", where, contacts)),
        ask_to=entry.get("ask_to", False),
        ends_duty=entry.get("ends_duty", False),
    )


def _contact(item: object, where: str) -> Contact:
    if not isinstance(item, dict):
        raise ActionCardsError(f"{where}: expected a table")
    return Contact(
        key=_key(item, where),
        name=_string(item, "name", where),
        phone=_string(item, "phone", where, required=False),
        note=_string(item, "note", where, required=False),
        phone2=_string(item, "phone2", where, required=False),
    )
