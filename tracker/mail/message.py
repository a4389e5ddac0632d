"""What an e-mail of ours is: recipients, subject, bodies, a stable id, our fixed headers.

`email_message` writes it as the standard library's `EmailMessage` (policy SMTP: CRLF line
ends, RFC 2047 encoded words for Danish letters in headers); the SMTP transport flattens
it once and sends the bytes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage, MIMEPart
from email.policy import SMTP
from email.utils import parseaddr
from urllib.parse import urlsplit

# The headers every e-mail of ours carries, besides the addressing ones.
FIXED_HEADERS = (
    # RFC 3834: tells mail servers and people's rules this was sent by a machine.
    ("Auto-Submitted", "auto-generated"),
    # Exchange, which municipalities run, otherwise answers with out-of-office replies.
    ("X-Auto-Response-Suppress", "All"),
    ("Content-Language", "da"),
)

# SMTP's line ends, and bodies in 7 bits (quoted-printable when they hold Danish letters or
# long lines): a server without 8BITMIME takes them as they are.
MAIL_POLICY = SMTP.clone(cte_type="7bit")


@dataclass(frozen=True)
class OutgoingMessage:
    """One e-mail ready to send; `message_id` stays the same however often it is sent."""

    to: Sequence[str]
    subject: str
    text: str
    html: str | None
    message_id: str
    headers: Mapping[str, str] = field(default_factory=dict)
    date: datetime | None = None  # None: the time of sending


_NOT_ATOM = re.compile(r"[^A-Za-z0-9.\-_]+")


def message_id_for(key: str, domain: str) -> str:
    """Return a stable Message-ID for `key` (e.g. "alert-123"): resends are the same e-mail."""
    local = _NOT_ATOM.sub("-", key).strip(".-") or "message"
    domain = _NOT_ATOM.sub("-", domain).strip(".-") or "localhost"
    return f"<fristsporing.{local}@{domain}>"


def message_id_domain(base_url: str | None) -> str:
    """Return the host of the tracker's BASE_URL, the right-hand side of our Message-IDs."""
    return urlsplit(base_url or "").hostname or "localhost"


def check_sender(sender: str) -> str:
    """Return the envelope address of a From such as "Name <address>"; ValueError if none."""
    if "\r" in sender or "\n" in sender:
        raise ValueError("the sender contains a line break")
    _name, address = parseaddr(sender)
    if "@" not in address:
        raise ValueError(f"not an e-mail address: {sender!r}")
    return address


def email_message(message: OutgoingMessage, sender: str, now: datetime) -> EmailMessage:
    """Write the e-mail: plain text, an HTML alternative, our fixed headers.

    Raises ValueError for a header that would break the format (a line break in it).
    """
    if not message.to:
        raise ValueError("an e-mail needs a recipient")
    email = EmailMessage(policy=MAIL_POLICY)
    email["Message-ID"] = message.message_id
    email["Date"] = (message.date or now).astimezone(UTC)
    email["From"] = sender
    # A non-ASCII address goes out as UTF-8, which needs the server's SMTPUTF8.
    email["To"] = ", ".join(message.to)
    email["Subject"] = message.subject
    if message.html:
        # The text first, then the HTML: a mail client shows the last part it can (RFC 2046).
        email["MIME-Version"] = "1.0"
        email["Content-Type"] = "multipart/alternative"
        for body, subtype in ((message.text, "plain"), (message.html, "html")):
            part = MIMEPart(policy=MAIL_POLICY)
            part.set_content(body, subtype=subtype)
            email.attach(part)
    else:
        email.set_content(message.text)  # this clears Content-* headers: the fixed ones after
    for name, value in (*FIXED_HEADERS, *message.headers.items()):
        email[name] = value
    return email
