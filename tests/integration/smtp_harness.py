"""A real SMTP server on loopback for the tests: aiosmtpd, recording what it receives.

It can be told to fail the next messages (a reply such as "451 ..."), to drop the
connection in the middle of a message, or to stop listening for a while (connections
are then refused) and start again on the same port. STARTTLS, implicit TLS and login
work with a throw-away self-signed certificate.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tracker.mail.transport import SmtpTransport

HOST = "127.0.0.1"
DROP = object()  # a DATA action: close the connection without answering


@dataclass(frozen=True)
class ReceivedMail:
    peer: tuple[str, int]  # the client's address: one port per connection
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    data: bytes  # as it came over the wire, CRLF line ends


class RecordingHandler:
    """Record every accepted message; fail or drop the next ones on request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._actions: deque[object] = deque()
        self.received: list[ReceivedMail] = []
        self.greetings: list[tuple[str, int]] = []  # one per connection that said EHLO

    def queue(self, action: object, count: int) -> None:
        with self._lock:
            self._actions.extend([action] * count)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname  # a hook replaces aiosmtpd's own bookkeeping
        with self._lock:
            if session.peer not in self.greetings:  # STARTTLS says EHLO twice
                self.greetings.append(session.peer)
        return responses

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            action = self._actions.popleft() if self._actions else None
        if action is DROP:
            server.transport.close()
            return "421 4.3.0 Connection dropped by the test"
        if isinstance(action, str):
            return action
        # Stored as a mail client would: with the wire's CRLF line endings turned into LF.
        content = envelope.original_content.replace(b"\r\n", b"\n")
        message = message_from_bytes(content, policy=policy.default)
        with self._lock:
            self.received.append(
                ReceivedMail(
                    session.peer,
                    envelope.mail_from,
                    tuple(envelope.rcpt_tos),
                    message,
                    envelope.original_content,
                )
            )
        return "250 2.0.0 Accepted"


@dataclass(frozen=True)
class Certificate:
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert_file))


def make_certificate(directory: Path) -> Certificate:
    """Write a self-signed certificate for 127.0.0.1 and localhost."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(cert_file, key_file)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 that records messages; security as the test asks.

    security: "none", "starttls" (STARTTLS required) or "ssl" (implicit TLS); users:
    {name: password} to require login.
    """

    def __init__(
        self,
        *,
        security: str = "none",
        certificate: Certificate | None = None,
        users: dict[str, str] | None = None,
    ) -> None:
        if security != "none" and certificate is None:
            raise ValueError("TLS needs a certificate")
        self.security = security
        self.certificate = certificate
        self.users = users
        self.port = free_port()
        self.handler = RecordingHandler()
        self._controller: Controller | None = None

    def _make_controller(self) -> Controller:
        kwargs: dict = {"hostname": HOST, "port": self.port, "server_hostname": "smtp.test"}
        if self.security == "starttls":
            kwargs |= {"tls_context": self.certificate.server_context(), "require_starttls": True}
        elif self.security == "ssl":
            kwargs["ssl_context"] = self.certificate.server_context()
        if self.users is not None:
            kwargs |= {
                "authenticator": self._authenticate,
                "auth_required": True,
                "auth_require_tls": self.security != "none",
            }
        return Controller(self.handler, **kwargs)

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and self.users.get(auth_data.login.decode()) == auth_data.password.decode()
        )
        return AuthResult(success=ok, handled=False)

    def start(self) -> None:
        self._controller = self._make_controller()
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @contextmanager
    def refusing(self) -> Iterator[None]:
        """Stop listening (connections are refused) inside the block; listen again after it."""
        self.stop()
        try:
            yield
        finally:
            self.start()

    def fail_next(self, count: int = 1, reply: str = "451 4.3.0 Try again later") -> None:
        """Answer the next `count` messages with `reply` instead of accepting them."""
        self.handler.queue(reply, count)

    def drop_next(self, count: int = 1) -> None:
        """Close the connection in the middle of the next `count` messages."""
        self.handler.queue(DROP, count)

    @property
    def received(self) -> list[ReceivedMail]:
        return list(self.handler.received)

    @property
    def messages(self) -> list[EmailMessage]:
        return [mail.message for mail in self.handler.received]

    @property
    def connections(self) -> int:
        """Count the connections that greeted the server (the start-up probe does not)."""
        return len(self.handler.greetings)

    def transport(self, **overrides) -> SmtpTransport:
        """Return an SmtpTransport configured for this server."""
        settings: dict = {"sender": "Fristsporing <fristsporing@tracker.test>", "timeout": 10}
        settings["security"] = self.security
        if self.certificate is not None:
            settings["ssl_context"] = self.certificate.client_context()
        if self.users:
            settings["username"], settings["password"] = next(iter(self.users.items()))
        return SmtpTransport(HOST, self.port, **(settings | overrides))
