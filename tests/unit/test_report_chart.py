"""The compliance chart keeps its line-end labels apart."""

from __future__ import annotations

from tracker.web.reports.chart import Point, Series, spread_end_labels


def series_ending_at(y: float) -> Series:
    one = Series(kind="k", label="k", marker="circle", dash="", colour="#000")
    one.points.append(Point(x=100, y=y, month="2026-11", percent=33))
    return one


def test_labels_of_lines_ending_together_do_not_overlap():
    top, a, b = series_ending_at(50), series_ending_at(120), series_ending_at(120)
    spread_end_labels([a, top, b])
    assert top.label_y == 54
    assert sorted([a.label_y, b.label_y]) == [124, 137]
