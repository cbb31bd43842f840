"""The build as a short script: gather, link, render, write.

``gather`` reads every digest and the taxonomy into one immutable archive
with diagnostics; ``link_archive`` finds related papers and mentions;
rendering turns the model into page texts, the search index and feeds;
``write_pages`` puts them under docs/. Only reading the inputs and the
cache, and writing, touch the disk.

Incremental: when no input changed and every output is as written, nothing
is parsed or rendered; otherwise parsed digests and derived values come from
the memo, and paper pages and search shards whose inputs are unchanged are
kept without rendering (see ``cache``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, paths
from .archive import Archive, merge
from .feeds import render_feeds
from .links import link_archive
from .memo import Memo
from .model import ERROR, Diagnostic
from .parse import parse_bytes, parse_file
from .render import Renderer, SiteOptions, templates_fingerprint
from .search import render_search_files
from .sources import find_digests
from .taxonomy import load_taxonomy
from .write import WriteResult, write_pages


@dataclass
class BuildResult:
    archive: Archive | None  # None when nothing changed and nothing was parsed
    diagnostics: list[Diagnostic]
    written: WriteResult = field(default_factory=WriteResult)
    days: int = 0
    papers: int = 0

    def summary(self) -> str:
        errors = sum(1 for d in self.diagnostics if d.level == ERROR)
        warnings = len(self.diagnostics) - errors
        return (
            f"{self.days} days, {self.papers} papers, "
            f"{len(self.written.written)} pages written, {self.written.unchanged} unchanged, "
            f"{len(self.written.removed)} removed, {errors} errors, {warnings} warnings"
        )


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _parse(path: Path, data: bytes | None, memo: Memo):
    if data is None:
        return parse_file(path)  # unreadable: parse_file reports why, as `check` does
    key = ("parse", str(path), hashlib.sha1(data).hexdigest())
    return memo.get(key, lambda: parse_bytes(data, str(path)))


def gather(
    digests_dir: Path, taxonomy_path: Path, memo: Memo | None = None, inputs: list[tuple[Path, bytes | None]] | None = None
) -> tuple[Archive, list[Diagnostic]]:
    memo = memo or Memo()
    taxonomy, diagnostics = load_taxonomy(taxonomy_path)
    if inputs is None:
        inputs = [(path, _read(path)) for path in find_digests([digests_dir])]
    digests = []
    for path, data in inputs:
        digest, found = _parse(path, data, memo)
        diagnostics.extend(found)
        if digest is not None:
            digests.append(digest)
    archive, merged = merge(digests, taxonomy, memo)
    diagnostics.extend(merged)
    return archive, diagnostics


def build(
    digests_dir: Path,
    docs_dir: Path,
    taxonomy_path: Path = Path("taxonomy.yml"),
    site_url: str = paths.DEFAULT_SITE_URL,
    site_name: str = SiteOptions.site_name,
) -> BuildResult:
    inputs = [(path, _read(path)) for path in find_digests([digests_dir])]
    fingerprint = cache.fingerprint(
        [templates_fingerprint().encode(), site_url.encode(), site_name.encode(), _read(taxonomy_path) or b""]
        + [str(path).encode() + b"\0" + (data or b"") for path, data in inputs]
    )
    state = cache.load_state(docs_dir)
    still = cache.intact(docs_dir, state)
    if state.inputs == fingerprint and state.outputs:
        if len(still) == len(state.outputs) and cache.generated_files(docs_dir) == still:
            return BuildResult(
                None,
                [Diagnostic(*d) for d in state.diagnostics],
                WriteResult(unchanged=len(state.outputs)),
                state.summary.get("days", 0),
                state.summary.get("papers", 0),
            )

    previous = cache.load_memo(docs_dir)
    memo = Memo(previous)
    archive, diagnostics = gather(digests_dir, taxonomy_path, memo, inputs)
    site_links = link_archive(archive, memo)
    reusable = {page: key for page, key in state.keys.items() if page in still}
    rendered = Renderer(archive, site_links, SiteOptions(site_name), memo=memo).render(reusable)
    search = render_search_files(archive, memo, reusable)
    pages = {**rendered.pages, **search.pages, **render_feeds(archive, site_url, site_name)}
    kept = rendered.kept | search.kept
    written = write_pages(docs_dir, pages, kept)

    summary = {"days": len(archive.days), "papers": len(archive.entries)}
    cache.save_state(
        docs_dir,
        cache.State(
            inputs=fingerprint,
            outputs=cache.stat_outputs(docs_dir, sorted(set(pages) | kept)),
            keys={**rendered.keys, **search.keys},
            diagnostics=[[d.path, d.line, d.level, d.message] for d in diagnostics],
            summary=summary,
        ),
    )
    cache.save_memo(docs_dir, memo.used(), previous)
    return BuildResult(archive, diagnostics, written, summary["days"], summary["papers"])
