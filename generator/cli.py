"""Command line: ``python -m generator check|dump|build|search|taxonomy``.

Thin on purpose: each command parses its arguments, calls the library and
prints. Exit codes: 0 success, 1 problems found in the input (errors, or
warnings with ``--strict``), 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__, paths
from .model import ERROR, WARNING
from .parse import parse_file
from .sources import find_digests, load_digests


def _print_diagnostics(diagnostics) -> None:
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    paths = args.paths or [Path("digests")]
    digests, diagnostics = load_digests(find_digests(paths))
    _print_diagnostics(diagnostics)
    errors = sum(1 for d in diagnostics if d.level == ERROR)
    warnings = sum(1 for d in diagnostics if d.level == WARNING)
    papers = sum(len(d.papers) for d in digests)
    print(f"{len(digests)} digests, {papers} papers, {errors} errors, {warnings} warnings")
    if errors or (args.strict and warnings):
        return 1
    return 0


def digest_to_json(digest) -> dict:
    return {
        "date": digest.date,
        "source_url": digest.source_url,
        "papers": [
            {
                "id": paper.arxiv_id,
                "title": paper.title,
                "url": paper.url,
                "reading_source": paper.reading_source,
                "report_title": paper.report_title,
                "line": paper.line,
                **{key: paper.part(key) for key in ("field", "contribution", "usage", "innovations", "results")},
                "extra": [{"heading": part.heading, "body": part.body, "line": part.line} for part in paper.extra],
            }
            for paper in digest.papers
        ],
    }


def cmd_dump(args: argparse.Namespace) -> int:
    digest, diagnostics = parse_file(args.file)
    _print_diagnostics(diagnostics)
    if digest is None:
        return 1
    print(json.dumps(digest_to_json(digest), ensure_ascii=False, indent=2))
    return 1 if any(d.level == ERROR for d in diagnostics) else 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    result = build(args.digests, args.docs, taxonomy_path=args.taxonomy, site_url=args.site_url)
    _print_diagnostics(result.diagnostics)
    print(result.summary())
    errors = any(d.level == ERROR for d in result.diagnostics)
    warnings = any(d.level == WARNING for d in result.diagnostics)
    return 1 if errors or (args.strict and warnings) else 0


def cmd_search(args: argparse.Namespace) -> int:
    from .search import SearchFilters, search_archive

    filters = SearchFilters(field=args.field, tag=args.tag, since=args.since, until=args.until)
    results = search_archive(args.docs, " ".join(args.query), limit=args.limit, filters=filters)
    for hit in results:
        print(f"{hit.arxiv_id}  {hit.title}")
    return 0


def cmd_taxonomy(args: argparse.Namespace) -> int:
    from .build import gather

    archive, diagnostics = gather(args.digests, args.taxonomy)
    if args.unmapped:
        for phrase, count in archive.unmapped_phrases():
            print(f"{count}\t{phrase}")
    else:
        for field in archive.taxonomy.fields:
            print(f"field\t{field.slug}\t{field.zh}\t{field.en}\t{len(archive.papers_by_field.get(field.slug, ()))}")
        for tag in archive.taxonomy.tags:
            print(f"tag\t{tag.slug}\t{tag.zh}\t{tag.en}\t{len(archive.papers_by_tag.get(tag.slug, ()))}")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="generator", description="Build the daily-papers archive site.")
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="parse digests and print diagnostics")
    check.add_argument("paths", nargs="*", type=Path, help="digest files or folders (default: digests/)")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.set_defaults(func=cmd_check)

    dump = sub.add_parser("dump", help="print one parsed digest")
    dump.add_argument("file", type=Path)
    dump.add_argument("--json", action="store_true", required=True, help="print JSON (the only format)")
    dump.set_defaults(func=cmd_dump)

    build = sub.add_parser("build", help="write the Markdown pages under docs/")
    build.add_argument("--digests", type=Path, default=Path("digests"))
    build.add_argument("--docs", type=Path, default=Path("docs"))
    build.add_argument("--taxonomy", type=Path, default=Path("taxonomy.yml"))
    build.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    build.add_argument(
        "--site-url", default=os.environ.get("SITE_URL") or paths.DEFAULT_SITE_URL, help="published address, for feeds"
    )
    build.set_defaults(func=cmd_build)

    search = sub.add_parser("search", help="search the built archive")
    search.add_argument("query", nargs="+")
    search.add_argument("--limit", type=int, default=10)
    search.add_argument("--docs", type=Path, default=Path("docs"))
    search.add_argument("--field", help="only papers of this field slug")
    search.add_argument("--tag", help="only papers with this tag slug")
    search.add_argument("--since", help="only papers first seen on or after YYYY-MM-DD")
    search.add_argument("--until", help="only papers first seen on or before YYYY-MM-DD")
    search.set_defaults(func=cmd_search)

    taxonomy = sub.add_parser("taxonomy", help="list fields and tags with counts")
    taxonomy.add_argument("--digests", type=Path, default=Path("digests"))
    taxonomy.add_argument("--taxonomy", type=Path, default=Path("taxonomy.yml"))
    taxonomy.add_argument("--unmapped", action="store_true", help="field phrases that map to nothing, most frequent first")
    taxonomy.set_defaults(func=cmd_taxonomy)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return args.func(args)
