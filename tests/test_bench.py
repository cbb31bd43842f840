"""The benchmark's synthetic archive: exact, deterministic, and parseable (no timing)."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIGESTS = Path(__file__).resolve().parent / "fixtures" / "samples"
if str(ROOT) not in sys.path:  # bench/ is a top-level package of the checkout, not installed
    sys.path.insert(0, str(ROOT))

from bench import synth  # noqa: E402
from generator.parse import parse_file  # noqa: E402

DAYS, PER_DAY = 3, 5


@pytest.fixture(scope="module")
def pool() -> synth.Pool:
    return synth.load_pool(sorted(SAMPLE_DIGESTS.glob("*.md")))


@pytest.fixture(scope="module")
def archive(pool, tmp_path_factory) -> synth.Archive:
    return synth.synthesize(tmp_path_factory.mktemp("bench") / "digests", pool, DAYS, PER_DAY)


def test_file_names_and_dates(archive):
    names = sorted(p.name for p in archive.folder.iterdir())
    assert names == ["2026-06-28.md", "2026-06-29.md", "2026-06-30.md"]
    for name in names:
        text = (archive.folder / name).read_text(encoding="utf-8")
        date = name[:-3]
        assert f"**Date**: {date}\n" in text
        assert f"**Source URL**: https://huggingface.co/papers/date/{date}\n" in text
        assert "2026-01-18" not in text and "2026-01-19" not in text


def test_ids_unique_and_derived_from_date_and_position(archive):
    all_ids = []
    for date, ids in archive.ids.items():
        day = dt.date.fromisoformat(date)
        assert ids == [f"2606.{day.day:02d}{n:03d}" for n in range(1, PER_DAY + 1)]
        text = (archive.folder / f"{date}.md").read_text(encoding="utf-8")
        assert re.findall(r"https://huggingface\.co/papers/(\d{4}\.\d{4,5})", text) == ids
        all_ids += ids
    assert len(all_ids) == len(set(all_ids)) == DAYS * PER_DAY


def test_every_paper_is_distinct(archive):
    from generator.tokens import name_like_terms

    titles, names, contributions, term_sets = [], [], [], []
    for date in archive.dates:
        digest, _ = parse_file(archive.folder / f"{date.isoformat()}.md")
        for paper in digest.papers:
            titles.append(paper.title)
            names.append(paper.short_name)
            contributions.append(paper.contribution)
            term_sets.append(frozenset(name_like_terms(paper.part("usage") + paper.part("results"))))
    assert len(set(titles)) == len(titles) and len(set(names)) == len(names) and all(names)
    assert len(set(contributions)) > len(contributions) * 0.9  # parts are recombined across the source papers
    assert len(set(term_sets)) == len(term_sets)  # each paper has Latin terms of its own


def test_fields_come_from_the_real_field_lines(pool, archive):
    real = {paper.field_text for paper in pool.papers}
    for date in archive.dates:
        digest, _ = parse_file(archive.folder / f"{date.isoformat()}.md")
        assert all(paper.field_text in real for paper in digest.papers)


def test_parses_cleanly_with_the_generator(pool, archive):
    for date in archive.dates:
        digest, diagnostics = parse_file(archive.folder / f"{date.isoformat()}.md")
        assert digest is not None and digest.date == date.isoformat()
        assert [p.arxiv_id for p in digest.papers] == archive.ids[date.isoformat()]
        assert not [d for d in diagnostics if d.level == "error"]


def test_some_papers_return_on_a_later_day(pool, tmp_path):
    archive = synth.synthesize(tmp_path / "digests", pool, 30, 20)
    appearances = [arxiv_id for ids in archive.ids.values() for arxiv_id in ids]
    returning = len(appearances) - len(set(appearances))
    assert 0.01 * len(appearances) < returning < 0.06 * len(appearances)


def test_add_day_continues_the_archive(pool, tmp_path):
    archive = synth.synthesize(tmp_path / "digests", pool, 2, 4)
    path = synth.add_day(archive, pool, 4)
    assert path.name == "2026-07-01.md"
    earlier = {arxiv_id for date, ids in archive.ids.items() if date != "2026-07-01" for arxiv_id in ids}
    new = [arxiv_id for arxiv_id in archive.ids["2026-07-01"] if arxiv_id not in earlier]
    assert len(archive.ids["2026-07-01"]) == 4
    assert new == [f"2607.01{n:03d}" for n in range(1, len(new) + 1)]  # returning papers come first, then new ones
    # Same size and day count give the same bytes.
    again = synth.synthesize(tmp_path / "again", pool, 2, 4)
    for date in again.dates:
        name = f"{date.isoformat()}.md"
        assert (again.folder / name).read_bytes() == (archive.folder / name).read_bytes()


def test_median_run_keeps_the_middle_run_and_every_time():
    from bench.__main__ import median_run

    runs = [{"seconds": 11.0, "written": 1}, {"seconds": 9.5, "written": 2}, {"seconds": 10.0, "written": 3}]
    assert median_run(runs) == {"seconds": 10.0, "written": 3, "runs_seconds": [11.0, 9.5, 10.0]}
    assert median_run(runs[:1]) == {"seconds": 11.0, "written": 1, "runs_seconds": [11.0]}


def test_a_median_and_its_runs_are_shown_with_the_same_rounding():
    from bench.report import _timed

    assert _timed({"seconds": 2.85, "runs_seconds": [2.853, 2.85, 2.98]}) == "2.85 s (median of 2.85, 2.85, 2.98 s)"
    assert _timed({"seconds": 0.4}) == "0.40 s"


def test_the_site_cache_line_is_read_from_a_build_log():
    from bench.publish import site_cache

    log = "INFO    -  Cleaning site directory\nINFO    -  site cache: 15717 pages copied from /w/site, 289 rendered\nINFO    -  Documentation built\n"
    assert site_cache(log) == {
        "mode": "incremental", "rendered": 289, "copied": 15717, "reason": None,
        "line": "site cache: 15717 pages copied from /w/site, 289 rendered",
    }
    full = site_cache("INFO    -  site cache: full build (global inputs changed: sources/generator), 610 pages rendered\n")
    assert (full["mode"], full["rendered"], full["copied"], full["reason"]) == ("full", 610, 0, "global inputs changed: sources/generator")
    off = site_cache("INFO    -  site cache: off (MkDocs 1.7.0 is not one of 1.6.0, 1.6.1)\n")
    assert (off["mode"], off["rendered"], off["reason"]) == ("off", None, "MkDocs 1.7.0 is not one of 1.6.0, 1.6.1")
    assert site_cache("INFO    -  Documentation built\n")["mode"] is None


def _figures(floor: bool) -> dict:
    def build(seconds, mode, rendered, copied=0, reason=None):
        cache = {"mode": mode, "rendered": rendered, "copied": copied, "reason": reason, "line": ""}
        return {"seconds": seconds, "peak_rss_bytes": 200_000_000, "warnings": 0, "warning_sample": [], "site_cache": cache}

    mk = {"full": {**build(137.2, "full", 15_000, reason="no previous build state"), "swap_s": 0.0}}
    if floor:
        mk["floor"] = {"seconds": 122.5, "peak_rss_bytes": 100_000_000, "warnings": 0, "warning_sample": []}
    mk["ratio"] = mk["full"]["seconds"] / mk["floor"]["seconds"] if floor else None
    generator = {"seconds": 24.8, "peak_rss_bytes": 1, "written": 1399}
    return {
        "machine": {"nproc": 2, "cpu": "x", "ram_bytes": 1, "python": "3.11", "packages": {}},
        "size": {"days": 365, "papers_per_day": 38, "papers": 13_870},
        "generator": {"cold": {"seconds": 40.6, "written": 30_523, "peak_rss_bytes": 1}, "noop": {"seconds": 0.6, "written": 0},
                      "add_day": {"seconds": 24.8, "written": 1399}},
        "mkdocs": mk,
        "publish": {"date": "2026-07-01", "seconds": 35.0, "generator": generator, "mkdocs": {**build(9.2, "incremental", 289, 15_717), "swap_s": 1.0}},
        "offline": {"seconds": 5.1, "share_of_publish": 5.1 / 35.0, "peak_rss_bytes": 30_000_000, "bytes": 130_000_000},
    }


def test_the_table_shows_the_publish_and_the_offline_copy():
    from bench.report import missed, table

    text = table(_figures(floor=True))
    publish = next(line for line in text.splitlines() if "and publish" in line)
    assert "35.0 s: generator 24.8 s (1399 files written)" in publish and "9.2 s (289 pages rendered, 15,717 taken over" in publish
    assert publish.endswith(") + swapping the site folders 1.0 s |  |  |")
    offline = next(line for line in text.splitlines() if "offline copy" in line)
    assert "5.1 s = +15% of the publish: the zip of the site (130 MB" in offline and "| ok |" in offline
    assert "1.12x" in text and "15,000 pages rendered, state recorded" in text
    share = next(line for line in text.splitlines() if "generator share" in line)
    assert share == "| generator share of a cold `make site` | 23% (40.6 s of 177.8 s) | <= 10% | **missed** |"
    assert missed(_figures(floor=True)) == ["generator share of a cold `make site`"]


def test_without_the_floor_build_the_ratio_is_not_applicable():
    from bench.report import missed, table

    text = table(_figures(floor=False))
    assert "| full / floor | n/a | <= 1.3x |  |" in text
    assert "skipped (--skip-floor)" in text
    assert "full / floor" not in missed(_figures(floor=False))


def test_without_mkdocs_only_the_generator_is_reported():
    from bench.report import table

    figures = _figures(floor=True)
    for key in ("mkdocs", "publish", "offline"):
        del figures[key]
    text = table(figures)
    assert "publish" not in text and "offline" not in text and "generator no-op" in text


def test_peak_memory_is_the_larger_process_projected_to_five_years_against_four_gigabytes():
    from bench.report import table

    figures = _figures(floor=True)
    figures["generator"]["cold"]["peak_rss_bytes"] = 1_500_000_000  # 13,870 papers: x 69,350 / 13,870 = x 5
    row = next(line for line in table(figures).splitlines() if "peak memory" in line)
    assert row == ("| peak memory of a full build, projected to five years | 7.5 GB (generator 1500 MB, `mkdocs build` 200 MB now)"
                   " | <= 4 GB | **missed** |")
    figures["generator"]["cold"]["peak_rss_bytes"] = 100_000_000
    row = next(line for line in table(figures).splitlines() if "peak memory" in line)
    assert row.endswith("| 1.0 GB (generator 100 MB, `mkdocs build` 200 MB now) | <= 4 GB | ok |")


def _site_figures(**extra) -> dict:
    """The bench's site figures for 13,870 papers at 20.4 kB each, with ``extra`` beside them."""
    index = {"raw_bytes": 1, "gzip_bytes": 1, "files": 1, "largest_shard_raw_bytes": 1, "largest_shard_gzip_bytes": 1,
             "material_search_index_json_bytes": 0}
    return {"bytes": 13_870 * 20_400, "files": 30_000, "largest_paper_page_bytes": 18_700, "search_index": index, **extra}


def test_site_bytes_a_paper_are_projected_to_five_years_against_one_gigabyte():
    from bench.report import table

    figures = _figures(floor=True)
    figures["site"] = _site_figures()
    row = next(line for line in table(figures).splitlines() if "site bytes a paper" in line)
    assert row == "| site bytes a paper, projected to five years | 20.4 kB: 1.41 GB | <= 14 kB: 1 GB | **missed** |"


def test_the_pages_artifact_is_projected_to_five_years_against_deploy_pages_limit():
    from bench.report import table

    figures = _figures(floor=True)
    figures["site"] = _site_figures(pages_artifact={"tar_bytes": 13_870 * 21_000, "zipped_bytes": 13_870 * 9_000})
    row = next(line for line in table(figures).splitlines() if "what the workflow uploads" in line)
    assert row == ("| what the workflow uploads to Pages (the site's tar, zipped), projected to five years "
                   "| 125 MB now (291 MB as a tar): 0.62 GB | <= 1 GB (deploy-pages warns above 1 GiB) | ok |")


def test_the_pages_artifact_is_measured_as_gnu_tar_writes_it_and_deflate_packs_it(tmp_path):
    import io
    import shutil
    import subprocess
    import tarfile
    import zlib

    from bench.site import pages_artifact_size

    site = tmp_path / "site"
    (site / "papers" / "2601.00001").mkdir(parents=True)
    (site / "index.html").write_text("<p>首页</p>\n" * 500, encoding="utf-8")
    (site / "papers" / "2601.00001" / "index.html").write_text("<p>论文</p>\n" * 2_000, encoding="utf-8")
    (site / "search").mkdir()
    (site / "search" / ("n" * 120 + ".js")).write_text("x" * 40_000)  # a name tar stores in a long-name entry
    measured = pages_artifact_size(site)

    written = io.BytesIO()  # the same tar in one piece: the streamed count must equal its deflated size
    with tarfile.open(fileobj=written, mode="w", format=tarfile.GNU_FORMAT, dereference=True) as archive:
        archive.add(site, arcname=".")
    deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    packed = len(deflate.compress(written.getvalue())) + len(deflate.flush())
    assert measured == {"tar_bytes": len(written.getvalue()), "zipped_bytes": packed}
    if shutil.which("tar"):  # what actions/upload-pages-artifact runs
        subprocess.run(["tar", "--directory", str(site), "-cf", str(tmp_path / "artifact.tar"), "."], check=True)
        assert measured["tar_bytes"] == (tmp_path / "artifact.tar").stat().st_size


def test_the_largest_html_page_is_looked_for_in_every_folder(tmp_path):
    from bench.site import largest_html_page

    site = tmp_path / "site"
    (site / "papers" / "2601.00001").mkdir(parents=True)
    (site / "tags" / "video" / "2026-01").mkdir(parents=True)
    (site / "papers" / "2601.00001" / "index.html").write_text("p" * 1_000)
    (site / "tags" / "video" / "2026-01" / "index.html").write_text("t" * 3_000)
    (site / "search").mkdir()
    (site / "search" / "big.js").write_text("j" * 9_000)  # not a page
    assert largest_html_page(site) == (3_000, "tags/video/2026-01/index.html")


def test_the_largest_html_page_row_is_judged_against_200_kilobytes():
    from bench.report import table

    figures = _figures(floor=True)
    figures["site"] = _site_figures(largest_html_page_bytes=201_000, largest_html_page="tags/video/index.html")
    row = next(line for line in table(figures).splitlines() if "largest HTML page" in line)
    assert row == "| largest HTML page of any kind | 201.0 kB (tags/video/index.html) | <= 200 kB | **missed** |"


def test_a_query_row_shows_when_the_first_result_came_and_what_the_search_fetched():
    from bench.report import table

    figures = _figures(floor=True)
    result = {"since_load_s": 1.4, "since_navigation_s": 2.49, "since_typed_s": 0.69, "load_s": 1.09,
              "first_result": "ToolVox-11: Pure Interactive Molecular Video", "search_files": 7, "search_bytes": 151_400}
    figures["browser"] = {"chromium_version": "156", "queries": {"ToolVox-11": result}}
    row = next(line for line in table(figures).splitlines() if "first search result" in line)
    assert row == (
        "| first search result, `ToolVox-11` | 1.40 s after load (2.49 s after navigation start, 0.69 s after typing); "
        "first: ToolVox-11: Pure Interactive Molecular V; fetched 7 search files, 151 kB | <= 1.0 s after typing | ok |"
    )


def test_search_fetched_counts_the_files_of_the_paper_search_only():
    from bench.browser import search_fetched

    served = [("/papers/2601.00001/", 13_000), ("/search/manifest.js", 6_000), ("/search/t/3.js", 30_000),
              ("/search/d/0/12.js", 2_500), ("/assets/javascripts/search-worker.js", 9_000)]
    assert search_fetched(served) == {"search_files": 3, "search_bytes": 38_500}


def test_the_stages_of_a_build_are_timed_in_the_builds_order(tmp_path, capsys):
    from bench import stages
    from generator.build import build

    docs = tmp_path / "docs"
    build(SAMPLE_DIGESTS, docs, ROOT / "taxonomy.yml")

    def files() -> dict:
        return {path.relative_to(docs): (path.stat().st_size, path.stat().st_mtime_ns) for path in docs.rglob("*") if path.is_file()}

    before = files()
    assert stages.main([str(SAMPLE_DIGESTS), str(docs), str(ROOT / "taxonomy.yml")]) == 0
    printed = [line.split(" s  ", 1)[1] for line in capsys.readouterr().out.splitlines()]
    assert printed == [
        "read, parse and analyse (memo), merge", "related papers and mentions", "search index", "pages", "feeds",
        "cards (those on disk with their key are kept)",
    ]
    assert files() == before  # nothing written, nothing removed


def test_the_stages_command_says_how_to_call_it(capsys):
    from bench import stages

    assert stages.main([]) == 2
    assert capsys.readouterr().err == "usage: python -m bench.stages DIGESTS DOCS TAXONOMY\n"
