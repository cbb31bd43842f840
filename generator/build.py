"""The build as a short script: gather, link, render, write.

``gather`` reads every digest and the taxonomy into one immutable archive
with diagnostics (parsing and analysing papers on every core);
``link_archive`` finds related papers and mentions; rendering turns the
model into page texts, the search index and feeds; a ``PageWriter`` puts
them under docs/. Only reading the inputs and the cache, and writing, touch
the disk. On two cores or more, related papers and half of the search index
are computed in a second process while this one renders and writes the
listing pages, and the memo is saved by another while the paper pages are
rendered and written on every core. Pages reach docs/ only when the writer
finishes (new folders are renamed into place, changed pages over their
files), so a build that fails before then leaves docs/ as the last build wrote it.

Incremental: when no input changed and every output is as written, nothing
is parsed or rendered; otherwise parsed digests and paper analyses come from
the memo, and paper pages, day pages and search shards whose inputs are
unchanged are kept without rendering (see ``cache``).
"""

from __future__ import annotations

import gc
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, paths
from .analysis import parse_and_analyze
from .archive import Archive, merge
from .feeds import render_feeds
from .links import link_archive
from .memo import Memo
from .model import ERROR, Diagnostic
from .parallel import Background
from .render import Renderer, SiteOptions, make_environment, templates_fingerprint
from .search import render_search_files
from .sources import scan_digests
from .taxonomy import load_taxonomy
from .write import PageWriter, WriteResult


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


class Stopwatch:
    """Per-step wall times, printed to stderr when ``DAILY_PAPERS_TIMINGS`` is set (``make bench`` sets it)."""

    def __init__(self, enabled: bool | None = None):
        self.enabled = bool(os.environ.get("DAILY_PAPERS_TIMINGS")) if enabled is None else enabled
        self.steps: list[tuple[str, float]] = []
        self._last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.steps.append((step, now - self._last))
        self._last = now

    def report(self) -> None:
        if self.enabled:
            print("timings: " + ", ".join(f"{step} {seconds:.2f}s" for step, seconds in self.steps), file=sys.stderr)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def gather(
    digests_dir: Path, taxonomy_path: Path, memo: Memo | None = None, inputs: list[tuple[Path, bytes | None]] | None = None
) -> tuple[Archive, list[Diagnostic]]:
    memo = memo or Memo()
    taxonomy, diagnostics = load_taxonomy(taxonomy_path)
    if inputs is None:
        files, skipped = scan_digests([digests_dir])
        diagnostics.extend(skipped)
        inputs = [(path, _read(path)) for path in files]
    digests = []
    for digest, found in parse_and_analyze(inputs, taxonomy, memo):
        diagnostics.extend(found)
        if digest is not None:
            digests.append(digest)
    archive, merged = merge(digests, taxonomy, memo)
    diagnostics.extend(merged)
    return archive, diagnostics


# Every other search shard is built by this process, the rest by the other,
# which also scores related papers: about half of a year's work for each
# side, with the listing pages and the mentions here.
SEARCH_PARTS = 2


def related_and_search(archive: Archive, reusable: dict[str, str]):
    """Related papers and half of the search index: the work of the build's second process."""
    from .related import related_from_analyses  # numpy loads in this process only

    shares = [render_search_files(archive, reusable, part=(share, SEARCH_PARTS)) for share in range(1, SEARCH_PARTS)]
    return related_from_analyses(archive.entries), shares


@contextmanager
def fewer_collections():
    """Collect garbage less often while building.

    A build makes millions of long-lived objects and almost no cycles; at
    Python's default thresholds the collector rescans them again and again
    (about a tenth of the time of adding a day to a year of papers).
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


class BuildError(Exception):
    """The build could not read or write a file: the message says which, and why."""


def build(*args, **kwargs) -> BuildResult:
    """``build_site`` with fewer garbage collections (see ``fewer_collections``).

    A file that cannot be read or written (docs/ not writable, a folder where
    a page goes) raises ``BuildError`` naming it, not a traceback.
    """
    with fewer_collections():
        try:
            return build_site(*args, **kwargs)
        except OSError as error:
            raise BuildError(_os_error_message(error)) from error


def _os_error_message(error: OSError) -> str:
    # A pending page's temporary name is no use to the reader: name the page it replaces.
    where = error.filename2 or error.filename
    return f"cannot write {where}: {error.strerror or error}" if where else f"cannot write the pages: {error}"


def build_site(
    digests_dir: Path,
    docs_dir: Path,
    taxonomy_path: Path = Path("taxonomy.yml"),
    site_url: str = paths.DEFAULT_SITE_URL,
    site_name: str = SiteOptions.site_name,
) -> BuildResult:
    watch = Stopwatch()
    code = templates_fingerprint()
    files, skipped = scan_digests([digests_dir])
    inputs = [(path, _read(path)) for path in files]
    fingerprint = cache.fingerprint(
        [code.encode(), site_url.encode(), site_name.encode(), _read(taxonomy_path) or b""]
        + [str(path).encode() + b"\0" + (data or b"") for path, data in inputs]
        + [str(diagnostic).encode() for diagnostic in skipped]
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

    watch.lap("check")
    previous = cache.load_memo(docs_dir, code)
    memo = Memo(previous)
    watch.lap("load memo")
    archive, diagnostics = gather(digests_dir, taxonomy_path, memo, inputs)
    diagnostics = skipped + diagnostics
    watch.lap("parse")
    reusable = {page: key for page, key in state.keys.items() if page in still}
    writer = PageWriter(docs_dir, paths.GENERATED_DIRS)
    try:
        # Another process scores related papers and builds half of the search
        # index while this one renders and writes every page that does not
        # show related papers, and the other half of the index.
        with Background(related_and_search, archive, reusable) as elsewhere:
            env, options = make_environment(), SiteOptions(site_name)
            listings = Renderer(archive, None, options, env).render_listings(reusable)
            feeds = render_feeds(archive, site_url, site_name)
            watch.lap("render listings and feeds")
            listings.add(render_search_files(archive, reusable, part=(0, SEARCH_PARTS)))
            watch.lap("search")
            listings.pages.update(feeds)
            listings.write_through(writer.write)  # while the other process may still be working
            watch.lap("write listings")
            site_links = link_archive(archive, lambda: elsewhere.result()[0])
            for share in elsewhere.result()[1]:
                listings.add(share)
            watch.lap("link")
        # The memo is pickled and saved by another process while the paper
        # pages render: its disk writes are done before the pages'. Each
        # process that renders paper pages writes them as it goes.
        with Background(cache.save_memo, docs_dir, memo.used(), previous, code) as saving:
            rendered = Renderer(archive, site_links, options, env).render_papers(reusable, write=writer.write).add(listings)
            watch.lap("render and write papers")
            written = writer.finish(rendered.pages, rendered.kept, rendered.written_through)
            watch.lap("finish writing")
            saving.result()
    finally:
        writer.discard()
    summary = {"days": len(archive.days), "papers": len(archive.entries)}
    cache.save_state(
        docs_dir,
        cache.State(
            inputs=fingerprint,
            outputs=cache.stat_outputs(docs_dir, sorted(set(rendered.pages) | rendered.kept | set(rendered.written_through))),
            keys=rendered.keys,
            diagnostics=[[d.path, d.line, d.level, d.message] for d in diagnostics],
            summary=summary,
        ),
    )
    watch.lap("save state")
    watch.report()
    return BuildResult(archive, diagnostics, written, summary["days"], summary["papers"])
