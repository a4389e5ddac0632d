"""What an e-mail of ours is before it is written out: recipients, subject, bodies, a stable id."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit


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
