"""Fixtures for the integration tests: a real SMTP server on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from smtp_harness import Certificate, SmtpServer, make_certificate


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
