"""Trend figures and the static SVG charts drawn from them.

Pure: counts from the archive in, SVG text out. Charts are inline SVG styled
by CSS classes (``docs/assets/stylesheets/extra.css``) with the theme's
colour variables, so they follow the light and dark schemes; each has an
``aria-label``, and the pages show the numbers as a table too. No chart
library, nothing loaded from the network.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Iterable

from .archive import Archive

RECENT_DAYS = 7
BEFORE_DAYS = 28
TOP_FIELDS = 6
RISING_TAGS = 10


def _date(text: str) -> _dt.date:
    return _dt.date.fromisoformat(text)


@lru_cache(maxsize=None)
def week_of(date: str) -> str:
    """The Monday that starts the date's week (a few hundred distinct dates a year: cached)."""
    day = _date(date)
    return (day - _dt.timedelta(days=day.weekday())).isoformat()


# The most weeks a chart spans (about 20 years): the parser keeps dates in a
# sane window, and this bounds a chart whatever the dates.
MAX_WEEKS = 1050


def all_weeks(first: str, last: str) -> list[str]:
    """The Mondays from ``first``'s week to ``last``'s, at most ``MAX_WEEKS`` of them (the latest).

    Counted in ordinals, so no date sum overflows near year 9999.
    """
    start, end = _date(first).toordinal(), _date(last).toordinal()
    start -= (start - 1) % 7  # ordinal 1 (0001-01-01) is a Monday
    end -= (end - 1) % 7
    start = max(start, end - 7 * (MAX_WEEKS - 1))
    return [_dt.date.fromordinal(day).isoformat() for day in range(start, end + 1, 7)]


def papers_per_day(archive: Archive) -> list[tuple[str, int]]:
    return [(day.date, len(day.paper_ids)) for day in archive.days]


def weekly_counts(archive: Archive, first_dates: Iterable[str]) -> list[tuple[str, int]]:
    """Papers per week over the archive's whole span, from the days the papers first appeared."""
    if not archive.days:
        return []
    counts: Counter = Counter()
    for date, count in Counter(first_dates).items():  # counted by day in C, then a few hundred days by week
        counts[week_of(date)] += count
    return [(week, counts.get(week, 0)) for week in all_weeks(archive.days[0].date, archive.days[-1].date)]


def newest_week_is_partial(archive: Archive) -> bool:
    """Whether the archive's newest week is still going on (its last day is not a Sunday): its count is not final."""
    return bool(archive.days) and _date(archive.days[-1].date).weekday() != 6


def fields_per_week(archive: Archive, top: int = TOP_FIELDS) -> dict[str, list[tuple[str, int]]]:
    ranked = sorted(archive.papers_by_field.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:top]
    entries = archive.entries
    return {slug: weekly_counts(archive, (entries[i].first_date for i in ids)) for slug, ids in ranked}


@dataclass(frozen=True)
class RisingTag:
    slug: str
    recent: int
    before: int
    ratio: float


def rising_tags(archive: Archive, limit: int = RISING_TAGS) -> list[RisingTag]:
    """Tags whose daily rate in the newest 7 days most exceeds that of the 28 days before."""
    if not archive.days:
        return []
    newest = _date(archive.days[-1].date)
    recent_start = newest - _dt.timedelta(days=RECENT_DAYS - 1)
    before_start = recent_start - _dt.timedelta(days=BEFORE_DAYS)
    recent: Counter = Counter()
    before: Counter = Counter()
    for entry in archive.entries.values():
        first = _date(entry.first_date)
        if first >= recent_start:
            recent.update(entry.tags)
        elif first >= before_start:
            before.update(entry.tags)
    rows = []
    for slug, count in recent.items():
        # Add-one smoothing keeps a tag new this week from dividing by zero.
        ratio = ((count + 1) / RECENT_DAYS) / ((before[slug] + 1) / BEFORE_DAYS)
        rows.append(RisingTag(slug, count, before[slug], round(ratio, 2)))
    rows.sort(key=lambda row: (-row.ratio, -row.recent, row.slug))
    return rows[:limit]


# -- SVG ------------------------------------------------------------------------------
#
# Drawn for a phone first: 400 user units wide, text 13 units high (CSS), so
# at a phone's ~360 px column the text is 11.7 px and no chart text is
# smaller than 11 px; on a desktop the stylesheet caps a chart's width.

WIDTH = 400
FONT = 13  # the CSS font size of .chart-text, in user units (docs/assets/stylesheets/extra.css)
# Dash patterns and marker shapes per series: told apart without colour.
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "bar")


def _svg(width: int, height: int, label: str, body: list[str], css_class: str = "chart") -> str:
    label = escape(label)
    # The accessible name is the aria-label (no <title>: page sanitising treats
    # <title> as a tag that swallows text); the pages show the numbers as tables.
    return f'<svg class="{css_class}" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">' + "".join(body) + "</svg>"


def _text(x: float, y: float, text: str, anchor: str = "start", css: str = "chart-text") -> str:
    anchor_attribute = f' text-anchor="{anchor}"' if anchor != "start" else ""
    return f'<text class="{css}" x="{x:.1f}" y="{y:.1f}"{anchor_attribute}>{escape(text)}</text>'


def _short(date: str) -> str:
    """``01-18`` for a date of the newest year shown; dates carry their year where it changes."""
    return date[5:]


def _y_axis(left: int, top: int, plot_h: float, peak: int, right: float, unit: str) -> list[str]:
    """Ticks at 0, half and the peak, with a faint grid line each, and the unit above the axis."""
    body = [_text(left - 4, top - 4, unit, "start", "chart-text chart-unit")]
    for value in sorted({0, peak // 2, peak}):
        y = top + plot_h - plot_h * value / (peak or 1)
        body.append(f'<line class="chart-grid" x1="{left}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}"></line>')
        body.append(_text(left - 4, y + FONT / 3, str(value), "end"))
    return body


def _x_ticks(labels: list[str], left: float, step: float, y: float) -> list[str]:
    """The first, middle and last labels under the x axis."""
    if not labels:
        return []
    picks = sorted({0, (len(labels) - 1) // 2, len(labels) - 1})
    anchors = {0: "start", len(labels) - 1: "end"}
    return [_text(left + index * step, y, labels[index], anchors.get(index, "middle")) for index in picks]


def bar_chart(points: list[tuple[str, int]], label: str, width: int = WIDTH, height: int = 220, partial: bool = False) -> str:
    """Vertical bars, one per point, with y ticks and dated x ticks; ``partial``: the last bar is a period not yet over."""
    left, bottom, top = 34, 22, 22
    plot_w, plot_h = width - left - 6, height - bottom - top
    peak = max((v for _, v in points), default=0)
    step = plot_w / max(len(points), 1)
    body = _y_axis(left, top, plot_h, peak, width - 6, "篇")
    for index, (name, value) in enumerate(points):
        bar_h = plot_h * value / (peak or 1)
        css = "chart-bar chart-partial" if partial and index == len(points) - 1 else "chart-bar"
        body.append(
            f'<rect class="{css}" x="{left + index * step:.1f}" y="{top + plot_h - bar_h:.1f}" width="{max(step * 0.8, 0.8):.1f}" '
            f'height="{bar_h:.1f}"></rect>'
        )
    body.append(f'<line class="chart-axis" x1="{left}" y1="{top + plot_h}" x2="{width - 6}" y2="{top + plot_h}"></line>')
    body += _x_ticks([_short(name) for name, _ in points], left + step * 0.4, step, height - 6)
    return _svg(width, height, label, body)


def _marker(shape: str, x: float, y: float, css: str) -> str:
    if shape == "circle":
        return f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="3"></circle>'
    if shape == "square":
        return f'<rect class="{css}" x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6"></rect>'
    if shape == "triangle":
        return f'<polygon class="{css}" points="{x:.1f},{y - 4:.1f} {x + 4:.1f},{y + 3:.1f} {x - 4:.1f},{y + 3:.1f}"></polygon>'
    if shape == "diamond":
        return f'<polygon class="{css}" points="{x:.1f},{y - 4:.1f} {x + 4:.1f},{y:.1f} {x:.1f},{y + 4:.1f} {x - 4:.1f},{y:.1f}"></polygon>'
    if shape == "cross":
        return f'<polyline class="{css} chart-stroke" points="{x - 3:.1f},{y - 3:.1f} {x + 3:.1f},{y + 3:.1f} {x:.1f},{y:.1f} {x + 3:.1f},{y - 3:.1f} {x - 3:.1f},{y + 3:.1f}"></polyline>'
    return f'<rect class="{css}" x="{x - 1.5:.1f}" y="{y - 4:.1f}" width="3" height="8"></rect>'


def line_chart(
    series: dict[str, list[tuple[str, int]]], names: dict[str, str], label: str, width: int = WIDTH, partial: bool = False
) -> str:
    """One line per series over shared x labels, told apart by colour, dashes and markers, with the legend below.

    ``partial``: the last point is a period not yet over; its segment is drawn thin and dotted.
    A series equal to an earlier one is drawn under it and the legend says so.
    """
    left, top, plot_h = 34, 22, 170
    plot_w = width - left - 10
    legend_top = top + plot_h + 30
    height = legend_top + len(series) * (FONT + 7) + 4
    peak = max((v for points in series.values() for _, v in points), default=0)
    length = max((len(points) for points in series.values()), default=0)
    step = plot_w / max(length - 1, 1)
    body = _y_axis(left, top, plot_h, peak, left + plot_w, "篇/周")

    def xy(i: int, value: int) -> tuple[float, float]:
        return left + i * step, top + plot_h - plot_h * value / (peak or 1)

    first_seen: dict[tuple, str] = {}
    for number, (slug, points) in enumerate(series.items()):
        css = f"chart-series-{number}"
        dash = f' stroke-dasharray="{DASHES[number % len(DASHES)]}"' if DASHES[number % len(DASHES)] else ""
        full = points[:-1] if partial and len(points) > 1 else points
        body.append(f'<polyline class="chart-line {css}"{dash} points="{" ".join("%.1f,%.1f" % xy(i, v) for i, (_, v) in enumerate(full))}"></polyline>')
        if partial and len(points) > 1:
            tail = " ".join("%.1f,%.1f" % xy(i, points[i][1]) for i in (len(points) - 2, len(points) - 1))
            body.append(f'<polyline class="chart-line chart-partial {css}" points="{tail}"></polyline>')
        stride = max(1, len(points) // 12)  # a marker every few points keeps the shapes readable
        for i in range(len(points) - 1, -1, -stride):
            body.append(_marker(MARKERS[number % len(MARKERS)], *xy(i, points[i][1]), f"chart-marker {css}"))
        y = legend_top + number * (FONT + 7)
        body.append(f'<line class="chart-line {css}"{dash} x1="{left}" y1="{y - 4}" x2="{left + 26}" y2="{y - 4}"></line>')
        body.append(_marker(MARKERS[number % len(MARKERS)], left + 13, y - 4, f"chart-marker {css}"))
        key = tuple(points)
        same = f"（与{names[first_seen[key]]}重合）" if key in first_seen else ""
        first_seen.setdefault(key, slug)
        body.append(_text(left + 34, y, names[slug] + same))
    body.append(f'<line class="chart-axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"></line>')
    labels = [_short(week) for week, _ in next(iter(series.values()), [])]
    if partial and labels:
        labels[-1] += "（未完）"
    body += _x_ticks(labels, left, step, top + plot_h + 18)
    return _svg(width, height, label, body)


def hbar_chart(rows: list[tuple[str, float, str]], label: str, width: int = WIDTH) -> str:
    """Horizontal bars: (name, value, annotation) per row; the name above its bar, the annotation after it."""
    row_h = FONT + 18
    height = max(len(rows), 1) * row_h + 6
    peak = max((value for _, value, _ in rows), default=0) or 1
    body = []
    for index, (name, value, note) in enumerate(rows):
        y = 4 + index * row_h
        bar_w = (width - 130) * value / peak
        body.append(_text(4, y + FONT, name))
        body.append(f'<rect class="chart-bar" x="4" y="{y + FONT + 4}" width="{bar_w:.1f}" height="10"></rect>')
        body.append(_text(bar_w + 10, y + FONT + 13, note))
    return _svg(width, height, label, body)


def sparkline(points: list[tuple[str, int]], label: str, width: int = 300, height: int = 64, partial: bool = False) -> str:
    """Weekly counts as a line, with the peak, the first week and the last written on it."""
    top, bottom = 6, 20
    plot_h = height - top - bottom
    peak = max((v for _, v in points), default=0)
    step = (width - 40) / max(len(points) - 1, 1)
    coordinates = " ".join(f"{2 + i * step:.1f},{top + plot_h - plot_h * v / (peak or 1):.1f}" for i, (_, v) in enumerate(points))
    body = [f'<polyline class="chart-line" points="{coordinates}"></polyline>']
    if points:
        body.append(_text(width - 2, top + FONT - 2, f"最高 {peak}", "end"))
        body.append(_text(2, height - 4, _short(points[0][0])))
        body.append(_text(width - 2, height - 4, _short(points[-1][0]) + ("（未完）" if partial else ""), "end"))
    return _svg(width, height, label, body, "sparkline")
