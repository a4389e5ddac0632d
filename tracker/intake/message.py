"""Read a raw e-mail as received: who sent it, its subject, its text and its attachments.

Nothing here is logged or sent: an underretning's text is personal data.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
from dataclasses import dataclass, field
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any

from tracker.models.intake import MESSAGE_ID_LENGTH, SENDER_LENGTH, SUBJECT_LENGTH

MESSAGE_TYPE = "message/rfc822"


@dataclass(frozen=True)
class ParsedMessage:
    """What the intake item shows of a message; the raw bytes are kept beside it."""

    message_id: str
    sender: str | None
    subject: str | None
    body_text: str
    attachments: list[dict[str, Any]] = field(default_factory=list)


def parse_message(raw: bytes) -> ParsedMessage:
    """Read a message's headers, text and attachment list; never fails on a broken message."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return ParsedMessage(
        message_id=message_key(message, raw),
        sender=_header(message, "From", SENDER_LENGTH),
        subject=_header(message, "Subject", SUBJECT_LENGTH),
        body_text=_body_text(message),
        attachments=[_attachment(part) for part in message.iter_attachments()],
    )


def message_key(message: EmailMessage, raw: bytes) -> str:
    """Return the Message-ID, or for a message without one a digest of its bytes."""
    value = _header(message, "Message-ID", MESSAGE_ID_LENGTH)
    if value:
        return value.strip()
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _header(message: EmailMessage, name: str, limit: int) -> str | None:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a header the parser cannot read
        value = None
    if value is None:
        return None
    text = " ".join(str(value).split())
    # A header is capped at the column's size; the whole message is kept in `raw`.
    return text[:limit] or None


def _body_text(message: EmailMessage) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        if part is None:
            return ""
        content = part.get_content()
    except (LookupError, ValueError, TypeError):  # an unknown charset, a broken part
        return ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        return _text_of_html(content)
    return content.replace("\r\n", "\n")


def _attachment(part: EmailMessage) -> dict[str, Any]:
    try:
        payload = part.get_payload(decode=True) or b""
    except (ValueError, TypeError):
        payload = b""
    return {
        "filename": part.get_filename() or "",
        "content_type": part.get_content_type(),
        "size": len(payload),
    }


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag in {"br", "p", "div", "li", "tr"}:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data) -> None:
        if not self._skip:
            self.parts.append(data)


def _text_of_html(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    return "".join(parser.parts).strip()
