"""Which characters a name, a reference or a note may hold: one rule for every way in.

The web forms (every text field), the API and the people use cases (so the commands too)
refuse, with a Danish message, text holding:

- control characters: PostgreSQL refuses NUL, and the others have no place in text;
  multi-line text (a summary, a contact, a note) may hold tab, newline and carriage return;
- bidirectional overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069) and the
  direction marks (U+200E, U+200F), which make text display in another order than it is
  stored: "SAG-1\\u202e12" shows as another reference;
- zero-width characters (U+200B-U+200D, U+2060, U+FEFF), which make two different texts
  look the same: a repeated notification about a child would go unnoticed.

Refused, not stripped: what a person entered is stored as entered, or not at all.
"""

from __future__ import annotations

import re

DECEPTIVE_CHARACTERS = frozenset(
    [chr(code) for code in range(0x202A, 0x202F)]
    + [chr(code) for code in range(0x2066, 0x206A)]
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff"]
)
_DECEPTIVE = "".join(sorted(DECEPTIVE_CHARACTERS))
# Control characters but tab, newline and carriage return; the deceptive ones.
MULTI_LINE_REFUSED = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f{_DECEPTIVE}]")
SINGLE_LINE_REFUSED = re.compile(f"[\\x00-\\x1f\\x7f{_DECEPTIVE}]")


def has_refused_characters(text: str, *, multiline: bool = False) -> bool:
    """Tell whether a text holds a character no name, reference or note may hold."""
    return (MULTI_LINE_REFUSED if multiline else SINGLE_LINE_REFUSED).search(text) is not None
