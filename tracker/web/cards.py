"""The action cards as read-only, printable pages: public, without case data.

A professional outside the department (a school, a jobcentre) follows the fagperson
cards; these pages show every card and the contacts page lists every card's contacts,
so they can be linked to and printed without signing in. They show no case.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from tracker.cases.action_cards import cards_for_app
from tracker.text.labels import CONCERN_LABELS, label

bp = Blueprint("cards", __name__, url_prefix="/cards")


@bp.get("/")
def index():
    """List the cards: the seed's four, then the general cards."""
    cards = cards_for_app()
    return render_template("cards/index.html", cards=cards, groups=_groups(cards))


@bp.get("/<key>")
def show(key: str):
    """Show one card, read-only and printable."""
    cards = cards_for_app()
    card = cards.by_key(key)
    if card is None:
        abort(404)
    return render_template("cards/show.html", card=card, cards=cards, groups=_groups(cards))


@bp.get("/contacts")
def contacts():
    """List every card's contacts."""
    cards = cards_for_app()
    return render_template("cards/contacts.html", cards=cards)


def _groups(cards) -> dict[str, list[str]]:
    """Return each concern group's concerns by their screen names (the general card: the rest)."""
    return {
        group: sorted(label(CONCERN_LABELS, c) for c in concerns)
        for group, concerns in cards.concern_groups.items()
    }
