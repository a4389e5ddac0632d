"""The deadlines a received underretning starts: the 24-hour assessment, receipt, orientation.

The assessment is counted in elapsed hours from the instant of receipt. Receipt and
orientation are counted in hverdage after the local (Copenhagen) receipt day, which
itself never counts, and end when that day ends. Each function takes the aware instant
of receipt and the rule book, and returns one ComputedDeadline with the legal basis of
the rules version in force on the local receipt day and a Danish trace that names it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tracker.domain.kinds import (
    ASSESSMENT_PERIOD,
    RECEIPT_WORKING_DAYS,
    ComputedDeadline,
    DeadlineKind,
)
from tracker.domain.local_time import COPENHAGEN, ONE_DAY, end_of_local_day, local_date
from tracker.domain.rulebook import RuleBook, RulesVersion
from tracker.domain.working_days import (
    WEEKDAY_NAMES,
    add_working_days,
    describe_day,
    non_working_reason,
    working_day_note,
)


def to_utc(received_at: datetime) -> datetime:
    """Return the receipt instant in UTC, refusing a time without a time zone."""
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise ValueError("received_at must be timezone-aware")
    return received_at.astimezone(UTC)


def assessment_deadline(received_at: datetime, rules: RuleBook) -> ComputedDeadline:
    """24-timers vurdering: due 24 elapsed hours after receipt, nights and helligdage included.

    Across a daylight-saving change the wall clock shows 25 or 23 hours; the elapsed
    time is still 24 hours.
    """
    received_utc = to_utc(received_at)
    due_utc = received_utc + ASSESSMENT_PERIOD
    received_local = received_utc.astimezone(COPENHAGEN)
    due_local = due_utc.astimezone(COPENHAGEN)

    received_on, due_on = received_local.date(), due_local.date()
    version = rules.in_force_on(received_on)
    # Copenhagen is one hour further ahead of UTC in summer time than in winter.
    received_offset, due_offset = received_local.utcoffset(), due_local.utcoffset()

    trace = [
        f"Modtaget {describe_day(received_on)} kl. {_clock(received_local)} (dansk tid)",
        "+ 24 timers forløbet tid (nætter, weekender og helligdage tæller med)",
    ]
    if due_offset > received_offset:
        trace.append("Sommertid begynder undervejs: uret viser 25 timer")
    elif due_offset < received_offset:
        trace.append("Sommertid slutter undervejs: uret viser 23 timer")
    trace.append(f"Fristen udløber {describe_day(due_on)} kl. {_clock(due_local)} (dansk tid)")
    trace.append(version.trace_line(received_on))

    return ComputedDeadline(
        kind=DeadlineKind.ASSESSMENT,
        starts_at=received_utc,
        due_date=due_on,
        overdue_from=due_utc,
        legal_basis=version.basis(DeadlineKind.ASSESSMENT),
        trace=tuple(trace),
        rules_version=version.id,
    )


def receipt_deadline(received_at: datetime, rules: RuleBook) -> ComputedDeadline:
    """Bekræftelse af modtagelse: by the end of the 6th hverdag after the local receipt day."""
    received_utc = to_utc(received_at)
    return _counted_in_working_days(
        DeadlineKind.RECEIPT,
        received_utc,
        rules.in_force_on(local_date(received_utc)),
        RECEIPT_WORKING_DAYS,
        f"{RECEIPT_WORKING_DAYS} hverdage efter modtagelsen",
    )


def orientation_deadline(received_at: datetime, rules: RuleBook) -> ComputedDeadline:
    """Orientering af underretteren: the municipality's own target, in hverdage (no statute)."""
    received_utc = to_utc(received_at)
    version = rules.in_force_on(local_date(received_utc))
    days = version.orientation_working_days
    return _counted_in_working_days(
        DeadlineKind.ORIENTATION,
        received_utc,
        version,
        days,
        f"Lokal målsætning: {days} hverdage efter modtagelsen (ikke en lovbestemt frist)",
    )


def reassessment_deadline(received_at: datetime, rules: RuleBook) -> ComputedDeadline:
    """Genvurdering (§ 137, stk. 1): a task for someone not involved in the child's case before.

    Started by a new underretning about a child with an open støttende indsats or
    anbringelse. The law gives it no deadline; the target is the municipality's own, in
    hours after receipt (the rules file's reassessment_hours).
    """
    received_utc = to_utc(received_at)
    received_local = received_utc.astimezone(COPENHAGEN)
    version = rules.in_force_on(received_local.date())
    hours = version.reassessment_hours
    due_utc = received_utc + timedelta(hours=hours)
    due_local = due_utc.astimezone(COPENHAGEN)
    trace = (
        f"Modtaget {describe_day(received_local.date())} kl. {_clock(received_local)} (dansk tid)",
        "Barnet har en åben afgørelse om støttende indsats eller anbringelse i en tidligere sag",
        "Genvurderes af en, der ikke før har været involveret: ikke sagens rådgiver og ikke "
        "en, der har udført trin eller opfyldt frister i barnets tidligere sager",
        f"Lokal målsætning: {hours} timer efter modtagelsen (loven fastsætter ingen frist)",
        f"Fristen udløber {describe_day(due_local.date())} kl. {_clock(due_local)} (dansk tid)",
        version.trace_line(received_local.date()),
    )
    return ComputedDeadline(
        kind=DeadlineKind.REASSESSMENT,
        starts_at=received_utc,
        due_date=due_local.date(),
        overdue_from=due_utc,
        legal_basis=version.basis(DeadlineKind.REASSESSMENT),
        trace=trace,
        rules_version=version.id,
    )


def _counted_in_working_days(
    kind: DeadlineKind, received_utc: datetime, version: RulesVersion, working_days: int, rule: str
) -> ComputedDeadline:
    """Count hverdage after the local receipt day, naming every day counted or skipped."""
    received_on = local_date(received_utc)
    due = add_working_days(received_on, working_days)

    trace = [
        f"Modtaget {describe_day(received_on)} (dansk tid); modtagelsesdagen tæller ikke med",
        rule,
    ]
    counted = 0
    day = received_on
    while day < due:
        day += ONE_DAY
        reason = non_working_reason(day)
        if reason is not None:
            trace.append(f"{day.isoformat()} {reason}: springes over")
            continue
        counted += 1
        line = f"{day.isoformat()} {WEEKDAY_NAMES[day.weekday()]}: hverdag {counted}"
        note = working_day_note(day)
        if note:
            line += f" ({note})"
        trace.append(line)
    trace.append(f"Fristen udløber ved udgangen af {describe_day(due)} (dansk tid)")
    trace.append(version.trace_line(received_on))

    return ComputedDeadline(
        kind=kind,
        starts_at=received_utc,
        due_date=due,
        overdue_from=end_of_local_day(due),
        legal_basis=version.basis(kind),
        trace=tuple(trace),
        rules_version=version.id,
    )


def _clock(local: datetime) -> str:
    """Return the wall-clock time: "14:00", or "09:05:07" when there are seconds."""
    timespec = "seconds" if local.second or local.microsecond else "minutes"
    return local.time().isoformat(timespec=timespec)
