"""The compliance chart keeps its line-end labels apart."""

from __future__ import annotations

from itertools import pairwise

from tracker.reporting.reports import ReportLine
from tracker.web.reports.chart import (
    LABEL_GAP,
    Point,
    Series,
    build_chart,
    separate_markers,
    spread_end_labels,
)


def series_ending_at(y: float) -> Series:
    one = Series(kind="k", label="k", marker="circle", dash="", colour="#000")
    one.points.append(Point(x=100, y=y, month="2026-11", percent=33))
    return one


def test_labels_of_lines_ending_together_do_not_overlap():
    top, a, b = series_ending_at(50), series_ending_at(120), series_ending_at(120)
    spread_end_labels([a, top, b], top=0, bottom=1000, gap=13)
    assert top.label_y == 54
    assert sorted([a.label_y, b.label_y]) == [124, 137]


def test_labels_near_the_axis_move_up_and_stay_apart():
    low = [series_ending_at(270) for _ in range(4)]
    spread_end_labels(low, top=20, bottom=268)
    ys = sorted(one.label_y for one in low)
    assert ys[-1] <= 268 and ys[0] >= 20
    assert all(b - a >= LABEL_GAP for a, b in pairwise(ys))


def test_many_labels_in_a_small_space_never_leave_the_plot():
    crowd = [series_ending_at(30) for _ in range(5)]
    spread_end_labels(crowd, top=20, bottom=80)
    assert all(20 <= one.label_y <= 80 for one in crowd)


def test_markers_on_the_same_spot_are_drawn_side_by_side():
    a, b = series_ending_at(120), series_ending_at(120)
    separate_markers([a, b])
    assert abs(a.points[0].x - b.points[0].x) >= 6


def line(kind: str, share_met: int) -> ReportLine:
    return ReportLine("2026-03", kind, share_met, 10 - share_met, 0, 0, None, None)


def test_series_names_are_whole_and_end_labels_stay_off_the_axis():
    labels = {"orientation": "Orientering af underretteren", "receipt": "Kvittering"}
    chart = build_chart(
        [line("orientation", 0), line("receipt", 0)], ["2026-02", "2026-03"], labels
    )
    assert [one.label for one in chart.series] == list(labels.values())
    ys = sorted(one.label_y for one in chart.series)
    assert ys[-1] < chart.plot_bottom and ys[1] - ys[0] >= LABEL_GAP


def test_month_labels_never_touch():
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    chart = build_chart([], months, {})
    xs = [x for x, _month in chart.x_ticks]
    assert all(b - a >= 52 for a, b in pairwise(xs))
