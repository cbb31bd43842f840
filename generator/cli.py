"""Command line: ``python -m generator check|dump|build|search|taxonomy|offline``.

Thin on purpose: each command parses its arguments, calls the library and
prints. Exit codes: 0 success, 1 problems found in the input (errors, or
warnings with ``--strict``; for ``search``: no paper matched), 2 usage
errors, 141 when the reader of the output went away (``... | head``), as
for a program killed by SIGPIPE.

Digest text is untrusted: whatever comes from it (titles, parts, field
phrases, diagnostics) is printed through :func:`printable`, so a title cannot
clear the terminal, reorder text with bidi controls or forge a line.
Under GitHub Actions ``check`` also prints workflow annotations and appends a
table of the problems to the step summary.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from . import __version__, paths
from .model import ERROR, PART_KEYS, WARNING, Diagnostic
from .parse import PART_ALIASES, parse_file

# The pipeline (generator.build: jieba, numpy, ...) is imported by the commands that run it: `offline`,
# which only zips the built site, would spend ~0.7 s importing it (the CLI alone: ~0.1 s).

# Exit code of a program killed by SIGPIPE (128 + 13), as the shell reports it.
EXIT_READER_GONE = 141

# --------------------------------------------------------------------------
# Untrusted text on a terminal
# --------------------------------------------------------------------------

# C0 controls (newlines and tabs too: one title, one line), DEL, C1 controls
# (U+009B is CSI on some terminals), the bidi embeddings, overrides, isolates
# and marks, and the Unicode line and paragraph separators.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with control, bidi and line-separator characters written as escapes (``\\x1b``, ``\\u202e``, ``\\n``)."""
    return _UNPRINTABLE.sub(_escape_char, text)


# What ``json.dumps(ensure_ascii=False)`` leaves raw in strings (it escapes
# the C0 controls itself; a raw newline in its output is indentation).
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _json_printable(text: str) -> str:
    """JSON text with DEL, C1, bidi and line-separator characters in strings written as ``\\uXXXX``."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


class _ReaderGone(Exception):
    """Standard output is a pipe whose reader has exited."""


def _out(lines: Iterable[str]) -> None:
    """Print lines on stdout; a closed pipe (``| head``) ends the command quietly (see :func:`main`)."""
    try:
        for line in lines:
            sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        raise _ReaderGone from None


def _err(line: str) -> None:
    print(line, file=sys.stderr)


def _print_diagnostics(diagnostics) -> None:
    for diagnostic in diagnostics:
        _err(printable(str(diagnostic)))


def _counts(diagnostics) -> tuple[int, int]:
    errors = sum(1 for d in diagnostics if d.level == ERROR)
    return errors, sum(1 for d in diagnostics if d.level == WARNING)


# --------------------------------------------------------------------------
# GitHub Actions: annotations and the step summary
# --------------------------------------------------------------------------


def _repo_relative(path: str) -> str:
    """``path`` relative to the current directory (the repository in CI) when it lies inside it, with ``/``."""
    candidate = Path(path)
    if candidate.is_absolute():
        for base, target in ((Path.cwd(), candidate), (Path.cwd().resolve(), candidate.resolve())):
            try:
                return target.relative_to(base).as_posix()
            except ValueError:
                continue
    return candidate.as_posix()


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(diagnostic: Diagnostic) -> str:
    """The workflow command that shows ``diagnostic`` on the file's line in GitHub (``::error file=…,line=…::…``)."""
    command = "error" if diagnostic.level == ERROR else "warning"
    file = _escape_property(printable(_repo_relative(diagnostic.path)))
    return f"::{command} file={file},line={diagnostic.line}::{_escape_data(printable(diagnostic.message))}"


# Characters that start inline Markdown (code, emphasis, strikethrough, links,
# images, HTML, entities, math, table cells): escaped so digest text is shown
# as written, never rendered.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_~\[\]!<>&|$])")


def markdown_cell(text: str) -> str:
    """``text`` as one Markdown table cell: inline syntax and ``|`` escaped, line breaks as ``<br>``."""
    lines = re.split(r"\r\n|\r|\n|\u2028|\u2029", text)
    return "<br>".join(_MARKDOWN_SPECIAL.sub(r"\\\1", printable(line)) for line in lines)


def step_summary(summary: str, diagnostics) -> str:
    """The Markdown ``check`` appends to ``$GITHUB_STEP_SUMMARY``."""
    if not diagnostics:
        return f"### Digest check\n\n{summary}: no problems.\n\n"
    rows = [
        f"| {d.level} | {markdown_cell(_repo_relative(d.path))} | {d.line} | {markdown_cell(d.message)} |" for d in diagnostics
    ]
    return "\n".join(["### Digest check", "", summary, "", "| level | file | line | message |", "|---|---|---:|---|", *rows, "", ""])


def _report_to_github(summary: str, diagnostics) -> list[str]:
    """Annotation lines when running under GitHub Actions; the step summary appended when one is named."""
    lines = [annotation(d) for d in diagnostics] if os.environ.get("GITHUB_ACTIONS") == "true" else []
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        try:
            with open(summary_file, "a", encoding="utf-8") as file:
                file.write(step_summary(summary, diagnostics))
        except OSError as exc:
            _err(f"check: cannot append to the step summary {summary_file}: {exc.strerror or exc}")
    return lines


# --------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from .build import gather, read_inputs

    # The build's own reading: the same diagnostics as `make site`, the same counts as `build`.
    read = read_inputs(args.paths or [Path("digests")])
    archive, diagnostics = gather([], args.taxonomy, read=read)
    _print_diagnostics(diagnostics)
    errors, warnings = _counts(diagnostics)
    # Appearances count a paper once per day it is listed on; papers are distinct arXiv ids.
    appearances = sum(len(day.paper_ids) for day in archive.days)
    summary = (
        f"{len(read[0])} files, {len(archive.days)} days, {len(archive.entries)} papers ({appearances} appearances), "
        f"{errors} errors, {warnings} warnings"
    )
    _out([*_report_to_github(summary, diagnostics), summary])
    if errors or (args.strict and warnings):
        return 1
    return 0


# --------------------------------------------------------------------------
# dump
# --------------------------------------------------------------------------


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


def _parts_note(paper) -> str:
    present = {part.key for part in paper.parts if part.key}
    missing = [PART_ALIASES[key][0] for key in PART_KEYS if key not in present]
    note = "parts: all five" if not missing else f"parts: {5 - len(missing)} of 5 (missing {', '.join(missing)})"
    if paper.extra:
        note += ", extra: " + ", ".join(part.heading for part in paper.extra)
    return note


def digest_summary(digest) -> list[str]:
    """The readable form of ``dump``: the header, then two lines a paper."""
    lines = [f"date: {digest.date}", f"source: {digest.source_url or '(none)'}", f"papers: {len(digest.papers)}"]
    for paper in digest.papers:
        source = f"reading source {paper.reading_source}" if paper.reading_source else "no reading source"
        lines.append(f"{paper.arxiv_id}  {paper.title}")
        lines.append(f"    line {paper.line}, {source}, {_parts_note(paper)}")
    return [printable(line) for line in lines]


def cmd_dump(args: argparse.Namespace) -> int:
    digest, diagnostics = parse_file(args.file)
    _print_diagnostics(diagnostics)
    if digest is None:
        return 1
    if args.json:
        _out([_json_printable(json.dumps(digest_to_json(digest), ensure_ascii=False, indent=2))])
    else:
        _out(digest_summary(digest))
    return 1 if any(d.level == ERROR for d in diagnostics) else 0


# --------------------------------------------------------------------------
# build, search, taxonomy
# --------------------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildError, build

    try:
        result = build(args.digests, args.docs, taxonomy_path=args.taxonomy, site_url=args.site_url)
    except BuildError as error:
        _err(printable(f"build: {error}"))
        return 1
    _print_diagnostics(result.diagnostics)
    _out([result.summary()])
    errors, warnings = _counts(result.diagnostics)
    return 1 if errors or (args.strict and warnings) else 0


def unknown_slug_message(kind: str, value: str, names: dict[str, str]) -> str:
    """``unknown field 'x'`` with the close matches among the slugs and their names (``{slug: name}``)."""
    by_key: dict[str, str] = {}
    for slug, name in names.items():
        by_key.setdefault(slug.lower(), slug)
        if name:
            by_key.setdefault(name.lower(), slug)
    matches = difflib.get_close_matches(value.lower(), list(by_key), n=8, cutoff=0.6)
    suggestions = list(dict.fromkeys(by_key[match] for match in matches))[:5]
    message = f"unknown {kind} '{printable(value)}'"
    if suggestions:
        shown = ", ".join(f"{slug} ({printable(names[slug])})" if names[slug] else slug for slug in suggestions)
        return f"{message}; did you mean {shown}?"
    return f"{message}; `python -m generator taxonomy` lists the {kind}s"


def cmd_search(args: argparse.Namespace) -> int:
    from .search import SearchFilters, search_archive
    from .search_index import MANIFEST, read_script

    manifest_path = args.docs / MANIFEST
    try:
        manifest = read_script(manifest_path)
    except (OSError, ValueError):
        _err(f"search: no search index at {manifest_path}; build the pages first (`python -m generator build` or `make site`)")
        return 2
    for kind, value in (("field", args.field), ("tag", args.tag)):
        names = manifest.get(kind + "s", {})
        if value is not None and value not in names:
            _err("search: " + unknown_slug_message(kind, value, names))
            return 2

    query = " ".join(args.query)
    filters = SearchFilters(field=args.field, tag=args.tag, since=args.since, until=args.until)
    results = search_archive(args.docs, query, limit=args.limit, filters=filters)
    if not results:
        used = [f"--{name} {value}" for name, value in vars(filters).items() if value is not None]
        _err(printable(f"no papers match '{query}'" + (f" ({' '.join(used)})" if used else "")))
        return 1
    _out(printable(f"{hit.arxiv_id}  {hit.title}") for hit in results)
    return 0


def cmd_taxonomy(args: argparse.Namespace) -> int:
    from .build import gather

    archive, diagnostics = gather([args.digests], args.taxonomy)
    if args.unmapped:
        _out(printable(f"{count}\t{phrase}") for phrase, count in archive.unmapped_phrases())
    else:
        lines = [f"field\t{f.slug}\t{f.zh}\t{f.en}\t{len(archive.papers_by_field.get(f.slug, ()))}" for f in archive.taxonomy.fields]
        lines += [f"tag\t{t.slug}\t{t.zh}\t{t.en}\t{len(archive.papers_by_tag.get(t.slug, ()))}" for t in archive.taxonomy.tags]
        _out(lines)
    return 0


def cmd_offline(args: argparse.Namespace) -> int:
    from .offline import FOLDER, zip_site

    try:
        count = zip_site(args.site, args.output)
    except OSError as error:
        _err(f"offline: {error}")
        return 1
    _out([f"{args.output}: {count} files under {FOLDER}/"])
    return 0


# --------------------------------------------------------------------------
# Parser and entry point
# --------------------------------------------------------------------------


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="generator", description="Build the daily-papers archive site.")
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="parse digests and print diagnostics")
    check.add_argument("--taxonomy", type=Path, default=Path("taxonomy.yml"))
    check.add_argument("paths", nargs="*", type=Path, help="digest files or folders (default: digests/)")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.set_defaults(func=cmd_check)

    dump = sub.add_parser("dump", help="print one parsed digest: a summary, or everything as JSON")
    dump.add_argument("file", type=Path)
    dump.add_argument("--json", action="store_true", help="print the parsed digest as JSON")
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

    offline = sub.add_parser("offline", help="zip the built site for reading from disk (file://)")
    offline.add_argument("site", nargs="?", type=Path, default=Path("site"), help="the built site (default: site/)")
    offline.add_argument("output", nargs="?", type=Path, default=Path("dist/site-offline.zip"),
                         help="the zip to write (default: dist/site-offline.zip)")
    offline.set_defaults(func=cmd_offline)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except _ReaderGone:
        # `... | head`: the reader has what it wanted. Stop quietly, as grep
        # does, and send what is still buffered nowhere (Python flushes
        # stdout at exit, which would raise again).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_READER_GONE
