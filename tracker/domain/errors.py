"""Bad input the deadline rules refuse; each error names the offending value."""

from __future__ import annotations

from datetime import date, datetime


class DeadlineError(ValueError):
    """Input from which no deadline can be computed."""


class NonexistentLocalTime(DeadlineError):
    """A wall-clock time skipped when summer time begins (02:00-02:59, last Sunday of March)."""

    def __init__(self, local: datetime) -> None:
        super().__init__(f"{local.isoformat(timespec='minutes')} does not exist in Copenhagen time")
        self.local = local


class DecisionBeforeReceipt(DeadlineError):
    """A decision dated before the notification that led to it was received."""

    def __init__(self, decided_on: date, received_on: date) -> None:
        super().__init__(f"decision {decided_on.isoformat()} is before receipt {received_on}")
        self.decided_on = decided_on
        self.received_on = received_on


class DateOutOfRange(DeadlineError):
    """A date outside the years the calculator answers for (SUPPORTED_YEARS)."""

    def __init__(self, field: str, value: date | datetime, supported: range) -> None:
        super().__init__(
            f"{field} {value.isoformat()} is outside {supported.start}-{supported.stop - 1}"
        )
        self.field = field
        self.value = value
        self.supported = supported


class StartBeforeDecision(DeadlineError):
    """An indsats said to have started before the decision on it."""

    def __init__(self, started_on: date, decided_on: date) -> None:
        super().__init__(f"start {started_on.isoformat()} is before decision {decided_on}")
        self.started_on = started_on
        self.decided_on = decided_on
