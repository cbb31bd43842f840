"""Everything the generator keeps on disk: the generated pages and the input memo.

The only module that changes files under docs/. ``write_pages`` is given every
page of the site: a page whose bytes equal its file's is left alone (its mtime
stays, so MkDocs and the next build see it unchanged), a page that differs is
replaced atomically (a temporary file beside it, then a rename), and a
generated file that is no longer produced is removed. Only paths that
``paths.is_generated`` accepts are ever written or removed: hand-written pages
are never touched. Correctness needs nothing else: whatever an earlier build
left, the files afterwards are exactly the pages given.

The memo (``docs/.generator/``, skipped by MkDocs and ignored by git) keeps
what reading a digest costs: its parsed papers and their analyses, one pickle
per digest, named by the hash of the digest's bytes and the version of
everything that derives from them (code and taxonomy). A missing or
unreadable memo only makes the build a cold one. ``State`` remembers the
fingerprint of all inputs and the files the last build wrote, so that a
build with no change can stop before reading anything else.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

from . import paths

CACHE_DIR = ".generator"
MEMO_DIR = "memo"
STATE_FILE = "state.json"
STATE_FORMAT = 2
TEMPORARY_PREFIX = ".tmp-"
MAX_NAME_BYTES = 200


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def write_atomic(target: Path | str, data: bytes) -> None:
    """``data`` into ``target`` through a temporary file beside it and a rename: readers see the old file or the new."""
    target = os.fspath(target)
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _target(docs: Path, page: str) -> Path:
    if page.startswith("/") or not paths.is_generated(page):
        raise paths.UnsafePathError(f"refusing to write outside the generated folders: {page!r}")
    if any(len(part.encode("utf-8")) > MAX_NAME_BYTES for part in page.split("/")):
        raise paths.UnsafePathError(f"file name longer than {MAX_NAME_BYTES} bytes: {page!r}")
    return docs.joinpath(*page.split("/"))


def _same_bytes(target: Path, data: bytes) -> bool:
    try:
        with open(target, "rb") as stream:
            return stream.read(len(data) + 1) == data
    except (FileNotFoundError, NotADirectoryError):
        return False


def write_pages(docs: Path, pages: Mapping[str, str | bytes]) -> WriteResult:
    """Make the generated files under ``docs`` exactly ``pages``: write what differs, remove what is not there."""
    result = WriteResult()
    for folder in paths.GENERATED_DIRS:
        if (docs / folder).is_symlink():  # pages are written into a folder of ours, never through a link
            (docs / folder).unlink()
    for page in sorted(pages):
        content = pages[page]
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = _target(docs, page)
        if _same_bytes(target, data):
            result.unchanged += 1
            continue
        write_atomic(target, data)
        result.written.append(page)
    result.removed = remove_stale(docs, set(pages))
    return result


def generated_files(docs: Path) -> set[str]:
    """Every file under docs/ that the generator owns, docs-relative (leftover temporary files included).

    Links to folders are never followed: what lies behind one is not ours.
    """
    return {page for page, _ in _walk_generated(docs)}


def _walk_generated(docs: Path):
    """(docs-relative path, path) of each file ``generated_files`` lists, in one ``os.scandir`` pass.

    A no-op build stats every generated file of the archive: scandir joins
    the names in C, where ``os.walk`` and ``Path`` would join them in Python.
    """
    for name in paths.GENERATED_FILES:
        if (docs / name).is_file():
            yield name, os.fspath(docs / name)
    for folder in paths.GENERATED_DIRS:
        if (docs / folder).is_symlink():
            continue
        pending = [(os.fspath(docs / folder), folder)]
        while pending:
            current, relative = pending.pop()
            try:
                entries = list(os.scandir(current))
            except (FileNotFoundError, NotADirectoryError):
                continue
            for entry in entries:
                if not entry.is_dir():
                    yield f"{relative}/{entry.name}", entry.path
                elif not entry.is_symlink():  # as os.walk: a link to a folder is listed as a folder, never entered
                    pending.append((entry.path, f"{relative}/{entry.name}"))


def remove_stale(docs: Path, produced: set[str]) -> list[str]:
    """Remove generated files (and temporary files of an interrupted build) that ``produced`` does not hold."""
    removed = sorted(page for page in generated_files(docs) if page not in produced)
    for page in removed:
        (docs / page).unlink()
    if docs.is_dir():
        for leftover in docs.glob(TEMPORARY_PREFIX + "*"):
            if leftover.is_file() and not leftover.is_symlink():
                leftover.unlink()
    for folder in paths.GENERATED_DIRS:  # deepest first: a folder emptied by the removals goes too
        if (docs / folder).is_symlink():
            continue
        for current, _, _ in sorted(os.walk(docs / folder), key=lambda walked: -len(walked[0])):
            if not os.listdir(current):
                os.rmdir(current)
    return removed


# -- the input memo ----------------------------------------------------------------------


class Memo:
    """Values derived from an input, kept between builds under keys made by ``memo_key``.

    ``get`` reads a value saved by an earlier build (None if there is none);
    ``put`` records a new one. ``save`` writes the new values and removes the
    ones this build did not ask for, so the memo holds the current inputs only.
    """

    def __init__(self, docs: Path | None):
        self.folder = docs / CACHE_DIR / MEMO_DIR if docs is not None else None
        self._new: dict[str, Any] = {}
        self._used: set[str] = set()

    def get(self, key: str) -> Any:
        self._used.add(key)
        if key in self._new:
            return self._new[key]
        if self.folder is None:
            return None
        try:
            with open(self.folder / f"{key}.pickle", "rb") as stream:
                return pickle.load(stream)
        except Exception:  # noqa: BLE001 - an unreadable entry is recomputed
            return None

    def put(self, key: str, value: Any) -> None:
        self._used.add(key)
        self._new[key] = value

    def save(self) -> None:
        if self.folder is None:
            return
        for key, value in self._new.items():
            write_atomic(self.folder / f"{key}.pickle", pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.suffix != ".pickle" or path.stem not in self._used:
                    path.unlink()


def memo_key(*parts: bytes | str) -> str:
    """A memo key: the hash of everything a value derives from."""
    digest = hashlib.sha1()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(hashlib.sha1(data).digest())
    return digest.hexdigest()


# -- the state of the last build ---------------------------------------------------------


@dataclass
class State:
    """What the last build read and wrote: enough to see that nothing changed since."""

    inputs: str = ""  # the fingerprint of every input
    outputs: dict[str, list[int]] = field(default_factory=dict)  # generated file -> [size, mtime_ns]
    diagnostics: list[list] = field(default_factory=list)  # replayed when nothing changed
    summary: dict = field(default_factory=dict)


def load_state(docs: Path) -> State:
    try:
        data = json.loads((docs / CACHE_DIR / STATE_FILE).read_text(encoding="utf-8"))
        if data.pop("format") != STATE_FORMAT:
            return State()
        return State(**data)
    except (OSError, ValueError, KeyError, TypeError):
        return State()


def save_state(docs: Path, inputs: str, diagnostics: list[list], summary: dict) -> None:
    state = State(inputs, generated_stats(docs), diagnostics, summary)
    data = {"format": STATE_FORMAT, **asdict(state)}
    write_atomic(docs / CACHE_DIR / STATE_FILE, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def generated_stats(docs: Path) -> dict[str, list[int]]:
    """``[size, mtime_ns]`` of each file ``generated_files`` lists."""
    stats = {}
    for page, path in _walk_generated(docs):
        info = os.stat(path)
        stats[page] = [info.st_size, info.st_mtime_ns]
    return stats


def unchanged_since(docs: Path, state: State, inputs: str) -> bool:
    """Whether the inputs are those of the last build and its files are still exactly as it left them."""
    if not state.inputs or state.inputs != inputs:
        return False
    try:
        return generated_stats(docs) == state.outputs
    except OSError:
        return False
