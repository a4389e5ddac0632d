"""Fixtures for the integration tests: a real SMTP server on loopback, an app for e-mail."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from smtp_harness import Certificate, SmtpServer, make_certificate

from config import TestConfig


@pytest.fixture(scope="session")
def smtp_certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """Return a throw-away self-signed certificate for 127.0.0.1."""
    return make_certificate(tmp_path_factory.mktemp("smtp-tls"))


@pytest.fixture
def make_smtp_server(smtp_certificate: Certificate) -> Iterator[Callable[..., SmtpServer]]:
    """Start SMTP servers on free loopback ports (security, users as asked); stop them after."""
    servers: list[SmtpServer] = []

    def start(*, security: str = "none", users: dict[str, str] | None = None) -> SmtpServer:
        server = SmtpServer(security=security, certificate=smtp_certificate, users=users)
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def smtp_server(make_smtp_server: Callable[..., SmtpServer]) -> SmtpServer:
    """Return a running plain SMTP server on 127.0.0.1 that records what it receives."""
    return make_smtp_server()


@pytest.fixture
def mail_app(tmp_path: Path) -> Iterator[Flask]:
    """Yield an app of its own, in an app context, to render and send e-mail without a database."""
    from tracker import create_app

    config = type("MailTestConfig", (TestConfig,), {"INSTANCE_PATH": str(tmp_path)})
    app = create_app(config)
    with app.app_context():
        yield app


@pytest.fixture(scope="session")
def dovecot(smtp_certificate: Certificate):
    """Start a real Dovecot IMAP server (unprivileged, TLS, loopback) for the session."""
    from imap_harness import Dovecot

    server = Dovecot(smtp_certificate)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(dovecot):
    """Return the Dovecot server with its folders emptied before the test."""
    with dovecot.client() as client:
        for _flags, _delimiter, name in client.list_folders():
            client.select_folder(name)
            uids = client.search("ALL")
            if uids:
                client.delete_messages(uids)
                client.expunge()
            client.unselect_folder()
    return dovecot
