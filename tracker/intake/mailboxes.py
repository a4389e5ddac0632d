"""The IMAP side of intake: which mailboxes, fetching what landed, moving it out of the way.

Always over TLS (IMAPS), with the system's CAs and, if set, the mailbox's own CA file.
The arrival time is the server's INTERNALDATE (when the message landed in the mailbox),
never the Date header, which the sender's machine wrote. A fetched message is moved to
the done folder ("registreret i Fristsporing") only after its item is committed, and
never deleted; a message fetched twice (a move that failed) is the same item again.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from imapclient import IMAPClient

DEFAULT_PORT = 993
FETCH_CHUNK = 50


@dataclass(frozen=True)
class MailboxSettings:
    """One mailbox to poll (from the TRACKER_INTAKE_<NAME>_* settings)."""

    name: str
    host: str
    port: int
    user: str
    password: str
    folder: str
    done_folder: str
    team: str | None
    ca_file: str | None = None
    timeout: int = 30

    def __repr__(self) -> str:  # never the password, in a log or a traceback
        return f"<MailboxSettings {self.name} {self.host}:{self.port}>"


def mailboxes_from_config(config: Mapping[str, Any]) -> list[MailboxSettings]:
    """Return the configured mailboxes; raise ValueError naming a missing setting."""
    boxes = []
    for given in config["INTAKE_MAILBOXES"]:
        name = given["name"]
        missing = [key for key in ("host", "user", "password") if not given.get(key)]
        if missing:
            keys = ", ".join(f"TRACKER_INTAKE_{name.upper()}_{key.upper()}" for key in missing)
            raise ValueError(f"intake mailbox {name!r}: set {keys}")
        boxes.append(
            MailboxSettings(
                name=name,
                host=given["host"],
                port=int(given.get("port") or DEFAULT_PORT),
                user=given["user"],
                password=given["password"],
                folder=given.get("folder") or "INBOX",
                done_folder=given.get("done_folder") or config["INTAKE_DONE_FOLDER"],
                team=given.get("team") or config["INTAKE_CENTRAL_TEAM"],
                ca_file=given.get("ca_file") or None,
                timeout=config["INTAKE_IMAP_TIMEOUT"],
            )
        )
    return boxes


@dataclass(frozen=True)
class Fetched:
    """One message as the server holds it: its uid, arrival time and bytes."""

    uid: int
    arrived_at: datetime
    raw: bytes


class MailboxSession:
    """An open, logged-in connection with the intake folder selected."""

    def __init__(self, client: IMAPClient, settings: MailboxSettings) -> None:
        self.client = client
        self.settings = settings

    def fetch_all(self) -> list[Fetched]:
        """Return every message in the folder (processed ones have been moved out)."""
        uids = sorted(self.client.search("ALL"))
        found: list[Fetched] = []
        for start in range(0, len(uids), FETCH_CHUNK):
            chunk = uids[start : start + FETCH_CHUNK]
            # BODY.PEEK[]: read without setting \Seen, so the mailbox looks as it did.
            data = self.client.fetch(chunk, ["INTERNALDATE", "BODY.PEEK[]"])
            for uid in chunk:
                item = data.get(uid)
                if item is None:  # expunged meanwhile by someone else
                    continue
                found.append(Fetched(uid, _aware(item[b"INTERNALDATE"]), item[b"BODY[]"]))
        return found

    def move_done(self, uids: list[int]) -> None:
        """Move messages to the done folder (made if missing); never delete them."""
        if not uids:
            return
        folder = self.settings.done_folder
        if not self.client.folder_exists(folder):
            self.client.create_folder(folder)
        if self.client.has_capability("MOVE"):
            self.client.move(uids, folder)
        else:  # copy, then remove from the intake folder only (the copy stays)
            self.client.copy(uids, folder)
            self.client.delete_messages(uids)
            self.client.expunge(uids) if self.client.has_capability("UIDPLUS") else None


@contextmanager
def open_mailbox(settings: MailboxSettings) -> Iterator[MailboxSession]:
    """Connect over TLS, log in and select the intake folder; log out afterwards."""
    context = ssl.create_default_context()
    if settings.ca_file:
        context.load_verify_locations(cafile=settings.ca_file)
    client = IMAPClient(
        settings.host, port=settings.port, ssl=True, ssl_context=context, timeout=settings.timeout
    )
    client.normalise_times = False  # INTERNALDATE with its offset, not naive local time
    try:
        client.login(settings.user, settings.password)
        client.select_folder(settings.folder)
        yield MailboxSession(client, settings)
    finally:
        try:
            client.logout()
        except Exception:
            client.shutdown() if hasattr(client, "shutdown") else None


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # a server that gave no offset: IMAP says UTC is meant
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
