"""The Danish catalogue is complete: every user-facing text in code and templates is translated."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
METHOD_MAP = [
    ("tracker/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]


def extracted_ids() -> set[str]:
    ids = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def danish_catalogue():
    with open(ROOT / "tracker/translations/da/LC_MESSAGES/messages.po", "rb") as handle:
        return read_po(handle, locale="da")


def test_every_text_has_a_danish_translation():
    catalogue = danish_catalogue()
    missing = []
    for msgid in sorted(extracted_ids()):
        entry = catalogue.get(msgid)
        strings = (
            entry.string if entry and isinstance(entry.string, tuple) else (entry and entry.string,)
        )
        if entry is None or entry.fuzzy or not all(strings):
            missing.append(msgid)
    assert missing == [], "untranslated (run `make messages` and translate): " + repr(missing)


def test_danish_is_the_default_locale():
    from config import Config

    assert Config.BABEL_DEFAULT_LOCALE == "da"
