"""Fill the English catalogue: the msgids are English, so each text is its own translation.

Run by `make messages` after `pybabel update`; Danish is translated by hand.
"""

from babel.messages.pofile import read_po, write_po

PO = "tracker/translations/en/LC_MESSAGES/messages.po"
with open(PO, "rb") as f:
    cat = read_po(f, locale="en")
for msg in cat:
    if not msg.id:
        continue
    if isinstance(msg.id, tuple):
        if not all(msg.string):
            msg.string = (msg.id[0], msg.id[1])
    elif not msg.string:
        msg.string = msg.id
    msg.flags.discard("fuzzy")
with open(PO, "wb") as f:
    write_po(f, cat, width=76)
