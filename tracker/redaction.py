"""Keep case content out of logs: database errors are logged without their values.

A database error's message quotes what it was given: SQLAlchemy adds the statement's
parameters (off with hide_parameters, see config.py) and PostgreSQL adds details such
as "Failing row contains (...)", which may hold a summary or a CPR number. Logged
exceptions of that kind are replaced by one naming only the error type, the SQLSTATE
and the statement, keeping the traceback.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError

# Loggers whose records carry exceptions from database work: the web app's (Flask logs
# every unhandled error there), our error pages', the jobs' and APScheduler's.
LOGGERS = (
    "tracker",
    "tracker.alerts.jobs",
    "apscheduler.executors.default",
    "apscheduler.scheduler",
)


class RedactedDatabaseError(Exception):
    """A database error, told without the values or server details it quoted."""


def redacted(error: BaseException) -> BaseException:
    """Return the exception as it may be logged, with any database error in its chain redacted."""
    if not any(isinstance(link, DBAPIError) for link in _chain(error)):
        return error
    if not isinstance(error, DBAPIError):
        # An error raised while handling a database error prints that error too.
        clean = RedactedDatabaseError(f"{type(error).__name__} after a database error")
        cause = next(link for link in _chain(error) if isinstance(link, DBAPIError))
        clean.__cause__ = redacted(cause)
        return clean.with_traceback(error.__traceback__)
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    statement = " ".join((error.statement or "").split())[:500]
    clean = RedactedDatabaseError(
        f"{type(error).__name__} from {type(original).__name__} (SQLSTATE {sqlstate}); "
        f"statement: {statement}; values and server details withheld"
    )
    return clean.with_traceback(error.__traceback__)


def _chain(error: BaseException):
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        yield link
        link = link.__cause__ or link.__context__


class RedactDatabaseErrors(logging.Filter):
    """A logging filter that swaps a record's database error for its redacted form."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            clean = redacted(record.exc_info[1])
            if clean is not record.exc_info[1]:
                record.exc_info = (type(clean), clean, clean.__traceback__)
                record.exc_text = None
        return True


FILTER = RedactDatabaseErrors()


def install(app_logger_name: str) -> None:
    """Attach the filter to the loggers that log database errors."""
    for name in (app_logger_name, *LOGGERS):
        logging.getLogger(name).addFilter(FILTER)
