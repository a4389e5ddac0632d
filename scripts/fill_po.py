# Usage: echo '{"English id": "Dansk tekst"}' | .venv/bin/python scripts/fill_po.py
"""Fill msgstr entries in the Danish .po from a JSON dict {msgid: msgstr} on stdin."""

import json
import sys

from babel.messages.pofile import read_po, write_po

path = "tracker/translations/da/LC_MESSAGES/messages.po"
with open(path, "rb") as f:
    cat = read_po(f, locale="da")
data = json.load(sys.stdin)
for k, v in data.items():
    # A plural entry is keyed by its singular id and given a [singular, plural] list.
    v = tuple(v) if isinstance(v, list) else v
    m = cat.get(k)
    if m is None:
        print("not in the catalogue (run `make messages` first):", k)
        continue
    m.string = v
    m.flags.discard("fuzzy")
with open(path, "wb") as f:
    write_po(f, cat, width=100)
missing = [
    m.id for m in cat if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
]
print(len(missing), "untranslated entries left in the catalogue")
