"""Benchmark the deadline engine against workalendar's own add_working_days.

Computes the deadlines of 1,000,000 receipt times spread over ten years (2020-2029), in
random order, and prints notifications and deadlines per second. workalendar's
Denmark.add_working_days(day, 6), called as a user of the library calls it, runs on a
sample of the same local receipt days in the same process, interleaved with ours; its
calls per second are the baseline of two ratios, per deadline (the issue's target) and
per notification. Run: .venv/bin/python bench/deadlines.py [count]
"""

from __future__ import annotations

import gc
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from workalendar.europe import Denmark

from tracker.domain import working_days
from tracker.domain.local_time import COPENHAGEN
from tracker.domain.rules import DecisionKind, compute_deadlines, compute_notification_deadlines
from tracker.domain.working_days import add_working_days

YEARS = 10
START = datetime(2020, 1, 1, tzinfo=UTC)
WORKALENDAR_SAMPLE = 100_000
TARGET_RATIO = 20  # issue 2: deadlines per second >= 20 x workalendar calls per second
TARGET_MICROSECONDS = 5  # issue 2: all kinds of one notification in under 5 µs
REPEAT = 3
SEED = 20260430


def receipt_times(count: int) -> list[datetime]:
    """Return count aware UTC instants spread uniformly over ten years."""
    rng = random.Random(SEED)
    span = int(timedelta(days=365.25 * YEARS).total_seconds())
    return [START + timedelta(seconds=rng.randrange(span)) for _ in range(count)]


def timed_rounds(works: list[Callable[[], int]]) -> list[tuple[float, float, int]]:
    """Run every work once per round, REPEAT rounds, gc on as in production.

    Returns (best seconds, first-round seconds, count) per work. Interleaving the rounds
    and keeping the best spreads the disturbance of other processes fairly over all works;
    the first round is the one that fills the per-day caches.
    """
    seconds: list[list[float]] = [[] for _ in works]
    counts = [0] * len(works)
    for _ in range(REPEAT):
        for index, work in enumerate(works):
            started = time.perf_counter()
            counts[index] = work()
            seconds[index].append(time.perf_counter() - started)
    return [(min(runs), runs[0], n) for runs, n in zip(seconds, counts, strict=True)]


def main(count: int) -> None:
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    times = receipt_times(count)
    local_days = [t.astimezone(COPENHAGEN).date() for t in times]
    decisions = [day + timedelta(days=i % 60) for i, day in enumerate(local_days)]
    print(f"{count:,} receipt times, {START.date()} to {START.year + YEARS - 1}-12-31, UTC")
    print(f"best of {REPEAT} interleaved rounds (first round, with empty caches, in brackets)")
    print()

    started = time.perf_counter()
    working_days._table()  # built lazily on first use; measured apart from the per-call cost
    build = time.perf_counter() - started
    print(f"hverdag table 1990-2100 built once in {build * 1000:.1f} ms")

    def notification_kinds() -> int:
        produced = 0
        for received in times:
            produced += len(
                compute_notification_deadlines(
                    received, notifier_identifiable=True, notifier_professional=True
                )
            )
        return produced

    def all_kinds() -> int:
        produced = 0
        support = DecisionKind.SUPPORT
        for received, decided in zip(times, decisions, strict=True):
            produced += len(compute_deadlines(received, decided_on=decided, decision_kind=support))
        return produced

    def ours_add_working_days() -> int:
        for day in local_days:
            add_working_days(day, 6)
        return len(local_days)

    sample = local_days[:WORKALENDAR_SAMPLE]
    workalendar = Denmark()

    def theirs_add_working_days() -> int:
        for day in sample:
            workalendar.add_working_days(day, 6)
        return len(sample)

    gc.collect()
    (
        (seconds_3, first_3, deadlines_3),
        (seconds_5, first_5, deadlines_5),
        (seconds_ours, _, calls_ours),
        (seconds_wk, _, calls_wk),
    ) = timed_rounds(
        [notification_kinds, all_kinds, ours_add_working_days, theirs_add_working_days]
    )

    wk_rate = calls_wk / seconds_wk
    rows = [
        ("3 kinds (assessment, receipt, orientation)", deadlines_3, seconds_3, first_3),
        ("all 5 kinds (+ plan, investigation)", deadlines_5, seconds_5, first_5),
    ]
    print()
    print(
        f"{'':44} {'µs/notification':>16} {'notif./s':>10} {'deadlines/s':>12}"
        f" {'A: per deadline':>16} {'B: per notif.':>14}"
    )
    for label, deadlines, seconds, first in rows:
        rate = count / seconds
        per_notification = f"{seconds / count * 1e6:.2f} ({first / count * 1e6:.2f})"
        print(
            f"{label:44} {per_notification:>16} {rate:10,.0f} {deadlines / seconds:12,.0f}"
            f" {deadlines / seconds / wk_rate:15.1f}x {rate / wk_rate:13.1f}x"
        )
    print()
    print(
        "A = our deadlines per second / workalendar add_working_days calls per second\n"
        "    (each deadline with due date, overdue instant, legal basis and trace; a call\n"
        "    gives a date only). B = our notifications per second (all their deadlines)\n"
        "    / workalendar calls per second."
    )
    print()
    print("add_working_days(day, 6) alone, calls per second:")
    print(f"  tracker.domain.calendar  {calls_ours / seconds_ours:12,.0f}  ({count:,} days)")
    print(
        f"  workalendar Denmark      {wk_rate:12,.0f}  (sample of {calls_wk:,} of the same days,"
        f" scaled: {count / wk_rate:.1f} s for all {count:,})"
    )
    print(f"  ratio                    {calls_ours / seconds_ours / wk_rate:12,.0f}x")
    print()
    ratio_all = deadlines_5 / seconds_5 / wk_rate
    micros_all = seconds_5 / count * 1e6
    print("Targets (issue 2), all 5 kinds:")
    print(
        f"  A >= {TARGET_RATIO}x workalendar per deadline: {ratio_all:.1f}x,"
        f" {'met' if ratio_all >= TARGET_RATIO else 'MISSED'}"
    )
    print(
        f"  under {TARGET_MICROSECONDS} µs per notification: {micros_all:.2f} µs,"
        f" {'met' if micros_all < TARGET_MICROSECONDS else 'MISSED'}"
    )
    differing = sum(workalendar.add_working_days(d, 6) != add_working_days(d, 6) for d in sample)
    print(
        f"On the sample, workalendar's 6th hverdag differs from ours for {differing:,} of "
        f"{len(sample):,} days\n(store bededag after 2023, grundlovsdag, 31 December)."
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
