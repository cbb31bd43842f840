"""``python -m bench --days N --papers-per-day M [--workdir DIR] [--keep] [--skip-browser] [--skip-floor] [--json OUT] [--profile]``."""

from __future__ import annotations

import argparse
import json
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import browser, linear, publish, report, run, site, synth

ROOT = Path(__file__).resolve().parent.parent

# Used only when the project has no taxonomy.yml yet.
FALLBACK_TAXONOMY = """\
fields:
  - {slug: cv, zh: 计算机视觉, en: Computer Vision, aliases: [计算机视觉, CV, Computer Vision]}
  - {slug: nlp, zh: 自然语言处理, en: Natural Language Processing, aliases: [自然语言处理, NLP]}
  - {slug: multimodal, zh: 多模态, en: Multimodal, aliases: [多模态, Multimodal]}
tags:
  - {slug: video-generation, zh: 视频生成, en: Video Generation, field: cv, aliases: [视频生成, Video Generation]}
  - {slug: agents, zh: 智能体, en: Agents, field: nlp, aliases: [智能体, Agent, Agents]}
  - {slug: reinforcement-learning, zh: 强化学习, en: Reinforcement Learning, field: nlp, aliases: [强化学习, RL]}
"""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def taxonomy_for(work: Path) -> Path:
    """A snapshot of the project's taxonomy (so edits during the run do not matter), or a small one."""
    target = work / "taxonomy.yml"
    source = ROOT / "taxonomy.yml"
    if source.is_file():
        shutil.copyfile(source, target)
    else:
        log("no taxonomy.yml in the project: using a small built-in one")
        target.write_text(FALLBACK_TAXONOMY, encoding="utf-8")
    return target


def name_query() -> str:
    """The short name of the archive's oldest paper: found by name however old it is."""
    return synth.paper_name(1)


def profile_top(profile: Path, limit: int = 10, key: int = 3) -> list[dict]:
    """The top functions by cumulative (``key=3``) or own (``key=2``) time."""
    stats = pstats.Stats(str(profile))
    rows = []
    for (file, line, function), (_, calls, tottime, cumtime, _) in sorted(stats.stats.items(), key=lambda item: -item[1][key]):
        if function in ("<module>", "<built-in method builtins.exec>", "_run_code", "_run_module_as_main", "run_module", "main", "runctx", "exec", "<built-in method exec>"):
            continue
        rows.append({"function": f"{Path(file).name}:{line}({function})", "calls": calls, "tottime_s": round(tottime, 3), "cumtime_s": round(cumtime, 3)})
        if len(rows) == limit:
            break
    return rows


def median_run(runs: list[dict]) -> dict:
    """The run of median time, with every run's time beside it."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    return {**ordered[(len(ordered) - 1) // 2], "runs_seconds": [round(r["seconds"], 2) for r in runs]}


def clean_workdir(work: Path) -> None:
    for name in ("digests", "docs", "docs-profile", "site", "site.tmp", "site.old", "site-floor", "dist", "cache", "logs"):
        shutil.rmtree(work / name, ignore_errors=True)
    for extra in work.glob("docs-cold-*"):
        shutil.rmtree(extra, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--years", type=float, help="the archive's age in years (365 days each); overrides --days")
    parser.add_argument("--papers-per-day", type=int, default=38)
    parser.add_argument("--workdir", type=Path, help="work folder (default: a temporary one, removed unless --keep)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    parser.add_argument("--skip-browser", action="store_true", help="no headless Chromium search timing")
    parser.add_argument("--skip-mkdocs", action="store_true", help="generator figures only")
    parser.add_argument("--skip-floor", action="store_true", help="no floor build (the full / floor ratio is then n/a)")
    parser.add_argument("--skip-linear", action="store_true", help="no parse and Markdown timings at two input sizes")
    parser.add_argument("--profile", action="store_true", help="also profile a cold generator run (cProfile, top 10 cumulative)")
    parser.add_argument("--repeats", type=int, default=3, help="browser runs per query (median)")
    parser.add_argument("--runs", type=int, default=3, help="timed cold and add-a-day generator runs (median)")
    parser.add_argument("--query", action="append", help="search query for the browser (repeatable; default: a paper's short name and 视频生成)")
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    args = parser.parse_args(argv)
    if args.years:
        args.days = round(365 * args.years)

    if args.workdir:
        work = args.workdir.resolve()
        work.mkdir(parents=True, exist_ok=True)
        clean_workdir(work)
        temporary = False
    else:
        work = Path(tempfile.mkdtemp(prefix="daily-papers-bench-"))
        temporary = True
    log(f"work folder {work}")
    digests, docs, logs = work / "digests", work / "docs", work / "logs"
    figures: dict = {"machine": report.machine(), "workdir": str(work)}
    try:
        taxonomy = taxonomy_for(work)
        pool = synth.load_pool(synth.source_digests(ROOT))
        start = time.perf_counter()
        archive = synth.synthesize(digests, pool, args.days, args.papers_per_day)
        figures["size"] = {
            "days": args.days,
            "papers_per_day": args.papers_per_day,
            "papers": archive.papers,
            "first_date": archive.dates[0].isoformat(),
            "last_date": archive.dates[-1].isoformat(),
            "source_papers": len(pool.papers),
            "synthesis_s": round(time.perf_counter() - start, 3),
        }
        log(f"synthesized {archive.papers} papers in {args.days} digests from {len(pool.papers)} real papers")

        gen: dict = {}
        # Each timed generator run is repeated (--runs) and the median kept.
        colds = []
        for attempt in range(args.runs):
            # Each cold run writes into a folder of its own, the last into docs/:
            # deleting a year of pages keeps this machine's disk busy for
            # seconds afterwards, which would be timed as the next run's writing.
            target = docs if attempt == args.runs - 1 else work / f"docs-cold-{attempt + 1}"
            site.prepare_docs(ROOT, target)
            result, summary = run.generator_build(digests, target, taxonomy, logs, f"generator-cold-{attempt + 1}")
            colds.append({"seconds": result.seconds, "peak_rss_bytes": result.peak_rss_bytes, **summary})
            log(f"generator cold {attempt + 1}/{args.runs}: {result.seconds:.2f} s, {summary['written']} written")
        gen["cold"] = median_run(colds)
        result, summary = run.generator_build(digests, docs, taxonomy, logs, "generator-noop")
        gen["noop"] = {"seconds": result.seconds, "peak_rss_bytes": result.peak_rss_bytes, **summary}
        log(f"generator noop: {result.seconds:.2f} s, {summary['written']} written")
        adds = []
        for attempt in range(args.runs):
            # The synthesis state the added day consumes (returning papers, serial numbers), put back
            # below with the day: every attempt, and the publish below, add the same day.
            saved = (archive.serial, list(archive.returning))
            extra = synth.add_day(archive, pool, args.papers_per_day)
            result, summary = run.generator_build(digests, docs, taxonomy, logs, f"generator-add-day-{attempt + 1}")
            adds.append({"seconds": result.seconds, "peak_rss_bytes": result.peak_rss_bytes, "date": extra.stem, **summary})
            log(f"generator add a day {attempt + 1}/{args.runs}: {result.seconds:.2f} s, {summary['written']} written")
            # Back to the N-day archive, for the next attempt and for the site measured below.
            extra.unlink()
            archive.ids.pop(archive.dates.pop().isoformat())
            archive.serial, archive.returning = saved
            _, summary = run.generator_build(digests, docs, taxonomy, logs, f"generator-restore-{attempt + 1}")
            gen["restore"] = summary
        gen["add_day"] = median_run(adds)
        figures["generator"] = gen

        if args.profile:
            profile_docs = work / "docs-profile"
            profile = logs / "generator-cold.prof"
            run.generator_build(digests, profile_docs, taxonomy, logs, "generator-profile", profile=profile)
            figures["profile_cold_top10"] = profile_top(profile)
            figures["profile_cold_top10_own_time"] = profile_top(profile, key=2)
            shutil.rmtree(profile_docs, ignore_errors=True)

        if not args.skip_mkdocs:
            env = {"DAILY_PAPERS_DIGESTS": str(digests), "DAILY_PAPERS_TAXONOMY": str(taxonomy), "NO_MKDOCS_2_WARNING": "1"}
            mk: dict = {}
            # The full build is a first `make site` (bench/publish.py): into site.tmp, its page records
            # written to cache/site.json, the previous site (site/) not there yet; then swapped in.
            config = site.write_config(ROOT, work / "mkdocs-full.yml", docs, work / "site", floor=False)
            log("mkdocs build (full, recording the site cache's state) ...")
            mk["full"] = publish.site(config, work, logs, "mkdocs-full", env)
            log(f"mkdocs build (full): {mk['full']['seconds']:.1f} s, peak {mk['full']['peak_rss_bytes'] / report.MB:.0f} MB, "
                f"{mk['full']['warnings']} warnings; {mk['full']['site_cache']['line']}")
            if not args.skip_floor:
                floor_config = site.write_config(ROOT, work / "mkdocs-floor.yml", docs, work / "site-floor", floor=True)
                log("mkdocs build (floor) ...")
                mk["floor"] = publish.mkdocs_build(floor_config, work, logs, "mkdocs-floor", env)
                log(f"mkdocs build (floor): {mk['floor']['seconds']:.1f} s, peak {mk['floor']['peak_rss_bytes'] / report.MB:.0f} MB")
            mk["ratio"] = mk["full"]["seconds"] / mk["floor"]["seconds"] if "floor" in mk else None
            figures["mkdocs"] = mk

            # The site measured (and searched) is the N-day one, before the day is added below.
            built = work / "site"
            total, files = site.tree_size(built)
            largest, largest_page = site.largest_paper_page(built)
            largest_html, largest_html_page = site.largest_html_page(built)
            figures["site"] = {
                "days": len(archive.dates),
                "bytes": total,
                "files": files,
                "largest_paper_page_bytes": largest,
                "largest_paper_page": largest_page,
                "largest_html_page_bytes": largest_html,
                "largest_html_page": largest_html_page,
                "search_index": site.search_index_size(built),
                "pages_artifact": site.pages_artifact_size(built),
            }

            if not args.skip_browser:
                newest = archive.ids[archive.dates[-1].isoformat()][0]
                queries = args.query or [name_query(), "视频生成"]
                log(f"headless Chromium: {queries} on papers/{newest}/")
                figures["browser"] = browser.measure(built, f"papers/{newest}/", queries, repeats=args.repeats)

            # Add a day and publish, as CI does: the generator, then `make site` with the previous
            # build, then `make offline` (the zip of that site).
            extra = synth.add_day(archive, pool, args.papers_per_day)
            generated, summary = run.generator_build(digests, docs, taxonomy, logs, "publish-generator")
            log(f"publish: generator {generated.seconds:.2f} s, {summary['written']} written")
            published = publish.site(config, work, logs, "publish-mkdocs", env)
            log(f"publish: mkdocs build {published['seconds']:.1f} s; {published['site_cache']['line']}")
            offline = publish.offline(work, logs, "offline")
            log(f"offline copy: zip {offline['seconds']:.1f} s, {offline['bytes'] / report.MB:.0f} MB")
            publish_s = generated.seconds + published["seconds"] + published["swap_s"]
            figures["publish"] = {
                "date": extra.stem,
                "seconds": publish_s,  # the generator, the incremental mkdocs build and the folders' swap
                "generator": {"seconds": generated.seconds, "peak_rss_bytes": generated.peak_rss_bytes, **summary},
                "mkdocs": published,
            }
            offline["share_of_publish"] = offline["seconds"] / publish_s
            figures["offline"] = offline

        if not args.skip_linear:
            log("parse and Markdown stages at two input sizes ...")
            figures["linear"] = linear.measure()

        print(report.table(figures))
        if "site" in figures:
            per_paper = figures["site"]["bytes"] / max(1, figures["size"]["papers"])  # the N-day site and archive
            five_years = report.at_five_years(figures["site"]["bytes"], figures["size"])
            print(f"\nSite bytes per paper: {per_paper / report.KB:.1f} kB; projected to five years at {args.papers_per_day} papers a day "
                  f"({args.papers_per_day * 365 * 5:,} papers): {five_years / report.GB:.2f} GB (GitHub Pages: 1 GB)")
        if "linear" in figures:
            print("\nTime at two input sizes (linear: a ratio near 10; tests/test_properties.py checks the same shapes without a clock):\n")
            print(linear.table(figures["linear"]))
        for key, label in (("profile_cold_top10", "cumulative"), ("profile_cold_top10_own_time", "own")):
            if key not in figures:
                continue
            print(f"\nGenerator cold run under cProfile (inflates times ~3x), top 10 by {label} time:\n")
            print("| function | calls | tottime s | cumtime s |\n|---|---|---|---|")
            for row in figures[key]:
                print(f"| {row['function']} | {row['calls']} | {row['tottime_s']} | {row['cumtime_s']} |")
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    finally:
        if temporary and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        elif temporary:
            log(f"kept {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
