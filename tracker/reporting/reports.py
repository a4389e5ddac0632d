"""The compliance report and the intake statistics: SQL aggregates, never rows in Python.

Compliance: per local month of the due date and per deadline kind, how many
deadlines were met on time, met late, are still overdue or not yet due, and the
median and 90th percentile of the time to completion (completed_at - starts_at,
in hours). PostgreSQL has percentile_cont(...) WITHIN GROUP; SQLite has no
percentile, so there the same linear interpolation is computed with window
functions (ROW_NUMBER and COUNT over the month and kind). One query per backend,
chosen by dialect; tests hold both to the same hand-made figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Date, Float, and_, case, cast, func, literal, select

from tracker.domain.local_time import start_of_local_day
from tracker.extensions import db
from tracker.models import AgeGroup, Deadline, Notification, NotificationConcern

PERCENTILES = (0.5, 0.9)


@dataclass(frozen=True)
class ReportQuery:
    """Which teams and which months (YYYY-MM, inclusive) the report covers."""

    team_ids: tuple[int, ...]
    first_month: str
    last_month: str

    @property
    def start(self) -> date:
        """Return the first day of the first month."""
        return month_start(self.first_month)

    @property
    def end(self) -> date:
        """Return the first day after the last month."""
        year, month = (int(part) for part in self.last_month.split("-"))
        return date(year + month // 12, month % 12 + 1, 1)


@dataclass(frozen=True)
class ReportLine:
    """One month and kind of the compliance report."""

    month: str
    kind: str
    met_on_time: int
    met_late: int
    overdue: int
    pending: int
    median_hours: float | None
    p90_hours: float | None

    @property
    def decided(self) -> int:
        """Return how many deadlines have passed or were met: the base of the share."""
        return self.met_on_time + self.met_late + self.overdue

    @property
    def share_on_time(self) -> float | None:
        """Return the share met on time of those met or overdue (None when there are none)."""
        return self.met_on_time / self.decided if self.decided else None


def month_start(month: str) -> date:
    """Return the first day of a YYYY-MM month."""
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, 1)


def _due_month(dialect: str):
    # The due date is already the local date the deadline falls due on.
    if dialect == "postgresql":
        return func.to_char(Deadline.due_date, "YYYY-MM")
    return func.strftime("%Y-%m", Deadline.due_date)


def _hours_to_completion(dialect: str):
    if dialect == "postgresql":
        return func.extract("epoch", Deadline.completed_at - Deadline.starts_at) / 3600.0
    return (func.julianday(Deadline.completed_at) - func.julianday(Deadline.starts_at)) * 24.0


def _in_report(query: ReportQuery) -> list:
    # team, then the due-date range: the order of ix_deadlines_team_due_kind.
    return [
        Deadline.team_id.in_(query.team_ids),
        Deadline.due_date >= query.start,
        Deadline.due_date < query.end,
        Deadline.overdue_from.is_not(None),
        Deadline.not_applicable_reason.is_(None),
    ]


def _counts_columns(now: datetime) -> list:
    completed = Deadline.completed_at.is_not(None)
    return [
        func.count().filter(and_(completed, Deadline.completed_at < Deadline.overdue_from)),
        func.count().filter(and_(completed, Deadline.completed_at >= Deadline.overdue_from)),
        func.count().filter(and_(~completed, Deadline.overdue_from <= now)),
        func.count().filter(and_(~completed, Deadline.overdue_from > now)),
    ]


def compliance_report(query: ReportQuery, now: datetime) -> list[ReportLine]:
    """Return the report's lines, by month and kind, computed by the database."""
    dialect = db.session.get_bind().dialect.name
    statement = (
        _postgresql_statement(query, now)
        if dialect == "postgresql"
        else _sqlite_statement(query, now)
    )
    return [ReportLine(*row) for row in db.session.execute(statement)]


def _postgresql_statement(query: ReportQuery, now: datetime):
    month = _due_month("postgresql").label("month")
    hours = case((Deadline.completed_at.is_not(None), _hours_to_completion("postgresql")))
    percentiles = [func.percentile_cont(p).within_group(hours) for p in PERCENTILES]
    return (
        select(month, Deadline.kind, *_counts_columns(now), *percentiles)
        .where(*_in_report(query))
        .group_by(month, Deadline.kind)
        .order_by(month, Deadline.kind)
    )


def _sqlite_statement(query: ReportQuery, now: datetime):
    month = _due_month("sqlite").label("month")
    counts = (
        select(month, Deadline.kind.label("kind"), *_counts_columns(now))
        .where(*_in_report(query))
        .group_by(month, Deadline.kind)
        .subquery("counts")
    )
    completed = (
        select(
            month,
            Deadline.kind.label("kind"),
            _hours_to_completion("sqlite").label("hours"),
        )
        .where(*_in_report(query), Deadline.completed_at.is_not(None))
        .subquery("completed")
    )
    group = (completed.c.month, completed.c.kind)
    ranked = select(
        completed.c.month,
        completed.c.kind,
        completed.c.hours,
        (func.row_number().over(partition_by=group, order_by=completed.c.hours) - 1).label("rank"),
        func.count().over(partition_by=group).label("n"),
    ).subquery("ranked")
    percentiles = (
        select(
            ranked.c.month,
            ranked.c.kind,
            *[_interpolated(ranked, p).label(f"p{int(p * 100)}") for p in PERCENTILES],
        )
        .group_by(ranked.c.month, ranked.c.kind)
        .subquery("percentiles")
    )
    c, p = counts.c, percentiles.c
    return (
        select(c.month, c.kind, *list(c)[2:6], p.p50, p.p90)
        .select_from(counts.outerjoin(percentiles, and_(p.month == c.month, p.kind == c.kind)))
        .order_by(c.month, c.kind)
    )


def _interpolated(ranked, fraction: float):
    """Return percentile_cont(fraction) as PostgreSQL defines it: linear between two ranks."""
    position = literal(fraction) * (ranked.c.n - 1)
    lower = cast(position, db.Integer)  # CAST truncates: the floor, since position >= 0
    weight = cast(position, Float) - lower
    lower_part = func.sum(case((ranked.c.rank == lower, ranked.c.hours * (1 - weight)), else_=0))
    upper_part = func.sum(case((ranked.c.rank == lower + 1, ranked.c.hours * weight), else_=0))
    return lower_part + upper_part


# --- Intake statistics -----------------------------------------------------------------

INTAKE_DIMENSIONS = (
    "channel",
    "notifier_kind",
    "notifier_sector",
    "concerns",
    "age_group",
    "child_gender",
)
NOT_STATED = "not_stated"  # a notification registered before the sector was asked for
AGE_BANDS = ((6, "0-5"), (12, "6-11"), (15, "12-14"), (18, "15-17"), (23, "18-22"))


@dataclass(frozen=True)
class IntakeStatistics:
    """Notifications per local month of receipt, by each dimension, and repeat notifications."""

    months: list[str]
    by_dimension: dict[str, dict[str, dict[str, int]]]  # dimension -> value -> month -> count
    totals: dict[str, int]  # month -> count
    children: int
    children_repeated: int

    @property
    def share_repeated(self) -> float | None:
        """Return the share of children with more than one notification in the period."""
        return self.children_repeated / self.children if self.children else None


def local_months(query: ReportQuery) -> list[tuple[str, datetime, datetime]]:
    """Return each month of the query with the UTC instants its local days begin and end."""
    months, day = [], query.start
    while day < query.end:
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        months.append((f"{day:%Y-%m}", start_of_local_day(day), start_of_local_day(following)))
        day = following
    return months


def _received_month(months: list[tuple[str, datetime, datetime]]):
    # A CASE over the months' UTC bounds: the local month on both backends, index-friendly.
    return case(*[(Notification.received_at < end, label) for label, _start, end in months])


def age_group_at_receipt(dialect: str):
    """Return the SQL for a case's age group: as stored, else from the birth date at receipt."""
    if dialect == "postgresql":
        received_day = cast(func.timezone("Europe/Copenhagen", Notification.received_at), Date)
        years = func.date_part("year", func.age(received_day, Notification.child_birth_date))
    else:
        received, born = Notification.received_at, Notification.child_birth_date
        years = (
            cast(func.strftime("%Y", received), db.Integer)
            - cast(func.strftime("%Y", born), db.Integer)
            - case((func.strftime("%m-%d", received) < func.strftime("%m-%d", born), 1), else_=0)
        )
    by_birth_date = case(
        *[(years < limit, label) for limit, label in AGE_BANDS], else_=AgeGroup.UNKNOWN.value
    )
    return func.coalesce(
        Notification.age_group,  # "unborn" for an unborn child
        case((Notification.child_birth_date.is_not(None), by_birth_date)),
        AgeGroup.UNKNOWN.value,
    )


def intake_statistics(query: ReportQuery) -> IntakeStatistics:
    """Count notifications per month by channel, notifier, concern and age, in the database."""
    dialect = db.session.get_bind().dialect.name
    months = local_months(query)
    month = _received_month(months).label("month")
    scope = [
        Notification.team_id.in_(query.team_ids),
        Notification.received_at >= months[0][1],
        Notification.received_at < months[-1][2],
    ]
    columns = {
        "channel": Notification.channel,
        "notifier_kind": Notification.notifier_kind,
        "notifier_sector": func.coalesce(Notification.notifier_sector, NOT_STATED),
        # A notification counts once under each of its concerns.
        "concerns": NotificationConcern.category,
        "age_group": age_group_at_receipt(dialect),
        "child_gender": Notification.child_gender,
    }
    by_dimension: dict[str, dict[str, dict[str, int]]] = {}
    for name, column in columns.items():
        value = column.label("value")
        statement = select(month, value, func.count()).where(*scope).group_by(month, value)
        if name == "concerns":
            statement = statement.select_from(Notification).join(
                NotificationConcern, NotificationConcern.notification_id == Notification.id
            )
        table: dict[str, dict[str, int]] = {}
        for month_label, key, count in db.session.execute(statement):
            table.setdefault(key, {})[month_label] = count
        by_dimension[name] = table
    totals = dict(
        db.session.execute(select(month, func.count()).where(*scope).group_by(month)).all()
    )
    per_child = (
        select(func.count().label("n"))
        .where(*scope)
        .group_by(Notification.child_reference)
        .subquery()
    )
    children, repeated = db.session.execute(
        select(func.count(), func.count().filter(per_child.c.n > 1)).select_from(per_child)
    ).one()
    return IntakeStatistics(
        months=[label for label, _s, _e in months],
        by_dimension=by_dimension,
        totals=totals,
        children=children,
        children_repeated=repeated,
    )
