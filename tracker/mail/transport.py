"""Transports: send e-mails over SMTP, or print them to the console when no server is set.

Our e-mails carry no personal data by construction (deadline kind, case reference, due
time, a link), which is why the console transport may print them.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TextIO

from tracker.mail.message import OutgoingMessage
from tracker.mail.wire import Sender, WireMessage, wire_email

log = logging.getLogger(__name__)

SECURITY_MODES = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class SendResult:
    """What became of one message: sent, or the error; `permanent` when retrying is futile."""

    error: str | None = None
    permanent: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


SENT = SendResult()


KeepGoing = Callable[[], bool]


class MailTransport(Protocol):
    def send_batch(
        self, messages: Sequence[OutgoingMessage], keep_going: KeepGoing | None = None
    ) -> list[SendResult]:
        """Send the messages; return one result per message sent, in order, never raising.

        `keep_going` is asked before each message but the first; once it says False the
        rest are not sent, and the results cover only the messages before them.
        """
        ...


def _until_told_to_stop(items: Sequence, keep_going: KeepGoing | None):
    for index, item in enumerate(items):
        if index and keep_going is not None and not keep_going():
            return
        yield item


def describe_error(exc: BaseException) -> str:
    """Return a one-line, admin-readable description of a sending error."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = [f"{rcpt}: {_reply(code, msg)}" for rcpt, (code, msg) in exc.recipients.items()]
        return "recipient refused: " + "; ".join(parts)
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__}: {_reply(exc.smtp_code, exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {text}".strip()


def _is_permanent(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return True  # the server lacks an extension (SMTPUTF8): retrying will not add it
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


class _ConnectionLost(Exception):
    """The server went away mid-batch (dropped, or said 421 and closed)."""


class SmtpTransport:
    """Send over SMTP with smtplib: one connection per batch, re-opened once if dropped."""

    def __init__(
        self,
        host: str,
        port: int = 25,
        *,
        sender: str,
        security: str = "none",
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if security not in SECURITY_MODES:
            raise ValueError(f"SMTP security must be one of {SECURITY_MODES}, got {security!r}")
        self.host, self.port, self.sender = host, port, sender
        self.security, self.username, self.password = security, username, password
        self.timeout = timeout
        self.ssl_context = ssl_context

    def _tls_context(self) -> ssl.SSLContext:
        # Loading the system's CA certificates takes tens of milliseconds: once per transport.
        if self.ssl_context is None:
            self.ssl_context = ssl.create_default_context()
        return self.ssl_context

    def connect(self) -> smtplib.SMTP:
        """Open, secure and log in to one SMTP connection."""
        if self.security == "ssl":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=self._tls_context()
            )
        else:
            conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            conn.ehlo()
            if self.security == "starttls":
                conn.starttls(context=self._tls_context())
                conn.ehlo()
            if self.username:
                conn.login(self.username, self.password or "")
        except BaseException:
            conn.close()
            raise
        return conn

    def send_batch(
        self, messages: Sequence[OutgoingMessage], keep_going: KeepGoing | None = None
    ) -> list[SendResult]:
        """Send the messages over one connection; failures are returned per message."""
        batch = _Batch(self.connect)
        try:
            return [
                built if isinstance(built, SendResult) else batch.send(built)
                for built in _until_told_to_stop(_build_all(messages, self.sender), keep_going)
            ]
        finally:
            batch.close()


def _build_all(messages: Sequence[OutgoingMessage], sender: str) -> list[WireMessage | SendResult]:
    """Write each message, or say why it cannot be (a header with a line break, ...)."""
    try:
        parsed = Sender.parse(sender)
    except ValueError as exc:
        return [SendResult(f"invalid sender: {exc}", permanent=True) for _ in messages]
    built: list[WireMessage | SendResult] = []
    now = datetime.now(UTC)
    for message in messages:
        try:
            built.append(wire_email(message, parsed, now))
        except (ValueError, TypeError) as exc:
            built.append(SendResult(f"invalid message: {exc}", permanent=True))
    return built


def _mail_options(conn: smtplib.SMTP, email: WireMessage) -> tuple[str, ...]:
    if not email.international:
        return ()
    # As smtplib's send_message does: a non-ASCII address needs the server's SMTPUTF8.
    if not conn.has_extn("smtputf8"):
        raise smtplib.SMTPNotSupportedError(
            "a non-ASCII address needs SMTPUTF8, which the server does not offer"
        )
    return ("SMTPUTF8", "BODY=8BITMIME")


class _Batch:
    """One batch's connection: opened lazily, re-opened at most once, given up when it fails."""

    def __init__(self, connect: Callable[[], smtplib.SMTP]) -> None:
        self._connect = connect
        self._conn: smtplib.SMTP | None = None
        self._reconnected = False
        self._broken: str | None = None  # why no further message in this batch can be sent

    def send(self, email: WireMessage) -> SendResult:
        while self._broken is None:
            try:
                return self._send_once(email)
            except _ConnectionLost as lost:
                self._conn = None
                if self._reconnected:
                    self._broken = str(lost)
                else:
                    self._reconnected = True
                    log.info("SMTP connection lost (%s); reconnecting once", lost)
        return SendResult(self._broken)

    def _send_once(self, email: WireMessage) -> SendResult:
        if self._conn is None:
            try:
                self._conn = self._connect()
            except (OSError, smtplib.SMTPException) as exc:
                # Refused, unreachable, TLS or login failure: the rest of the batch would fail too.
                self._broken = describe_error(exc)
                log.warning("SMTP connection failed: %s", self._broken)
                return SendResult(self._broken, permanent=False)
        try:
            refused = self._conn.sendmail(
                email.envelope_from,
                list(email.recipients),
                email.data,
                mail_options=_mail_options(self._conn, email),
            )
        except smtplib.SMTPServerDisconnected as exc:
            raise _ConnectionLost(describe_error(exc)) from exc
        except smtplib.SMTPException as exc:  # before OSError: SMTPException is one
            if self._conn.sock is None:  # smtplib closes the connection on a 421 reply
                raise _ConnectionLost(describe_error(exc)) from exc
            return SendResult(describe_error(exc), permanent=_is_permanent(exc))
        except OSError as exc:  # reset, broken pipe, timeout
            raise _ConnectionLost(describe_error(exc)) from exc
        if refused:
            # Delivered to the others; resending would duplicate it for them.
            log.warning("SMTP refused some recipients of %s: %s", email.message_id, sorted(refused))
        return SENT

    def close(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.quit()
        except (OSError, smtplib.SMTPException):
            self._conn.close()
        self._conn = None


class ConsoleTransport:
    """No SMTP configured: print each e-mail to the console and count it as sent.

    The outbox is the alert rows in the database, shown on "Udgående post"; this
    transport only stands in for the SMTP server.
    """

    def __init__(self, sender: str, stream: TextIO | None = None) -> None:
        self.sender = sender
        self.stream = stream

    def send_batch(
        self, messages: Sequence[OutgoingMessage], keep_going: KeepGoing | None = None
    ) -> list[SendResult]:
        """Print the messages; a message SMTP would refuse to build fails here too."""
        stream = self.stream or sys.stdout
        results = []
        built_all = zip(messages, _build_all(messages, self.sender), strict=True)
        for message, built in _until_told_to_stop(list(built_all), keep_going):
            if isinstance(built, SendResult):
                results.append(built)
                continue
            log.info("Outbox (no SMTP configured): %s to %s", message.message_id, message.to)
            stream.write(_console_text(message, self.sender))
            results.append(SENT)
        stream.flush()
        return results


def _console_text(message: OutgoingMessage, sender: str) -> str:
    rule = "-" * 72
    return (
        f"{rule}\nOutbox (not sent: no SMTP server configured)\n"
        f"Message-ID: {message.message_id}\nFrom: {sender}\nTo: {', '.join(message.to)}\n"
        f"Subject: {message.subject}\n\n{message.text.rstrip()}\n{rule}\n"
    )


def transport_from_config(config: Mapping[str, Any]) -> MailTransport:
    """Return the SMTP transport the config describes, or the outbox when it names no host."""
    sender = config.get("MAIL_FROM") or "Fristsporing <fristsporing@localhost>"
    host = config.get("MAIL_SMTP_HOST")
    if not host:
        return ConsoleTransport(sender)
    return SmtpTransport(
        host,
        int(config.get("MAIL_SMTP_PORT") or 25),
        sender=sender,
        security=(config.get("MAIL_SMTP_SECURITY") or "none").lower(),
        username=config.get("MAIL_SMTP_USERNAME") or None,
        password=config.get("MAIL_SMTP_PASSWORD") or None,
        timeout=float(config.get("MAIL_SMTP_TIMEOUT") or 30),
    )
