"""Access logs without secrets: the calendar feed's token is masked in every logged line.

The feed is reached by a secret address, /calendar/<token>.ics (tracker.web.reports);
whoever reads an access log must not be able to subscribe to someone's deadlines. Both
servers log each request's path, so both get a masking logger:

- `tracker serve` (Werkzeug): MaskingRequestHandler, passed to run_simple.
- gunicorn: `--logger-class tracker.web.request_log.GunicornLogger` with any
  `--access-logformat`: every atom (%(r)s, %(U)s, %(f)s, ...) is masked.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger
from werkzeug.serving import WSGIRequestHandler

SECRET_PATH = re.compile(r"(/calendar/)[^/?#\s\"]+?(\.ics)")
MASK = r"\1***\2"


def mask_secrets(text: str) -> str:
    """Return a logged text with the calendar feed's token replaced by ***."""
    return SECRET_PATH.sub(MASK, text)


class MaskingRequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler, logging each request with its secrets masked."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # Logged after the answer: the request is done with its path.
        self.path = mask_secrets(getattr(self, "path", ""))
        self.requestline = mask_secrets(self.requestline)
        super().log_request(code, size)


class GunicornLogger(Logger):
    """gunicorn's logger, masking secrets in every atom of the access log."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: mask_secrets(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }
