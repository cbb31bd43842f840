"""Writing pages: the only module that changes files.

Writes are atomic (a temporary file in the same folder, then a rename) and
incremental: a page whose bytes are unchanged is not rewritten, so its mtime
stays and MkDocs' dirty reload sees only what changed. Generated files that
are no longer produced are removed. Only paths that ``paths.is_generated``
accepts are ever written or removed: hand-written pages are never touched.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from . import paths

MAX_NAME_BYTES = 200


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def _safe_target(docs: str, page: str) -> str:
    # String checks, not pathlib: a cold build checks a year of pages.
    if page.startswith("/") or not paths.is_generated(page):
        raise paths.UnsafePathError(f"refusing to write outside the generated folders: {page!r}")
    if any(len(part.encode("utf-8")) > MAX_NAME_BYTES for part in page.split("/")):
        raise paths.UnsafePathError(f"file name longer than {MAX_NAME_BYTES} bytes: {page!r}")
    return os.path.join(docs, *page.split("/"))


def write_atomic(target, data: bytes, make_folder: bool = True) -> None:
    """``data`` into ``target`` through a sibling temporary file and a rename.

    ``make_folder=False``: the caller made the folder.
    """
    target = os.fspath(target)
    folder, name = os.path.split(target)
    if make_folder:
        os.makedirs(folder, exist_ok=True)
    # One build per docs folder at a time, and one writer per file, so the
    # process id makes the temporary name unique; mode 0o644 less the umask.
    temporary = os.path.join(folder, _temporary_name(name))
    try:
        _create(temporary, data)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _create(path: str, data: bytes, exclusive: bool = False) -> None:
    """``data`` into a file made (or emptied) at ``path``; ``exclusive``: fail if it exists."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    handle = os.open(path, flags, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
    finally:
        os.close(handle)


def write_pages(docs: Path, pages: dict[str, str | bytes], keep: set[str] = frozenset()) -> WriteResult:
    """Write changed pages, leave equal ones alone, remove generated files no longer produced.

    ``keep``: generated files that were not rendered this time but are still
    valid (their inputs did not change); they count as unchanged.
    """
    writer = PageWriter(docs, {page.partition("/")[0] for page in pages if "/" in page})
    try:
        return writer.finish(pages, keep)
    finally:
        writer.discard()


class PageWriter:
    """One build's writes into docs/, by this process and the processes it forks.

    Made before the first page is written: the temporary folders a killed
    build left are removed, and of the generated folders the pages will go
    to (``sections``), those that do not exist yet are written whole under a
    temporary name and renamed into place by ``finish``: as atomic as page
    by page (the folder appears complete or not at all), for about half the
    file-system work. A changed page of a folder that exists is written
    beside its file under a temporary name (``.tmp-<process id>-<name>``,
    the id of the process that made the writer) and renamed over it by
    ``finish``: until then docs/ shows the previous build whole.

    ``write`` may be called many times, and only creates files, so the
    processes that render pages can write them as they go. ``discard``
    removes what a failed build left under temporary names.
    """

    def __init__(self, docs: Path, sections: Iterable[str]):
        self.docs = docs
        self.root = os.fspath(docs)
        _remove_staging_leftovers(self.root)
        self.pending_prefix = _temporary_name("")
        self._finished = False
        self.staging = {
            section: os.path.join(self.root, _temporary_name(section))
            for section in sorted(set(sections))
            if not os.path.lexists(os.path.join(self.root, section))
        }

    def write(self, pages: Mapping[str, str | bytes]) -> list[str]:
        """Write the pages whose files differ (every path checked first); the pages written, in order."""
        targets = {}
        staged = set()
        for page in pages:
            targets[page] = _safe_target(self.root, page)
            if self._in_new_folder(page):
                section, _, rest = page.partition("/")
                targets[page] = os.path.join(self.staging[section], *rest.split("/"))
                staged.add(page)
        for folder in sorted({os.path.dirname(target) for target in targets.values()}):
            os.makedirs(folder, exist_ok=True)
        items = list(pages.items())
        if len(items) <= WRITE_CHUNK:
            return _write_chunk(items, targets, staged, self.pending_prefix)
        # Writing is system calls, which run outside the interpreter lock: a few
        # threads keep the disk busy while many pages are written.
        chunks = [items[start : start + WRITE_CHUNK] for start in range(0, len(items), WRITE_CHUNK)]
        written: list[str] = []
        with ThreadPoolExecutor(max_workers=WRITE_THREADS) as pool:
            for done in pool.map(lambda chunk: _write_chunk(chunk, targets, staged, self.pending_prefix), chunks):
                written.extend(done)
        return written

    def finish(
        self, pages: Mapping[str, str | bytes], keep: set[str] = frozenset(), written_through: Mapping[str, bool] | None = None
    ) -> WriteResult:
        """Write ``pages``, put every written page and new folder in place, and remove the generated files no longer produced.

        ``keep``: generated files not rendered this time but still valid.
        ``written_through``: the pages already given to ``write``, each with
        whether its file changed. Both count as produced, never as stale.
        """
        written_through = written_through or {}
        result = WriteResult(written=[page for page, changed in written_through.items() if changed])
        result.unchanged = len(keep) + len(written_through) - len(result.written)
        written = self.write(pages)
        result.written.extend(written)
        result.unchanged += len(pages) - len(written)
        for page in result.written:
            if not self._in_new_folder(page):
                target = _safe_target(self.root, page)
                os.replace(_pending_path(target, self.pending_prefix), target)
        for section, folder in self.staging.items():
            if os.path.isdir(folder):  # a temporary folder exists once a page of the section was written
                _put_in_place(folder, os.path.join(self.root, section))
        self._finished = True
        result.removed = remove_stale(self.docs, set(pages) | set(keep) | set(written_through))
        return result

    def _in_new_folder(self, page: str) -> bool:
        section, _, rest = page.partition("/")
        return bool(rest) and section in self.staging

    def discard(self) -> None:
        """Remove what a build that failed before ``finish`` wrote: new folders' copies and pending pages."""
        for folder in self.staging.values():
            shutil.rmtree(folder, ignore_errors=True)
        if self._finished:
            return  # nothing is pending once finish ran
        for section in paths.GENERATED_DIRS:
            root = os.path.join(self.root, section)
            if os.path.islink(root) or not os.path.isdir(root):
                continue  # never follow a link out of docs/
            for current, _, names in os.walk(root):
                for name in names:
                    if name.startswith(self.pending_prefix):
                        os.unlink(os.path.join(current, name))
        for name in paths.GENERATED_FILES:
            pending = os.path.join(self.root, self.pending_prefix + name)
            if os.path.lexists(pending):
                os.unlink(pending)


WRITE_THREADS = 4
WRITE_CHUNK = 256
# Temporary names: ``.tmp-<process id>-<name>`` for a page or for a whole new
# folder at the top of docs/ (MkDocs skips names that start with a dot).
STAGING_PREFIX = ".tmp-"


def _temporary_name(name: str) -> str:
    return f"{STAGING_PREFIX}{os.getpid()}-{name}"


def _pending_path(target: str, prefix: str) -> str:
    """Where a changed page waits for ``finish``: beside its file, under ``prefix`` and its name."""
    folder, _, name = target.rpartition(os.sep)
    return os.path.join(folder, prefix + name)


def _write_chunk(items: list[tuple[str, str | bytes]], targets: dict[str, str], staged: set[str], pending_prefix: str) -> list[str]:
    """Write the pages whose file differs; the pages written, in order.

    A page of a new folder (``staged``: its target is in the folder's
    temporary copy) is written there directly; the others beside their
    file, under ``pending_prefix`` and their name, for ``finish`` to rename.
    """
    written = []
    for page, text in items:
        data = text if isinstance(text, bytes) else text.encode("utf-8")  # bytes: already UTF-8
        if page in staged:
            _create(targets[page], data, exclusive=True)
            written.append(page)
            continue
        target = targets[page]
        try:
            if os.stat(target).st_size == len(data):
                with open(target, "rb") as stream:
                    if stream.read() == data:
                        continue
        except FileNotFoundError:
            pass
        _create(_pending_path(target, pending_prefix), data)
        written.append(page)
    return written


def _put_in_place(staged: str, target: str) -> None:
    """Rename a folder written under a temporary name to its own; page by page if that name was taken meanwhile."""
    try:
        os.rename(staged, target)
        return
    except OSError:
        if not os.path.isdir(target) or os.path.islink(target):
            raise
    for current, _, names in os.walk(staged):
        folder = os.path.join(target, os.path.relpath(current, staged))
        os.makedirs(folder, exist_ok=True)
        for name in names:
            os.replace(os.path.join(current, name), os.path.join(folder, name))


def _remove_staging_leftovers(root: str) -> None:
    """Folders and top-level pages a killed build left under their temporary names.

    Those of a process still running (a build in progress beside this one,
    as when ``mkdocs serve`` and a command-line build share docs/) are left
    alone. Pending pages inside the generated folders are removed as stale
    by the next build's ``finish``.
    """
    try:
        names = os.listdir(root)
    except FileNotFoundError:
        return
    for name in names:
        head, _, section = name.removeprefix(STAGING_PREFIX).partition("-")
        if (
            name.startswith(STAGING_PREFIX)
            and head.isdigit()
            and (section in paths.GENERATED_DIRS or section in paths.GENERATED_FILES)
            and not _running_elsewhere(int(head))
        ):
            leftover = os.path.join(root, name)
            if os.path.islink(leftover) or not os.path.isdir(leftover):
                os.unlink(leftover)  # never written through, never followed
            else:
                shutil.rmtree(leftover)


def _running_elsewhere(pid: int) -> bool:
    """Whether another process with this id is running (this process's own leftovers are not in use)."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # running, as another user
        return True
    except OverflowError:  # no such process id
        return False
    return True


def remove_stale(docs: Path, keep: set[str]) -> list[str]:
    removed: list[str] = []
    for folder in paths.GENERATED_DIRS:
        root = docs / folder
        if root.is_symlink() or not root.is_dir():
            continue  # never follow a link out of docs/ to delete files
        for current, dirnames, filenames in os.walk(root, topdown=False):
            base = Path(current).relative_to(docs).as_posix()
            for name in filenames:
                relative = f"{base}/{name}"
                if relative not in keep:
                    os.unlink(os.path.join(current, name))
                    removed.append(relative)
            if not os.listdir(current):
                os.rmdir(current)
    for relative in paths.GENERATED_FILES:
        if relative not in keep and (docs / relative).is_file():
            (docs / relative).unlink()
            removed.append(relative)
    return sorted(removed)
