"""The compliance chart's geometry: share met on time per month, one line per kind.

Rendered as SVG by templates/reports/_chart.html. Each kind has its own marker
shape and dash pattern as well as its colour, and is named in a legend and at the
end of its line, so the chart reads without colour; the data table below it
carries the same figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from tracker.reporting.reports import ReportLine

WIDTH, HEIGHT = 760, 320
# RIGHT leaves room for the end labels' full names ("100 % · Orientering af underretteren").
LEFT, RIGHT, TOP, BOTTOM = 56, 236, 16, 48
LABEL_GAP = 14.0  # the end labels' line height
MARKER_SPREAD = 7.0  # how far apart markers that fall on the same spot are drawn
MONTH_LABEL_WIDTH = 52.0  # "2026-03" at 11 px, with a gap
# (marker shape, dash pattern, colour): distinct in shape and line before colour.
STYLES = (
    ("circle", "", "#0059b3"),
    ("square", "8 4", "#b35900"),
    ("triangle", "2 4", "#007a3d"),
    ("diamond", "12 4 2 4", "#8a2be2"),
    ("cross", "4 2", "#333333"),
)


@dataclass
class Point:
    """One month's share for one kind, placed on the chart."""

    x: float
    y: float
    month: str
    percent: int


@dataclass
class Series:
    """One kind's line."""

    kind: str
    label: str
    marker: str
    dash: str
    colour: str
    points: list[Point] = field(default_factory=list)
    path: str = ""
    label_y: float = 0.0


@dataclass
class Chart:
    """Everything the SVG template needs."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]]
    series: list[Series]


def build_chart(lines: list[ReportLine], months: list[str], kind_labels: dict) -> Chart:
    """Place the share met on time of every month and kind on the chart."""
    plot_right, plot_bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    step = (plot_right - LEFT) / max(len(months) - 1, 1)
    x_of = {month: LEFT + i * step for i, month in enumerate(months)}

    def y_of(share: float) -> float:
        return plot_bottom - share * (plot_bottom - TOP)

    by_kind: dict[str, dict[str, ReportLine]] = {}
    for line in lines:
        by_kind.setdefault(line.kind, {})[line.month] = line
    series = []
    for index, (kind, label) in enumerate(kind_labels.items()):
        if kind not in by_kind:
            continue
        marker, dash, colour = STYLES[index % len(STYLES)]
        one = Series(kind=str(kind), label=str(label), marker=marker, dash=dash, colour=colour)
        for month in months:
            line = by_kind[kind].get(month)
            if line is not None and line.share_on_time is not None and month in x_of:
                share = line.share_on_time
                one.points.append(Point(x_of[month], y_of(share), month, round(share * 100)))
        series.append(one)
    separate_markers(series)
    for one in series:
        one.path = path_of(one, months)
    spread_end_labels(series, top=TOP + 4, bottom=plot_bottom - 4)
    # A month label ("2026-03", 11 px) needs about MONTH_LABEL_WIDTH: label every n-th month
    # so that neighbours never touch.
    label_every = max(1, math.ceil(MONTH_LABEL_WIDTH / step)) if len(months) > 1 else 1
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=plot_right,
        plot_top=TOP,
        plot_bottom=plot_bottom,
        x_ticks=[(x_of[m], m) for i, m in enumerate(months) if i % label_every == 0],
        y_ticks=[(y_of(p / 100), p) for p in range(0, 101, 25)],
        series=series,
    )


def separate_markers(series: list[Series]) -> None:
    """Draw markers of different kinds that fall on the same spot side by side, not on top."""
    spots: dict[tuple[float, int], list[Point]] = {}
    for one in series:
        for point in one.points:
            spots.setdefault((point.x, point.percent), []).append(point)
    for points in spots.values():
        middle = (len(points) - 1) / 2
        for index, point in enumerate(points):
            point.x += (index - middle) * MARKER_SPREAD


def spread_end_labels(
    series: list[Series], *, top: float, bottom: float, gap: float = LABEL_GAP
) -> None:
    """Place the line-end labels at least `gap` apart, all between `top` and `bottom`.

    Top to bottom each label moves down off the one above; if the last then passes the
    bottom (the axis and its month labels), they move up again from the bottom.
    """
    ended = sorted((one for one in series if one.points), key=lambda one: one.points[-1].y)
    previous = None
    for one in ended:
        wanted = min(max(one.points[-1].y + 4, top), bottom)
        one.label_y = wanted if previous is None else max(wanted, previous + gap)
        previous = one.label_y
    following = None
    for one in reversed(ended):
        limit = bottom if following is None else following - gap
        one.label_y = max(min(one.label_y, limit), top)
        following = one.label_y


def path_of(series: Series, months: list[str]) -> str:
    """Return the SVG path through a series' points, broken where a month has no figure."""
    order = {month: i for i, month in enumerate(months)}
    parts, previous = [], None
    for point in series.points:
        joined = previous is not None and order[point.month] == order[previous.month] + 1
        parts.append(f"{'L' if joined else 'M'}{point.x:.1f},{point.y:.1f}")
        previous = point
    return " ".join(parts)
