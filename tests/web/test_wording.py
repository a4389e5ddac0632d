"""Danish wording of statuses and time distances."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask_babel import force_locale

from tracker.models import Deadline
from tracker.text.wording import deadline_time_phrase

DUE = datetime(2026, 4, 14, 22, 0, tzinfo=UTC)


def deadline(kind="receipt", completed_at=None):
    return Deadline(
        kind=kind,
        overdue_from=DUE,
        due_date=date(2026, 4, 14),
        completed_at=completed_at,
        not_applicable_reason=None,
    )


def test_phrases_are_danish(app):
    with app.test_request_context(), force_locale("da"):
        assert deadline_time_phrase(deadline(), DUE - timedelta(hours=3)) == "om 3 timer"
        assert deadline_time_phrase(deadline(), DUE - timedelta(hours=1, minutes=1)) == "om 1 time"
        late = datetime(2026, 4, 17, 12, 0, tzinfo=UTC)
        assert deadline_time_phrase(deadline(), late) == "3 hverdage over fristen"
        assert deadline_time_phrase(deadline("plan"), late) == "3 dage over fristen"
        assert deadline_time_phrase(deadline(completed_at=DUE), late) == ""
