"""The municipality's opening hours, on the hverdag calendar (pure; the time is passed in).

Written as one line of configuration (OPENING_HOURS), Danish weekday names, ranges allowed:

    "man-tor 08:00-15:00; fre 08:00-13:30"

Open only on hverdage (tracker.domain.working_days): never on a helligdag, grundlovsdag,
24 or 31 December, whatever the weekday says. Times are Copenhagen wall-clock times; an
opening that falls in the hour skipped in spring opens when the clocks have gone on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from tracker.domain.local_time import COPENHAGEN, to_local
from tracker.domain.working_days import WEEKDAY_NAMES, is_working_day

# "man", "mandag", ... -> 0..6
_DAY_NAMES = {name: i for i, name in enumerate(WEEKDAY_NAMES)} | {
    name[:3]: i for i, name in enumerate(WEEKDAY_NAMES)
}
# Looking further than this for the next opening means the hours open on no hverdag at all.
_SEARCH_DAYS = 30


@dataclass(frozen=True)
class OpeningHours:
    """Opening and closing time for each weekday (Monday first), None when closed."""

    days: tuple[tuple[time, time] | None, ...]

    @classmethod
    def parse(cls, text: str) -> OpeningHours:
        """Read "man-tor 08:00-15:00; fre 08:00-13:30"; ValueError names what is wrong."""
        days: list[tuple[time, time] | None] = [None] * 7
        for part in (p.strip() for p in text.replace(",", ";").split(";")):
            if not part:
                continue
            try:
                names, hours = part.split()
                opens, closes = (time.fromisoformat(t) for t in hours.split("-"))
            except ValueError:
                raise ValueError(
                    f"opening hours: {part!r} is not like 'man-tor 08:00-15:00'"
                ) from None
            if closes <= opens:
                raise ValueError(f"opening hours: {part!r} closes before it opens")
            for weekday in _weekdays(names, part):
                if days[weekday] is not None:
                    raise ValueError(f"opening hours: {WEEKDAY_NAMES[weekday]} is given twice")
                days[weekday] = (opens, closes)
        if not any(days[:5]):
            raise ValueError("opening hours: open on no weekday from mandag to fredag")
        return cls(tuple(days))

    def hours_on(self, day: date) -> tuple[time, time] | None:
        """Return the opening and closing time on a date, None when closed that day."""
        return self.days[day.weekday()] if is_working_day(day) else None

    def is_open(self, at: datetime) -> bool:
        """Tell whether the municipality is open at the instant `at`."""
        local = to_local(at)
        hours = self.hours_on(local.date())
        return hours is not None and hours[0] <= local.time().replace(tzinfo=None) < hours[1]

    def next_opening(self, at: datetime) -> datetime:
        """Return `at` when open then, else the next instant it opens (aware UTC)."""
        if self.is_open(at):
            return at.astimezone(UTC)
        day = to_local(at).date()
        for offset in range(_SEARCH_DAYS + 366):
            candidate = day + timedelta(days=offset)
            hours = self.hours_on(candidate)
            if hours is None:
                continue
            opens = _instant(candidate, hours[0])
            if opens > at:
                return opens
        raise ValueError("opening hours: no opening within a year")  # pragma: no cover

    def describe(self) -> list[tuple[str, str | None]]:
        """Return (weekday name, "08:00-15:00" or None) for each day of the week."""
        return [
            (name, None if hours is None else f"{hours[0]:%H:%M}-{hours[1]:%H:%M}")
            for name, hours in zip(WEEKDAY_NAMES, self.days, strict=True)
        ]


def _weekdays(names: str, part: str) -> list[int]:
    first, _, last = names.lower().partition("-")
    try:
        start = _DAY_NAMES[first]
        end = _DAY_NAMES[last] if last else start
    except KeyError:
        raise ValueError(
            f"opening hours: {part!r} names no weekday (man, tir, ons, tor, fre, lør, søn)"
        ) from None
    if end < start:
        raise ValueError(f"opening hours: {part!r}: the days run backwards")
    return list(range(start, end + 1))


def _instant(day: date, clock: time) -> datetime:
    # fold=0 and a round trip: a time skipped in spring comes out an hour later, as the clock.
    return datetime.combine(day, clock, tzinfo=COPENHAGEN).astimezone(UTC)
