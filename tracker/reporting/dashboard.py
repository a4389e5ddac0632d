"""The deadline list's queries: filters, a keyset cursor, counts and rows.

The overdue dashboard, its CSV export, the calendar feed and the API's
GET /api/v1/deadlines all list deadlines through deadline_page().

Pure SQLAlchemy selects: no Flask. Every query is limited to the teams the
caller may see (`team_ids`), and the open-deadline list is served by the
partial indexes ix_deadlines_open_team / ix_deadlines_open_caseworker, walked
in (overdue_from, id) order: overdue first, the most overdue on top.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import Select, and_, case, func, or_, select, tuple_

from tracker.domain.local_time import start_of_local_day, to_local
from tracker.domain.status import DUE_SOON
from tracker.extensions import db
from tracker.models import Deadline, Notification, Role, Team, User

PAGE_SIZE = 50


class StatusFilter(StrEnum):
    """Which deadlines the list shows."""

    OPEN = "open"  # every open deadline with a due time
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"  # not yet overdue, due within DUE_SOON (24 hours)
    MET_LATE = "met_late"  # completed after the deadline, completed within the period
    ALL = "all"  # every deadline, open or closed


class CursorError(ValueError):
    """A page cursor that cannot be read (edited or truncated by hand)."""


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after this (overdue_from, id); overdue_from None: undated."""

    overdue_from: datetime | None
    deadline_id: int

    def encode(self) -> str:
        """Return the cursor as a short URL-safe text ("<microseconds>.<id>", ".<id>" undated)."""
        if self.overdue_from is None:
            return f".{self.deadline_id}"
        return f"{(self.overdue_from - EPOCH) // MICROSECOND}.{self.deadline_id}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Read a cursor made by encode()."""
        micros, dot, deadline_id = text.partition(".")
        if not dot or not _is_digits(deadline_id) or len(deadline_id) > 19:
            raise CursorError(text)
        if micros == "":
            return cls(None, int(deadline_id))
        if not _is_digits(micros.removeprefix("-")):
            raise CursorError(text)
        try:
            at = EPOCH + int(micros) * MICROSECOND
        except OverflowError:
            raise CursorError(text) from None
        return cls(at, int(deadline_id))


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()  # isdigit() alone lets "²" through to int()


@dataclass(frozen=True)
class DashboardFilters:
    """What the dashboard shows; None means "every visible one"."""

    team_ids: tuple[int, ...]
    kind: str | None = None
    caseworker_id: int | None = None
    status: StatusFilter = StatusFilter.OPEN
    period_start: date | None = None  # for MET_LATE: completed on or after this local day
    period_end: date | None = None  # ... and on or before this local day
    after: Cursor | None = None
    # Also the deadlines with no due time yet (waiting for a precondition), after the rest.
    undated: bool = False

    def without_cursor(self) -> DashboardFilters:
        """Return the same filters from the first page."""
        return replace(self, after=None)


@dataclass(frozen=True)
class DashboardRow:
    """One line of the list: enough for the wording helpers and a link, no case content."""

    id: int
    notification_id: int
    reference: str
    kind: str
    due_date: date | None
    overdue_from: datetime | None  # None only when the filters ask for undated ones
    completed_at: datetime | None
    not_applicable_reason: str | None
    is_open: bool  # Deadline.is_open, worked out by the database
    caseworker_name: str | None
    team_name: str


@dataclass(frozen=True)
class DashboardPage:
    """One page of rows and the cursor of the next page, if there is one."""

    rows: list[DashboardRow]
    next_cursor: Cursor | None


@dataclass(frozen=True)
class Counts:
    """The figures at the top of the dashboard, in total and per deadline kind."""

    overdue: int
    due_24h: int
    due_this_week: int
    per_kind: dict[str, tuple[int, int, int]]  # kind -> (overdue, due_24h, due_this_week)


def sees_own_deadlines_by_default(user) -> bool:
    """Tell whether a user's default view is their own deadlines (caseworkers) or the team's."""
    return user.role == Role.CASEWORKER


def _scope(filters: DashboardFilters) -> list:
    conditions = [Deadline.team_id.in_(filters.team_ids)]
    if filters.caseworker_id is not None:
        # "Met late" belongs to whoever held the case when the deadline fell due.
        owner = (
            Deadline.responsible_at_due_id
            if filters.status is StatusFilter.MET_LATE
            else Deadline.caseworker_id
        )
        conditions.append(owner == filters.caseworker_id)
    if filters.kind is not None:
        conditions.append(Deadline.kind == filters.kind)
    return conditions


def _status_conditions(filters: DashboardFilters, now: datetime) -> list:
    status = filters.status
    if status is StatusFilter.ALL:
        return [] if filters.undated else [Deadline.overdue_from.is_not(None)]
    if status is StatusFilter.MET_LATE:
        conditions = [
            Deadline.completed_at.is_not(None),
            Deadline.completed_at >= Deadline.overdue_from,
        ]
        if filters.period_start is not None:
            conditions.append(Deadline.completed_at >= start_of_local_day(filters.period_start))
        if filters.period_end is not None:
            next_day = filters.period_end + timedelta(days=1)
            conditions.append(Deadline.completed_at < start_of_local_day(next_day))
        return conditions
    conditions = [Deadline.is_open]
    if not filters.undated:
        conditions.append(Deadline.overdue_from.is_not(None))
    if status is StatusFilter.OVERDUE:
        conditions.append(Deadline.overdue_from <= now)
    elif status is StatusFilter.DUE_SOON:
        conditions += [Deadline.overdue_from > now, Deadline.overdue_from <= now + DUE_SOON]
    return conditions


def deadlines_statement(filters: DashboardFilters, now: datetime, limit: int) -> Select:
    """Return the list's SELECT: filtered, in urgency order, after the cursor, `limit` rows."""
    statement = (
        select(
            Deadline.id,
            Deadline.notification_id,
            Notification.reference,
            Deadline.kind,
            Deadline.due_date,
            Deadline.overdue_from,
            Deadline.completed_at,
            Deadline.not_applicable_reason,
            Deadline.is_open.label("is_open"),
            User.name.label("caseworker_name"),
            Team.name.label("team_name"),
        )
        .join(Notification, Notification.id == Deadline.notification_id)
        .join(Team, Team.id == Deadline.team_id)
        .outerjoin(User, User.id == _named_caseworker())
        .where(*_scope(filters), *_status_conditions(filters, now))
    )
    if filters.after is not None:
        statement = statement.where(_after(filters.after, filters.undated))
    # The partial indexes' order. Undated deadlines come last: PostgreSQL sorts NULL last
    # in ascending order anyway, SQLite is told to.
    urgency = Deadline.overdue_from.asc().nulls_last() if filters.undated else Deadline.overdue_from
    return statement.order_by(urgency, Deadline.id).limit(limit)


def _named_caseworker():
    """Return whom a row names: the caseworker now, or for a met deadline, at its due time."""
    return case(
        (Deadline.completed_at.is_not(None), Deadline.responsible_at_due_id),
        else_=Deadline.caseworker_id,
    )


def _after(cursor: Cursor, undated: bool):
    """Return the keyset condition for the rows after the cursor in the list's order."""
    if cursor.overdue_from is None:
        return and_(Deadline.overdue_from.is_(None), Deadline.id > cursor.deadline_id)
    later = tuple_(Deadline.overdue_from, Deadline.id) > tuple_(
        cursor.overdue_from, cursor.deadline_id
    )
    return or_(later, Deadline.overdue_from.is_(None)) if undated else later


def deadline_page(filters: DashboardFilters, now: datetime, size: int = PAGE_SIZE) -> DashboardPage:
    """Return one page of the filtered list and the cursor of the next."""
    result = db.session.execute(deadlines_statement(filters, now, size + 1)).all()
    rows = [DashboardRow(**row._mapping) for row in result[:size]]
    next_cursor = None
    if len(result) > size:
        last = rows[-1]
        next_cursor = Cursor(last.overdue_from, last.id)
    return DashboardPage(rows, next_cursor)


def all_deadlines(filters: DashboardFilters, now: datetime, chunk: int = 1000):
    """Yield every row of the filtered list, page by page (for the CSV export)."""
    filters = filters.without_cursor()
    while True:
        page = deadline_page(filters, now, chunk)
        yield from page.rows
        if page.next_cursor is None:
            return
        filters = replace(filters, after=page.next_cursor)


def end_of_local_week(now: datetime) -> datetime:
    """Return the instant the current local week (Monday to Sunday) ends."""
    today = to_local(now).date()
    return start_of_local_day(today + timedelta(days=7 - today.weekday()))


def counts(filters: DashboardFilters, now: datetime) -> Counts:
    """Count overdue, due within 24 hours and due this week, per kind, in the filters' scope."""
    week_end = end_of_local_week(now)
    not_overdue = Deadline.overdue_from > now

    def counted(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    statement = (
        select(
            Deadline.kind,
            counted(Deadline.overdue_from <= now),
            counted(and_(not_overdue, Deadline.overdue_from <= now + DUE_SOON)),
            counted(and_(not_overdue, Deadline.overdue_from < week_end)),
        )
        .where(*_scope(replace(filters, kind=None)), Deadline.is_open)
        .where(or_(Deadline.overdue_from < week_end, Deadline.overdue_from <= now + DUE_SOON))
        .group_by(Deadline.kind)
    )
    per_kind = {kind: (o, d, w) for kind, o, d, w in db.session.execute(statement)}
    return Counts(
        overdue=sum(v[0] for v in per_kind.values()),
        due_24h=sum(v[1] for v in per_kind.values()),
        due_this_week=sum(v[2] for v in per_kind.values()),
        per_kind=per_kind,
    )


def team_caseworkers(team_ids: tuple[int, ...]) -> list[User]:
    """Return the active people of the teams, for the caseworker filter."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.team_id.in_(team_ids), User.active.is_(True))
            .order_by(User.name)
        )
    )


def is_team_member(user_id: int, team_ids: tuple[int, ...]) -> bool:
    """Tell whether the person belongs to one of the teams (whom the caseworker filter offers).

    The caller keeps user_id within the id column's range.
    """
    member = select(User.id).where(User.id == user_id, User.team_id.in_(team_ids))
    return db.session.scalar(member) is not None


def teams(team_ids: tuple[int, ...]) -> list[Team]:
    """Return the teams by name, for the team filter."""
    return list(db.session.scalars(select(Team).where(Team.id.in_(team_ids)).order_by(Team.name)))
