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
MARKED_POINTS = 60


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


def _svg(width: int, height: int, label: str, body: list[str], css_class: str = "chart") -> str:
    label = escape(label)
    # The accessible name is the aria-label (no <title>: page sanitising treats
    # <title> as a tag that swallows text); the pages show the numbers as tables.
    return f'<svg class="{css_class}" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">' + "".join(body) + "</svg>"


def bar_chart(points: list[tuple[str, int]], label: str, width: int = 760, height: int = 220) -> str:
    """Vertical bars, one per point, with the first and last labels and the maximum."""
    left, bottom, top = 36, 24, 12
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = max((v for _, v in points), default=0) or 1
    step = plot_w / max(len(points), 1)
    body = [
        f'<line class="chart-axis" x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}"></line>',
        f'<text class="chart-text" x="{left - 4}" y="{top + 8}" text-anchor="end">{peak}</text>',
        f'<text class="chart-text" x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for index, (name, value) in enumerate(points):
        bar_h = plot_h * value / peak
        x = left + index * step
        body.append(
            f'<rect class="chart-bar" x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{max(step * 0.8, 0.8):.1f}" '
            f'height="{bar_h:.1f}"></rect>'
        )
    if points:
        body.append(f'<text class="chart-text" x="{left}" y="{height - 6}">{escape(points[0][0])}</text>')
        body.append(f'<text class="chart-text" x="{width - 8}" y="{height - 6}" text-anchor="end">{escape(points[-1][0])}</text>')
    return _svg(width, height, label, body)


def line_chart(series: dict[str, list[tuple[str, int]]], names: dict[str, str], label: str, width: int = 760, height: int = 260) -> str:
    """One line per series over shared x labels, with a legend."""
    left, bottom, top, legend_w = 36, 24, 12, 150
    plot_w, plot_h = width - left - legend_w - 8, height - bottom - top
    peak = max((v for points in series.values() for _, v in points), default=0) or 1
    length = max((len(points) for points in series.values()), default=0)
    step = plot_w / max(length - 1, 1)
    body = [
        f'<line class="chart-axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"></line>',
        f'<text class="chart-text" x="{left - 4}" y="{top + 8}" text-anchor="end">{peak}</text>',
        f'<text class="chart-text" x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for number, (slug, points) in enumerate(series.items()):
        coordinates = " ".join(
            f"{left + i * step:.1f},{top + plot_h - plot_h * value / peak:.1f}" for i, (_, value) in enumerate(points)
        )
        body.append(f'<polyline class="chart-line chart-series-{number}" points="{coordinates}"></polyline>')
        if len(points) <= MARKED_POINTS:
            # Markers, so a series of one week (or a few) is visible at all.
            for i, (_, value) in enumerate(points):
                x, y = left + i * step, top + plot_h - plot_h * value / peak
                body.append(f'<rect class="chart-swatch chart-series-{number}" x="{x - 2.5:.1f}" y="{y - 2.5:.1f}" width="5" height="5"></rect>')
        y = top + 10 + number * 18
        body.append(f'<rect class="chart-swatch chart-series-{number}" x="{width - legend_w}" y="{y - 8}" width="10" height="10"></rect>')
        body.append(f'<text class="chart-text" x="{width - legend_w + 16}" y="{y + 1}">{escape(names[slug])}</text>')
    first = next(iter(series.values()), [])
    if first:
        body.append(f'<text class="chart-text" x="{left}" y="{height - 6}">{escape(first[0][0])}</text>')
        body.append(f'<text class="chart-text" x="{left + plot_w}" y="{height - 6}" text-anchor="end">{escape(first[-1][0])}</text>')
    return _svg(width, height, label, body)


def hbar_chart(rows: list[tuple[str, float, str]], label: str, width: int = 760) -> str:
    """Horizontal bars: (name, value, annotation) per row."""
    row_h, name_w = 22, 180
    height = max(len(rows), 1) * row_h + 8
    peak = max((value for _, value, _ in rows), default=0) or 1
    body = []
    for index, (name, value, note) in enumerate(rows):
        y = 4 + index * row_h
        bar_w = (width - name_w - 140) * value / peak
        body.append(f'<text class="chart-text" x="{name_w - 6}" y="{y + 14}" text-anchor="end">{escape(name)}</text>')
        body.append(f'<rect class="chart-bar" x="{name_w}" y="{y + 3}" width="{bar_w:.1f}" height="{row_h - 6}"></rect>')
        body.append(f'<text class="chart-text" x="{name_w + bar_w + 6:.1f}" y="{y + 14}">{escape(note)}</text>')
    return _svg(width, height, label, body)


def sparkline(points: list[tuple[str, int]], label: str, width: int = 240, height: int = 40) -> str:
    peak = max((v for _, v in points), default=0) or 1
    step = (width - 4) / max(len(points) - 1, 1)
    coordinates = " ".join(f"{2 + i * step:.1f},{height - 2 - (height - 4) * v / peak:.1f}" for i, (_, v) in enumerate(points))
    return _svg(width, height, label, [f'<polyline class="chart-line" points="{coordinates}"></polyline>'], "sparkline")
