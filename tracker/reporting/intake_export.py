"""One row per underretning, in the shape of Danmarks Statistik's statistics on underretninger.

What a municipality reports: the day it was received, who sent it (the notifier's sector),
the concerns (årsager), the child's age at receipt and gender. References only: never a
CPR number, a name, the notifier's contact or any free text. The delivery layer turns
the stored values into Danish words (tracker.web.reports.exports).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.cases.action_cards import age_on
from tracker.domain.local_time import local_date
from tracker.extensions import db
from tracker.models import AgeGroup, Notification
from tracker.reporting.reports import AGE_BANDS, ReportQuery, local_months

BATCH = 500


@dataclass(frozen=True)
class IntakeRow:
    """One underretning as the statistics count it (stored values, not yet words)."""

    reference: str
    child_reference: str
    received_on: date  # the local day of receipt
    notifier_sector: str | None
    concerns: list[str]
    age: int | None  # whole years at receipt, when the birth date is known
    age_group: str  # an AgeGroup value: as stored, from the age, "unborn" or "unknown"
    gender: str


def intake_rows(query: ReportQuery) -> Iterator[IntakeRow]:
    """Yield the notifications of the query's teams and months, by time of receipt."""
    months = local_months(query)
    statement = (
        select(Notification)
        .where(
            Notification.team_id.in_(query.team_ids),
            Notification.received_at >= months[0][1],
            Notification.received_at < months[-1][2],
        )
        .order_by(Notification.received_at, Notification.id)
        .options(selectinload(Notification.concerns))
        .execution_options(yield_per=BATCH)
    )
    for notification in db.session.scalars(statement):
        yield _row(notification)


def _row(notification: Notification) -> IntakeRow:
    received_on = local_date(notification.received_at)
    age = None
    if notification.expected_birth_date is None and notification.child_birth_date is not None:
        age = age_on(notification.child_birth_date, received_on)
    return IntakeRow(
        reference=notification.reference,
        child_reference=notification.child_reference,
        received_on=received_on,
        notifier_sector=notification.notifier_sector,
        concerns=notification.concern_categories,
        age=age,
        age_group=notification.age_group or _age_group(age),
        gender=notification.child_gender,
    )


def _age_group(age: int | None) -> str:
    if age is None:
        return AgeGroup.UNKNOWN.value
    for limit, label in AGE_BANDS:
        if age < limit:
            return label
    return AgeGroup.UNKNOWN.value
