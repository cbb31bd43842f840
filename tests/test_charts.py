"""Trend figures and their SVG charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from generator import charts
from generator.build import build, gather

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIGESTS = Path(__file__).resolve().parent / "fixtures" / "samples"
SVG = "{http://www.w3.org/2000/svg}"


def test_weeks_start_on_monday():
    assert charts.week_of("2026-01-14") == "2026-01-12"
    assert charts.all_weeks("2026-01-12", "2026-01-26") == ["2026-01-12", "2026-01-19", "2026-01-26"]


def test_per_day_and_weekly_counts_from_the_samples():
    archive, _ = gather([SAMPLE_DIGESTS], ROOT / "taxonomy.yml")
    assert charts.papers_per_day(archive) == [("2026-01-12", 6), ("2026-01-13", 6), ("2026-01-14", 5)]
    assert charts.weekly_counts(archive, [entry.first_date for entry in archive.entries.values()]) == [("2026-01-12", 16)]


def test_rising_tags_compare_the_newest_week_with_the_four_before():
    archive, _ = gather([SAMPLE_DIGESTS], ROOT / "taxonomy.yml")
    rising = charts.rising_tags(archive)
    assert rising and all(r.before == 0 and r.recent >= 1 for r in rising)
    assert rising == sorted(rising, key=lambda r: (-r.ratio, -r.recent, r.slug))


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def test_charts_are_accessible_svg_with_escaped_labels():
    svg = _parse(charts.bar_chart([("2026-01-12", 3), ("<b>", 5)], "每日 <论文>"))
    assert svg.get("role") == "img" and svg.get("aria-label") == "每日 <论文>"
    assert len(svg.findall(f"{SVG}rect")) == 2
    line = _parse(charts.line_chart({"cv": [("2026-01-05", 1), ("2026-01-12", 3)]}, {"cv": "视觉"}, "领域"))
    # peak 3 at the top (y 22), value 1 a third up the 170-high plot; x spans the 356-wide plot
    assert line.find(f"{SVG}polyline").get("points") == "34.0,135.3 390.0,22.0"
    assert _parse(charts.sparkline([("2026-01-05", 1)], "x")).get("class") == "sparkline"


def test_series_differ_by_dash_and_marker_and_coinciding_ones_are_named():
    same = [("2026-01-05", 1), ("2026-01-12", 2)]
    svg = _parse(charts.line_chart({"a": same, "b": same, "c": [("2026-01-05", 0), ("2026-01-12", 1)]}, {"a": "甲", "b": "乙", "c": "丙"}, "x"))
    lines = [p for p in svg.findall(f"{SVG}polyline") if "chart-marker" not in p.get("class")]
    assert [p.get("stroke-dasharray") for p in lines] == [None, "6 3", "2 3"]
    assert [t.text for t in svg.findall(f"{SVG}text") if t.text in ("甲", "乙（与甲重合）", "丙")] == ["甲", "乙（与甲重合）", "丙"]
    assert len(svg.findall(f"{SVG}circle")) and len(svg.findall(f"{SVG}polygon"))  # circles, squares and triangles


def test_a_week_not_yet_over_is_marked_partial():
    points = [("2026-01-05", 4), ("2026-01-12", 1)]
    svg = _parse(charts.line_chart({"a": points}, {"a": "甲"}, "x", partial=True))
    assert [p.get("class") for p in svg.findall(f"{SVG}polyline")][:2] == ["chart-line chart-series-0", "chart-line chart-partial chart-series-0"]
    assert "01-12（未完）" in [t.text for t in svg.findall(f"{SVG}text")]
    spark = _parse(charts.sparkline(points, "x", partial=True))
    assert [t.text for t in spark.findall(f"{SVG}text")] == ["最高 4", "01-05", "01-12（未完）"]


def test_axes_have_ticks_and_units():
    svg = _parse(charts.bar_chart([(f"2026-01-{d:02d}", d) for d in range(1, 11)], "x"))
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert texts == ["篇", "0", "5", "10", "01-01", "01-05", "01-10"]


def test_the_newest_week_is_partial_unless_it_ends_on_a_sunday():
    archive, _ = gather([SAMPLE_DIGESTS], ROOT / "taxonomy.yml")  # newest day 2026-01-14, a Wednesday
    assert charts.newest_week_is_partial(archive)


def test_trends_page_has_three_charts_with_tables(tmp_path):
    build(SAMPLE_DIGESTS, tmp_path, ROOT / "taxonomy.yml")
    page = (tmp_path / "stats" / "index.md").read_text(encoding="utf-8")
    assert page.count("<svg ") == 3
    assert page.count("| --- |") >= 2
    field_page = (tmp_path / "fields" / "robotics.md").read_text(encoding="utf-8")
    assert '<svg class="sparkline"' in field_page


def test_all_weeks_never_overflows_and_stays_bounded():
    assert charts.all_weeks("9999-12-31", "9999-12-31") == ["9999-12-27"]
    weeks = charts.all_weeks("0001-01-01", "9999-12-31")
    assert len(weeks) == charts.MAX_WEEKS and weeks[-1] == "9999-12-27"
    assert charts.all_weeks("2026-01-20", "2026-01-10") == []
