"""The publication-date chart: one dot per published report, stacked by day, against the deadlines.

Why this shape: the question an office asks is "how many published before the deadline, and how late
were the others".  A dot per report (stacked on its day, like a tally) answers both at a glance and can
be counted; a dashed line per deadline (departments and townships usually 31 January, the government
31 March) separates on time from late.  Geometry is computed here; the template only draws it, so every
label goes through Jinja's escaping like any other text.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from monitor.explain import KIND_LABELS

WIDTH = 720
LEFT, RIGHT, BOTTOM = 44, 16, 40
LABEL_LINE = 16  # one deadline label per line above the plot
MAX_PLOT_HEIGHT = 220
MIN_PLOT_HEIGHT = 90
MAX_RADIUS = 6.0
MIN_RADIUS = 1.5
MIN_TICK_GAP = 14  # count labels on the left side are at least a line of text apart


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    status: str  # on_time | late
    label: str  # agency · date, shown as the dot's tooltip


@dataclass(frozen=True)
class Line:
    x: float
    label: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    plot_left: int
    plot_right: int
    dots: list[Dot]
    deadlines: list[Line]
    ticks: list[Tick]
    y_ticks: list[tuple[float, int]]
    first: date
    last: date


def publication_chart(points: list[tuple[date, str, str]], deadlines: list[tuple[str, date]]) -> Chart | None:
    """`points` are (effective publication date, status, agency name); None when nothing was published."""
    if not points:
        return None
    dues = sorted({due for _, due in deadlines})
    first = min([p[0] for p in points] + [d - timedelta(days=30) for d in dues])
    last = max([p[0] for p in points] + [d + timedelta(days=14) for d in dues])
    days = (last - first).days or 1
    by_day: dict[date, list[tuple[str, str]]] = defaultdict(list)
    for day, status, agency in sorted(points, key=lambda p: (p[0], p[1] != "on_time", p[2])):
        by_day[day].append((status, agency))
    tallest = max(len(v) for v in by_day.values())
    plot_w = WIDTH - LEFT - RIGHT
    step_x = plot_w / days
    # Dots of neighbouring days may touch: a readable dot matters more than a gap between days.
    radius = max(4.5, min(MAX_RADIUS, step_x / 2))
    plot_h = int(min(MAX_PLOT_HEIGHT, max(MIN_PLOT_HEIGHT, tallest * 2 * radius + 4)))
    radius = max(MIN_RADIUS, min(radius, (plot_h - 4) / (2 * tallest)))
    top = 12 + LABEL_LINE * len(dues)
    height = top + plot_h + BOTTOM
    bottom = top + plot_h

    def x_of(day: date) -> float:
        return round(LEFT + (day - first).days * step_x + step_x / 2, 1)

    dots = [
        Dot(x_of(day), round(bottom - radius - i * 2 * radius, 1), round(radius, 2), status, f"{agency} · {day.isoformat()}")
        for day, items in by_day.items()
        for i, (status, agency) in enumerate(items)
    ]
    kinds_by_due: dict[date, list[str]] = defaultdict(list)
    for kind, due in deadlines:
        kinds_by_due[due].append(KIND_LABELS[kind])
    lines = [Line(x_of(due), f"{'、'.join(kinds_by_due[due])}截止 {due.month}月{due.day}日") for due in dues]
    return Chart(
        width=WIDTH, height=height, plot_top=top, plot_bottom=bottom, plot_left=LEFT, plot_right=WIDTH - RIGHT,
        dots=dots, deadlines=lines, ticks=_month_ticks(first, last, x_of), y_ticks=_y_ticks(tallest, bottom, radius),
        first=first, last=last,
    )


def _month_ticks(first: date, last: date, x_of) -> list[Tick]:
    ticks = []
    day = date(first.year, first.month, 1)
    if day < first:
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    while day <= last:
        ticks.append(Tick(x_of(day), f"{day.year}年{day.month}月" if day.month == 1 or not ticks else f"{day.month}月"))
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return ticks


def _y_ticks(tallest: int, bottom: float, radius: float) -> list[tuple[float, int]]:
    """A few counts up the left side, level with the n-th dot of a stack, so a stack reads without counting."""
    step = max(1, round(tallest / 4), math.ceil(MIN_TICK_GAP / (2 * radius)))
    counts = list(range(step, tallest + 1, step)) or [tallest]
    return [(round(bottom - radius - (n - 1) * 2 * radius, 1), n) for n in counts]
