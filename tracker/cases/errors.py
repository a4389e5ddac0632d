"""What every case use case shares: the refusal it raises and how far "now" may be exceeded."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from tracker.models import CaseStatus

# A time entered may lie this far after `now` (clocks of two machines differ a little).
FUTURE_TOLERANCE = timedelta(minutes=5)


class CaseError(ValueError):
    """A request the rules refuse; `field` names the input at fault, if one is."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def require_open(notification) -> None:
    """Refuse a change to a closed case."""
    if notification.status == CaseStatus.CLOSED:
        raise CaseError(_l("The case is closed."))
