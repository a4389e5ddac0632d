"""Copenhagen time: instants are stored in UTC and read as Danish wall-clock time here.

Danish midnight exists on every day but one (the clocks change at 02:00 and 03:00; on
15 May 1940 they skipped from 00:00 to 01:00, and that day began at 01:00), so a local
day's start and end are plain conversions; a wall-clock time skipped in spring is refused.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tracker.domain.errors import NonexistentLocalTime

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
MIDNIGHT = time(0)
ONE_DAY = timedelta(days=1)


def to_local(dt: datetime) -> datetime:
    """Return an aware datetime in Copenhagen local time."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")
    return dt.astimezone(COPENHAGEN)


def local_date(dt: datetime) -> date:
    """Return the Copenhagen calendar date of an aware instant."""
    return to_local(dt).date()


def end_of_local_day(d: date) -> datetime:
    """Return the aware UTC instant local day d ends: the local midnight that starts d+1."""
    return start_of_local_day(d + ONE_DAY)


def start_of_local_day(d: date) -> datetime:
    """Return the aware UTC instant local day d begins: its midnight, or, on the one day
    Copenhagen's clocks skipped midnight (15 May 1940), 01:00 (zoneinfo reads the missing
    00:00 with the offset before the change, which is that instant)."""
    return datetime.combine(d, MIDNIGHT, tzinfo=COPENHAGEN).astimezone(UTC)


def localize(naive: datetime) -> datetime:
    """Attach Copenhagen time to a naive wall-clock time; the earlier one if it occurs twice."""
    if naive.tzinfo is not None:
        raise ValueError("expected a naive datetime")
    aware = naive.replace(tzinfo=COPENHAGEN, fold=0)
    if aware.astimezone(UTC).astimezone(COPENHAGEN).replace(tzinfo=None) != naive:
        raise NonexistentLocalTime(naive)
    return aware
