"""How the app talks to its database when the database is away or hung.

Timeouts, so a database that does not answer fails a request in seconds instead of
holding a web worker until gunicorn kills it: PostgreSQL gets libpq's `connect_timeout`
and a server-side `statement_timeout` (which also bounds waiting for a lock); SQLite gets
its busy timeout (how long a statement waits for another process's write lock). Pooled
connections are pinged before use (`pool_pre_ping`), so the app recovers by itself when
the database comes back.

`is_unavailable` says whether an exception means "the database is away or too slow"
(an answer of 503 and a retry later) rather than a bug (500).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session


def engine_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """Return SQLALCHEMY_ENGINE_OPTIONS with the timeouts of DATABASE_*_TIMEOUT applied."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    connect_timeout = int(config["DATABASE_CONNECT_TIMEOUT"])
    statement_timeout = int(config["DATABASE_STATEMENT_TIMEOUT"])
    backend = make_url(config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    if backend == "postgresql":
        connect_args.setdefault("connect_timeout", connect_timeout)
        if statement_timeout > 0:
            setting = f"-c statement_timeout={statement_timeout * 1000}"
            existing = connect_args.get("options")
            connect_args["options"] = f"{existing} {setting}" if existing else setting
        # Waiting for a free connection of this process's pool is bounded the same way.
        options.setdefault("pool_timeout", connect_timeout)
    elif backend == "sqlite" and statement_timeout > 0:
        connect_args.setdefault("timeout", statement_timeout)
    options["connect_args"] = connect_args
    return options


# SQLite calls every error "operational"; these are the ones that pass.
SQLITE_UNAVAILABLE = ("database is locked", "unable to open database", "disk i/o error")


def is_unavailable(error: BaseException) -> bool:
    """Tell whether an error means the database is unreachable, restarting or too slow."""
    if isinstance(error, PoolTimeoutError):
        return True  # every connection of the pool is busy (held by hung statements)
    original = getattr(error, "orig", None)
    if isinstance(original, sqlite3.Error):
        return any(words in str(original).lower() for words in SQLITE_UNAVAILABLE)
    if isinstance(error, OperationalError | InterfaceError):
        return True  # refused, dropped, timed out, cancelled by statement_timeout, locked
    return isinstance(error, DBAPIError) and error.connection_invalidated


@contextmanager
def records_session(engine: Engine) -> Iterator[Session]:
    """Yield a session on a connection of its own where each statement commits at once.

    For a stream of one-statement records that a crash of the database server itself (not
    of our process) may lose without harm: dispatch's result of each e-mail, where a lost
    "sent" means the same e-mail, with the same Message-ID, goes out once more. So one
    round trip each, no pool checkout (and ping) in between, and on PostgreSQL no wait for
    the disk flush (3.5 ms on the test machine, more than sending the e-mail).
    """
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        relaxed = connection.dialect.name == "postgresql"
        if relaxed:
            connection.exec_driver_sql("SET synchronous_commit TO OFF")
        try:
            with Session(bind=connection) as session:
                yield session
        finally:
            if relaxed and not connection.invalidated:
                with suppress(DBAPIError):  # the connection is returned to the pool as it was
                    connection.exec_driver_sql("RESET synchronous_commit")
