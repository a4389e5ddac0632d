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
    m = cat.get(k)
    if m is None:
        cat.add(k, v)
    else:
        m.string = v
        m.flags.discard("fuzzy")
with open(path, "wb") as f:
    write_po(f, cat, width=100)
missing = [m.id for m in cat if m.id and not m.string]
print("untranslated:", missing)
