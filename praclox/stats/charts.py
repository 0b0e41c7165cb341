"""A chart as data: categories, series of numbers, and the shapes of its server-drawn SVG.

The page draws every chart from ``layout()``; the table beside it and the CSV download read the same
``Chart``, so the picture, the numbers and the file never disagree. Counts about people pass through
``protect`` first: a count between 1 and the threshold shows as "< 5" everywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

#: the shape a chart is drawn in
COLUMNS = "columns"  # a time line: one stacked column per month, quarter or week
ROWS = "rows"  # named things (a person, a vacancy, a band): one stacked bar each
HEATMAP = "heatmap"  # weekday x hour

WIDTH = 720
SERIES_STYLES = 6  # fill patterns told apart without colour (static/css/praclox.css)


@dataclass(frozen=True)
class Small:
    """A count about people too small to show: it reads "< threshold" in the table, the CSV and the title."""

    threshold: int

    def __str__(self) -> str:
        return f"< {self.threshold}"


#: a number, a hidden small count, nothing, or (in an extra column only) a name shown beside the category
Value = int | float | Small | str | None


@dataclass
class Series:
    label: str
    values: list[Value]


@dataclass
class Chart:
    key: str
    title: str
    category_label: str
    categories: list[str]
    series: list[Series]
    kind: str = COLUMNS
    #: counts of people: the small-count rule applies
    people: bool = False
    #: what a value is when it is not a count ("days")
    unit: str = ""
    #: stack the series (parts of one whole); otherwise each category shows its series side by side
    stacked: bool = True
    note: str = ""
    #: more numbers per category for the table and the CSV, not drawn (how many an average is over)
    columns: list[Series] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [self.category_label, *(s.label for s in (*self.series, *self.columns))]

    def rows(self, decimal: str = ".") -> list[tuple[str, list[str]]]:
        """The table (and CSV) body: one row per category, one shown value per series and column."""
        every = [*self.series, *self.columns]
        return [(category, [shown(s.values[i], decimal) for s in every]) for i, category in enumerate(self.categories)]

    @property
    def empty(self) -> bool:
        return not any(isinstance(v, int | float) and v for s in self.series for v in s.values)


def shown(value: Value, decimal: str = ".") -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", decimal)
    return str(value)


def protect(chart: Chart, threshold: int) -> Chart:
    """Replace every people count from 1 up to ``threshold - 1`` with ``Small``; 0 stays 0 (no one to find)."""
    if chart.people:
        for series in (*chart.series, *chart.columns):
            series.values = [Small(threshold) if isinstance(v, int) and 0 < v < threshold else v
                             for v in series.values]
    return chart


def _number(value: Value) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _scale_top(largest: float) -> tuple[float, list[float]]:
    """A round top for the axis and its four ticks: whole numbers, since most values are counts."""
    if largest <= 4:
        return 4.0, [0.0, 1.0, 2.0, 3.0, 4.0]
    raw = largest / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw and (m * magnitude) % 1 == 0)
    return step * 4, [step * i for i in range(5)]


def _tick_label(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _totals(chart: Chart) -> list[float]:
    if chart.stacked:
        return [sum(_number(s.values[i]) for s in chart.series) for i in range(len(chart.categories))]
    return [max((_number(s.values[i]) for s in chart.series), default=0.0) for i in range(len(chart.categories))]


def _segments(chart: Chart, i: int) -> list[tuple[int, float, str]]:
    """(series index, value, title) of category ``i``'s parts that have something to draw."""
    return [(n, _number(s.values[i]), f"{chart.categories[i]}, {s.label}: {shown(s.values[i])}")
            for n, s in enumerate(chart.series) if _number(s.values[i]) > 0]


def _n(value: float) -> str:
    """A coordinate as the SVG gets it (formatted here once, not by a template filter per attribute)."""
    return f"{value:.1f}"


def _columns(chart: Chart) -> dict[str, Any]:
    left, top, bottom, height = 44, 8, 34, 220
    plot_w, plot_h = WIDTH - left - 8, height - top - bottom
    top_value, ticks = _scale_top(max(_totals(chart), default=0))
    band = plot_w / max(len(chart.categories), 1)
    rects, labels = [], []
    every = max(1, math.ceil(len(chart.categories) / 12))
    for i, category in enumerate(chart.categories):
        x0, base = left + i * band, float(top + plot_h)
        parts = _segments(chart, i)
        width = band * 0.7 / (1 if chart.stacked else max(len(chart.series), 1))
        for n, value, title in parts:
            h = plot_h * value / top_value
            x = x0 + band * 0.15 + (0 if chart.stacked else n * width)
            rects.append({"x": _n(x), "y": _n(base - h), "w": _n(width), "h": _n(h), "style": n % SERIES_STYLES,
                          "title": title})
            if chart.stacked:
                base -= h
        if i % every == 0:
            labels.append({"x": _n(x0 + band / 2), "y": _n(height - bottom + 16), "text": category})
    axis = [{"y": _n(top + plot_h - plot_h * t / top_value), "ty": _n(top + plot_h - plot_h * t / top_value + 4),
             "text": _tick_label(t)} for t in ticks]
    return {"width": WIDTH, "height": height, "left": left, "right": WIDTH - 8, "rects": rects,
            "labels": labels, "axis": axis, "anchor": "middle"}


def _rows(chart: Chart) -> dict[str, Any]:
    left, bar, gap, top = 200, 18, 8, 8
    plot_w = WIDTH - left - 16
    top_value, ticks = _scale_top(max(_totals(chart), default=0))
    rects, labels = [], []
    per_row = bar if chart.stacked else bar * max(len(chart.series), 1) / 2
    for i, category in enumerate(chart.categories):
        y0 = top + i * (per_row + gap)
        x = float(left)
        thickness = per_row if chart.stacked else per_row / max(len(chart.series), 1)
        for n, value, title in _segments(chart, i):
            w = plot_w * value / top_value
            y = y0 if chart.stacked else y0 + n * thickness
            rects.append({"x": _n(x), "y": _n(y), "w": _n(w), "h": _n(thickness), "style": n % SERIES_STYLES,
                          "title": title})
            if chart.stacked:
                x += w
        labels.append({"x": _n(left - 6), "y": _n(y0 + per_row / 2 + 4), "text": category[:32]})
    height = top + len(chart.categories) * (per_row + gap) + 24
    axis = [{"x": _n(left + plot_w * t / top_value), "y": height - 8, "text": _tick_label(t)} for t in ticks]
    return {"width": WIDTH, "height": height, "left": left, "bottom": height - 20, "rects": rects,
            "labels": labels, "axis": axis, "anchor": "end"}


def _heatmap(chart: Chart) -> dict[str, Any]:
    """Rows are the series (weekdays), columns the categories (hours); darker is busier, in five steps."""
    left, top, cell_w, cell_h = 44, 8, (WIDTH - 52) / 24, 22
    largest = max((_number(v) for s in chart.series for v in s.values), default=0) or 1
    cells, labels = [], []
    for r, series in enumerate(chart.series):
        labels.append({"x": left - 6, "y": top + r * cell_h + 15, "text": series.label})
        for c, value in enumerate(series.values):
            level = math.ceil(4 * _number(value) / largest)
            cells.append({"x": _n(left + c * cell_w), "y": _n(top + r * cell_h), "w": _n(cell_w - 1), "h": cell_h - 1,
                          "level": level, "title": f"{series.label} {chart.categories[c]}: {shown(value)}"})
    hours = [{"x": _n(left + c * cell_w + cell_w / 2), "y": top + 7 * cell_h + 14, "text": chart.categories[c]}
             for c in range(0, 24, 2)]
    return {"width": WIDTH, "height": top + 7 * cell_h + 22, "cells": cells, "labels": labels, "hours": hours}


def layout(chart: Chart) -> dict[str, Any]:
    """The shapes the template draws: rectangles with their series style and a title each, axis and labels."""
    return {COLUMNS: _columns, ROWS: _rows, HEATMAP: _heatmap}[chart.kind](chart)
