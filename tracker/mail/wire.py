"""Write an e-mail in its wire format (RFC 5322 and MIME), ready for SMTP's DATA.

Our e-mails always have the same shape: fixed headers, a plain text part and an optional
HTML alternative, UTF-8. `email.message.EmailMessage` builds that shape through its
header registry and a generator, at about a millisecond per e-mail; dispatch sends
thousands in a row, so the few lines of that shape are written here directly, with the
standard library's encoders (RFC 2047 encoded words for headers, quoted-printable for
bodies). The tests parse the result with the standard library's parser.
"""

from __future__ import annotations

import email.quoprimime
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr

from tracker.mail.message import OutgoingMessage

CRLF = "\r\n"
MAX_LINE = 78  # RFC 5322's recommended line length; the hard limit is 998
QP_LINE = 76  # RFC 2045's limit for quoted-printable lines

# The headers every e-mail of ours carries, besides the addressing ones.
FIXED_HEADERS = (
    # RFC 3834: tells mail servers and people's rules this was sent by a machine.
    ("Auto-Submitted", "auto-generated"),
    # Exchange, which municipalities run, otherwise answers with out-of-office replies.
    ("X-Auto-Response-Suppress", "All"),
    ("Content-Language", "da"),
)


@dataclass(frozen=True)
class WireMessage:
    """One e-mail as SMTP sends it: envelope addresses and the DATA bytes."""

    message_id: str
    envelope_from: str
    recipients: tuple[str, ...]
    data: bytes
    # A non-ASCII address: the server must offer SMTPUTF8 (RFC 6531).
    international: bool = False


@dataclass(frozen=True)
class Sender:
    """The From of every e-mail: the header as written once, and the envelope address."""

    header: str
    address: str

    @classmethod
    def parse(cls, sender: str) -> Sender:
        """Read "Name <address>" (or a bare address); a non-ASCII name is encoded once."""
        _check_line(sender, "From")
        name, address = parseaddr(sender)
        if not address or "@" not in address:
            raise ValueError(f"not an e-mail address: {sender!r}")
        return cls(_header("From", formataddr((name, address), charset="utf-8")), address)


def wire_message(
    sender: Sender,
    to: Sequence[str],
    subject: str,
    message_id: str,
    date: datetime,
    text: str,
    html: str | None = None,
    extra_headers: Iterable[tuple[str, str]] = (),
) -> WireMessage:
    """Write one e-mail; raise ValueError for a header that would break the format."""
    recipients = tuple(to)
    if not recipients:
        raise ValueError("an e-mail needs a recipient")
    for address in recipients:
        _check_line(address, "To")
    international = not all(a.isascii() for a in (sender.address, *recipients))
    headers = [
        _header("Message-ID", message_id, encode=False),
        _header("Date", format_datetime(date.astimezone(UTC))),
        sender.header,
        # Addresses cannot be encoded words; a non-ASCII one goes out as UTF-8 (SMTPUTF8).
        _header("To", ", ".join(recipients), encode=False),
        _header("Subject", subject),
        *(_header(name, value) for name, value in (*FIXED_HEADERS, *extra_headers)),
        "MIME-Version: 1.0",
    ]
    if not html:
        body = _part("plain", text)
    else:
        body = _alternative(_part("plain", text), _part("html", html))
    data = CRLF.join(headers) + CRLF + body
    if not data.endswith(CRLF):
        data += CRLF
    return WireMessage(message_id, sender.address, recipients, data.encode(), international)


def _check_line(value: str, name: str) -> None:
    if "\r" in value or "\n" in value:
        raise ValueError(f"header {name!r} contains a line break")


def _header(name: str, value: str, *, encode: bool = True) -> str:
    """Return "Name: value", folded, non-ASCII as RFC 2047 encoded words."""
    _check_line(value, name)
    if (value.isascii() and len(name) + 2 + len(value) <= MAX_LINE) or not encode:
        return f"{name}: {value}"
    charset = "us-ascii" if value.isascii() else "utf-8"
    folded = Header(value, charset, maxlinelen=MAX_LINE, header_name=name).encode(linesep=CRLF)
    return f"{name}: {folded}"


def _part(subtype: str, content: str) -> str:
    """Return Content-Type, Content-Transfer-Encoding, a blank line and the body."""
    lines = content.replace("\r\n", "\n").split("\n")
    if (
        content.isascii()
        and "\r" not in content.replace("\r\n", "")
        and max(map(len, lines)) <= MAX_LINE
    ):
        encoding, body = "7bit", CRLF.join(lines)
    else:
        # quoprimime encodes characters below 256 one by one: give it the UTF-8 bytes.
        latin1 = content.encode("utf-8").decode("latin-1")
        encoding = "quoted-printable"
        body = email.quoprimime.body_encode(latin1, maxlinelen=QP_LINE, eol=CRLF)
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}'
        f"Content-Transfer-Encoding: {encoding}{CRLF}{CRLF}{body}"
    )


def _alternative(*parts: str) -> str:
    boundary = "=_" + secrets.token_hex(16)
    # Quoted-printable cannot contain "=_"; a 7bit part could, in theory: draw again.
    while any(boundary in part for part in parts):
        boundary = "=_" + secrets.token_hex(16)
    head = f'Content-Type: multipart/alternative;{CRLF} boundary="{boundary}"{CRLF}{CRLF}'
    # The line break before a boundary belongs to the boundary, not to the part.
    body = "".join(f"--{boundary}{CRLF}{part}{CRLF}" for part in parts)
    return f"{head}{body}--{boundary}--{CRLF}"


def wire_email(
    message: OutgoingMessage, sender: Sender, now: datetime | None = None
) -> WireMessage:
    """Write the e-mail: plain text, an HTML alternative, our fixed headers; or ValueError."""
    return wire_message(
        sender,
        message.to,
        message.subject,
        message.message_id,
        message.date or now or datetime.now(UTC),
        message.text,
        message.html,
        message.headers.items(),
    )
