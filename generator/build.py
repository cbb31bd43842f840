"""The build as a short script: read, parse and analyse, merge, link, render, write.

    digests ──read (memo keyed by each file's bytes)──▶ parse + analyse ──▶ merge ──▶ Archive
      ──link (related papers, mentions)──▶ render every page, feed, search file and card ──▶ {path: text or bytes}
      ──write: replace only files whose bytes differ, remove stale ones──▶ docs/

Everything between reading and writing is pure (but for link-preview cards:
drawing one is slow, so a card already under docs/ whose embedded key says it
was drawn from the same text by the same code is taken as it is), and every
page is rendered on every build: a page is rewritten exactly when its bytes differ, so a build
after any history of inputs writes what a cold build of the same inputs
writes. The memo (``store.Memo``) keeps parsed and analysed digests by the
hash of their bytes, so adding a day parses one file; when no input changed
at all since the last build and its files are as it left them, the build
stops after reading the inputs.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import paths, store
from .analysis import AnalysedDigest, analyze_digest
from .archive import Archive, merge
from .cards import render_cards
from .feeds import render_feeds
from .links import link_archive
from .model import ERROR, Diagnostic
from .parse import parse_bytes, parse_file
from .render import SiteOptions, render_pages
from .search_index import render_search_index
from .sources import scan_digests
from .taxonomy import Taxonomy, load_taxonomy

CODE = Path(__file__).resolve().parent
TEMPLATES = CODE.parent / "templates" / "pages"


class BuildError(Exception):
    """The build could not read or write a file: the message says which, and why."""


@dataclass
class BuildResult:
    archive: Archive | None  # None when nothing changed since the last build
    diagnostics: list[Diagnostic]
    written: store.WriteResult = field(default_factory=store.WriteResult)
    days: int = 0
    papers: int = 0

    def summary(self) -> str:
        errors = sum(1 for d in self.diagnostics if d.level == ERROR)
        return (
            f"{self.days} days, {self.papers} papers, "
            f"{len(self.written.written)} pages written, {self.written.unchanged} unchanged, "
            f"{len(self.written.removed)} removed, {errors} errors, {len(self.diagnostics) - errors} warnings"
        )


def code_version() -> str:
    """Changes whenever the generator's code or a page template changes: what they made before is stale."""
    return store.memo_key(*(p.name.encode() + p.read_bytes() for p in sorted([*CODE.glob("*.py"), *TEMPLATES.glob("*.j2")])))


def read_inputs(paths_given: list[Path]) -> tuple[list[tuple[Path, bytes | None]], list[Diagnostic]]:
    """Every digest file with its bytes (None when unreadable), and what was passed over."""
    files, skipped = scan_digests(paths_given)
    inputs = []
    for path in files:
        try:
            inputs.append((path, path.read_bytes()))
        except OSError:
            inputs.append((path, None))
    return inputs, skipped


# Parsing and analysing a digest of ~40 papers costs ~50 ms: a cold build of a
# year reads hundreds, worth a process per core; a daily build reads one.
PARALLEL_MINIMUM = 24


def parse_and_analyse(path: str, data: bytes, taxonomy: Taxonomy) -> tuple[AnalysedDigest | None, list[Diagnostic]]:
    digest, diagnostics = parse_bytes(data, path)
    return (None if digest is None else analyze_digest(digest, taxonomy)), diagnostics


_worker_taxonomy: Taxonomy | None = None  # each worker process's own, loaded by _start_worker


def _start_worker(taxonomy_path: Path) -> None:
    global _worker_taxonomy
    _worker_taxonomy = load_taxonomy(taxonomy_path)[0]


def _parse_and_analyse_in_worker(path: str, data: bytes) -> tuple[AnalysedDigest | None, list[Diagnostic]]:
    return parse_and_analyse(path, data, _worker_taxonomy)


def read_digests(
    inputs: list[tuple[Path, bytes | None]], taxonomy: Taxonomy, taxonomy_path: Path, memo: store.Memo, version: str, workers: int | None = None
) -> list[tuple[AnalysedDigest | None, list[Diagnostic]]]:
    """Every digest parsed and analysed, from the memo when the same bytes were read before.

    Digests not in the memo are read on every core when there are many
    (``workers``: how many processes; 1 reads them here, as tests compare).
    A rejected digest is not kept: its rejection may depend on the day (a
    date too far ahead), and reading it again costs little.
    """
    results: list = [None] * len(inputs)
    keys: list = [None] * len(inputs)
    todo = []
    for number, (path, data) in enumerate(inputs):
        if data is None:
            results[number] = (None, parse_file(path)[1])  # unreadable: parse_file says why
            continue
        keys[number] = store.memo_key(version, taxonomy.fingerprint, str(path), data)
        results[number] = memo.get(keys[number])
        if results[number] is None:
            todo.append(number)
    workers = workers or (min(os.cpu_count() or 1, 4) if len(todo) >= PARALLEL_MINIMUM else 1)
    paths_todo, data_todo = [str(inputs[n][0]) for n in todo], [inputs[n][1] for n in todo]
    if workers > 1:
        with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(taxonomy_path,)) as pool:
            fresh = list(pool.map(_parse_and_analyse_in_worker, paths_todo, data_todo, chunksize=8))
    else:
        fresh = [parse_and_analyse(path, data, taxonomy) for path, data in zip(paths_todo, data_todo)]
    for number, result in zip(todo, fresh):
        results[number] = result
        if result[0] is not None:
            memo.put(keys[number], result)
    return results


def gather(
    digest_paths: list[Path], taxonomy_path: Path, memo: store.Memo | None = None, version: str | None = None, read=None
) -> tuple[Archive, list[Diagnostic]]:
    """All digests read, parsed, analysed and merged into one archive, with every diagnostic (``check`` and ``build`` alike).

    ``read``: what ``read_inputs(digest_paths)`` returns, when the caller has read the files already.
    """
    inputs, skipped = read or read_inputs(digest_paths)
    taxonomy, found = load_taxonomy(taxonomy_path)
    diagnostics = [*skipped, *found]
    digests = []
    for analysed, found in read_digests(inputs, taxonomy, taxonomy_path, memo or store.Memo(None), version or code_version()):
        diagnostics += found
        if analysed is not None:
            digests.append(analysed)
    archive, found = merge(digests, taxonomy)
    return archive, diagnostics + found


def build(
    digests_dir: Path,
    docs_dir: Path,
    taxonomy_path: Path = Path("taxonomy.yml"),
    site_url: str = paths.DEFAULT_SITE_URL,
    site_name: str = SiteOptions.site_name,
) -> BuildResult:
    """Generate every page under ``docs_dir`` from the digests in ``digests_dir``.

    A file that cannot be read or written (docs/ not writable, a folder where a
    page goes) raises ``BuildError`` naming it, not a traceback.
    """
    try:
        return _build(digests_dir, docs_dir, taxonomy_path, site_url, site_name)
    except OSError as error:
        where = error.filename2 or error.filename
        raise BuildError(f"cannot write {where}: {error.strerror or error}" if where else f"cannot write the pages: {error}") from error


def _build(digests_dir: Path, docs_dir: Path, taxonomy_path: Path, site_url: str, site_name: str) -> BuildResult:
    version = code_version()
    read = read_inputs([digests_dir])
    fingerprint = _fingerprint(version, site_url, site_name, taxonomy_path, read)
    state = store.load_state(docs_dir)
    if store.unchanged_since(docs_dir, state, fingerprint):
        kept = store.WriteResult(unchanged=len(state.outputs))
        return BuildResult(None, [Diagnostic(*d) for d in state.diagnostics], kept, state.summary["days"], state.summary["papers"])

    memo = store.Memo(docs_dir)
    archive, diagnostics = gather([digests_dir], taxonomy_path, memo, version, read)
    links = link_archive(archive)
    pages = {
        **render_search_index(archive),  # first: its arrays are the build's largest, best made before the pages are held
        **render_pages(archive, links, SiteOptions(site_name)),
        **render_feeds(archive, site_url, site_name),
        **render_cards(archive, docs_dir, site_name),  # PNG bytes; a card already on disk with its key is not redrawn
    }
    written = store.write_pages(docs_dir, pages)
    memo.save()
    summary = {"days": len(archive.days), "papers": len(archive.entries)}
    store.save_state(docs_dir, fingerprint, [[d.path, d.line, d.level, d.message] for d in diagnostics], summary)
    return BuildResult(archive, diagnostics, written, summary["days"], summary["papers"])


def _fingerprint(version: str, site_url: str, site_name: str, taxonomy_path: Path, read) -> str:
    """Everything a build reads: equal fingerprints, equal pages (today's date included: it bounds digest dates)."""
    try:
        taxonomy = taxonomy_path.read_bytes()
    except OSError:
        taxonomy = b""
    inputs, skipped = read
    listed = hashlib.sha1()
    for path, data in inputs:
        listed.update(store.memo_key(str(path), data if data is not None else b"\0unreadable").encode())
    for diagnostic in skipped:
        listed.update(str(diagnostic).encode())
    return store.memo_key(version, site_url, site_name, taxonomy, _dt.date.today().isoformat(), listed.hexdigest())
