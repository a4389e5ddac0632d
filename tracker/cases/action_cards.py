"""The municipality's action cards, loaded for the app, and the card a case follows.

The file is read and checked by tracker.cases.card_file (a broken file stops the start
with a message naming the problem; changed while the app runs, a broken version is
logged and the last good one kept). choose_card() picks the card for a case by its
concern's group, the person's age at receipt and the audience (myndighed by default).
"""

from __future__ import annotations

from pathlib import Path

from tracker.cases.card_file import (
    AGES,
    AUDIENCES,
    ActionCards,
    ActionCardsError,
    Card,
    Contact,
    Step,
    load,
    parse,
)
from tracker.cases.data_files import DataFile
from tracker.domain.age import AgeClass, age_class, age_on
from tracker.domain.local_time import COPENHAGEN

__all__ = [
    "AGES",
    "AUDIENCES",
    "DEFAULT_FILE",
    "ActionCards",
    "ActionCardsError",
    "Card",
    "Contact",
    "Step",
    "age_key",
    "age_of",
    "age_on",
    "cards_for_app",
    "check_at_startup",
    "choose_card",
    "load",
    "parse",
]

DEFAULT_FILE = Path(__file__).with_name("action_cards_default.toml")
MYNDIGHED = "myndighed"


ACTION_CARD_FILE = DataFile(
    "the action cards file", "ACTION_CARDS_FILE", DEFAULT_FILE, load, ActionCardsError
)


def configured_path() -> Path:
    """Return the file the app uses: the municipality's own, else the shipped default."""
    return ACTION_CARD_FILE.configured_path()


def cards_for_app() -> ActionCards:
    """Return the app's action cards, re-read when the file changes (the last good one kept)."""
    return ACTION_CARD_FILE.current()


def check_at_startup(app) -> None:
    """Load the configured file once, so a broken file stops the app at start."""
    ACTION_CARD_FILE.check_at_startup(app)


def age_of(notification) -> AgeClass:
    """Return what is known of the person's age at the notification's receipt."""
    received_on = notification.received_at.astimezone(COPENHAGEN).date()
    return age_class(notification.child_birth_date, notification.age_group, received_on)


def age_key(notification) -> str:
    """Return "over_18" or "under_18" (an unknown age and an unborn child: under 18)."""
    return "over_18" if age_of(notification) is AgeClass.ADULT else "under_18"


def choose_card(cards: ActionCards, notification, audience: str = MYNDIGHED) -> Card:
    """Return the card a case follows: its concerns' group, the age, the audience."""
    audience = audience if audience in AUDIENCES else MYNDIGHED
    return cards.card_for(
        cards.group_of_concerns(notification.concern_categories), age_key(notification), audience
    )
