"""The figures bench/load.py prints: per page, and for the alerts due in the run."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

from load_users import Stats, percentile

PAGE_ORDER = [
    "login_form", "login", "dashboard", "static_page", "case_list", "case",
    "complete_deadline", "record_step", "register_form", "register", "burst_register",
]  # fmt: skip


def print_pages(stats: Stats, seconds: float) -> None:
    """Print requests per second, then p50/p95/p99, errors and refusals per page."""
    total = sum(len(times) for times in stats.times.values())
    errors = sum(
        count
        for counts in stats.statuses.values()
        for status, count in counts.items()
        if not isinstance(status, int) or status >= 500
    )
    print(f"  {total:,} requests in {seconds:.0f} s: {total / seconds:.1f} requests/s; "
          f"errors (5xx or no answer): {errors}")  # fmt: skip
    print(f"  {'page':18s} {'count':>6s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s}  statuses")
    pages = [p for p in PAGE_ORDER if p in stats.statuses] + sorted(
        set(stats.statuses) - set(PAGE_ORDER)
    )
    for page in pages:
        times = stats.times.get(page) or [0.0]
        statuses = " ".join(f"{k}:{v}" for k, v in sorted(stats.statuses[page].items(), key=str))
        print(f"  {page:18s} {len(stats.times.get(page, [])):6d} {percentile(times, 50):8.1f} "
              f"{percentile(times, 95):8.1f} {percentile(times, 99):8.1f}  {statuses}")  # fmt: skip
    if stats.times.get("dashboard") and stats.times.get("static_page"):
        dash, static = (
            percentile(stats.times["dashboard"], 95),
            percentile(stats.times["static_page"], 95),
        )
        print(f"  dashboard p95 / static page p95: {dash:.1f} / {static:.1f} ms = "
              f"{dash / static:.2f} (target <= 2)")  # fmt: skip


def sink_log(path: Path) -> list[tuple[float, str]]:
    """Return (accepted at, Message-ID) of every e-mail the sink accepted."""
    if not path.exists():
        return []
    rows = []
    for line in path.read_text().splitlines():
        accepted, message_id, _count = line.split("\t")
        rows.append((float(accepted), message_id.strip("<>")))
    return rows


def print_alerts(alerts: list[tuple], sink: list[tuple[float, str]], start: datetime,
                 end: datetime) -> None:  # fmt: skip
    """Check exactly-once delivery of the alerts due in [start, end]; print their latency."""
    received = Counter(message_id for _at, message_id in sink)
    first_seen: dict[str, float] = {}
    for at, message_id in sink:
        first_seen.setdefault(message_id, at)
    due = [row for row in alerts if start <= row[3] <= end]
    statuses = Counter(row[2] for row in due)
    expected = [row for row in due if row[2] != "cancelled"]
    ids = {(row[1] or "").strip("<>") for row in due}
    lost = [row for row in expected if received[(row[1] or "").strip("<>")] == 0]
    duplicated = [row for row in due if received[(row[1] or "").strip("<>")] > 1]
    cancelled_sent = [row for row in due if row[2] == "cancelled" and received[row[1] or ""]]
    others = sum(count for message_id, count in received.items() if message_id not in ids)
    print(f"\nalerts due in the run ({start:%H:%M:%S}–{end:%H:%M:%S} UTC): {len(due)}; in the "
          f"database {dict(statuses)}; in the sink {sum(received[i] for i in ids if i)} e-mails "
          f"for them")  # fmt: skip
    print(f"  lost: {len(lost)}; duplicated: {len(duplicated)}; cancelled but sent: "
          f"{len(cancelled_sent)}; exactly once: "
          f"{'yes' if not lost and not duplicated and not cancelled_sent else 'NO'}"
          f" (other e-mails in the sink: {others})")  # fmt: skip
    latencies = [
        first_seen[(row[1] or "").strip("<>")] - row[3].timestamp()
        for row in expected
        if (row[1] or "").strip("<>") in first_seen
    ]
    if latencies:
        p50 = percentile(latencies, 50)
        print(f"  alert latency (due -> accepted by the sink): p50 {p50:.1f} s,"
              f" p95 {percentile(latencies, 95):.1f} s, max {max(latencies):.1f} s"
              f" (target p95 < 60 s)")  # fmt: skip
