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

    ``make_folder=False``: the caller made the folder (``write_pages`` makes
    every folder once, not once per page).
    """
    target = os.fspath(target)
    folder, name = os.path.split(target)
    if make_folder:
        os.makedirs(folder, exist_ok=True)
    # One writer per docs folder at a time (the build is one process), so the
    # process id makes the temporary name unique; mode 0o644 less the umask.
    temporary = os.path.join(folder, _temporary_name(name))
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            _write_all(handle, data)
        finally:
            os.close(handle)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]


def write_pages(docs: Path, pages: dict[str, str | bytes], keep: set[str] = frozenset()) -> WriteResult:
    """Write changed pages, leave equal ones alone, remove generated files no longer produced.

    ``keep``: generated files that were not rendered this time but are still
    valid (their inputs did not change); they count as unchanged.

    A generated folder that does not exist yet (a cold build) is written
    whole under a temporary name and renamed into place: as atomic as page by
    page (the folder appears complete or not at all), for about half the
    file-system work.
    """
    result = WriteResult(unchanged=len(keep))
    root = os.fspath(docs)
    targets = {page: _safe_target(root, page) for page in pages}  # every path checked before anything is written
    _remove_staging_leftovers(root)
    sections = {page.partition("/")[0] for page in pages if "/" in page}
    staging = {section: os.path.join(root, _temporary_name(section)) for section in sections}
    staging = {section: folder for section, folder in staging.items() if not os.path.lexists(os.path.join(root, section))}
    new = {}
    for page in pages:
        section, _, rest = page.partition("/")
        if section in staging:
            new[page] = os.path.join(staging[section], *rest.split("/"))
    try:
        writing_to = [new.get(page) or target for page, target in targets.items()]
        for folder in sorted({os.path.dirname(target) for target in writing_to}):
            os.makedirs(folder, exist_ok=True)
        items = list(pages.items())
        # Writing is system calls, which run outside the interpreter lock: a few
        # threads keep the disk busy while a year of pages is written.
        chunks = [items[start : start + WRITE_CHUNK] for start in range(0, len(items), WRITE_CHUNK)]
        with ThreadPoolExecutor(max_workers=WRITE_THREADS) as pool:
            for written in pool.map(lambda chunk: _write_chunk(chunk, targets, new), chunks):
                result.written.extend(written)
        for section, folder in staging.items():
            _put_in_place(folder, os.path.join(root, section))
    finally:
        for folder in staging.values():
            shutil.rmtree(folder, ignore_errors=True)  # nothing left once renamed
    result.unchanged += len(pages) - len(result.written)
    result.removed = remove_stale(docs, set(pages) | set(keep))
    return result


WRITE_THREADS = 4
WRITE_CHUNK = 256
# Temporary names: ``.tmp-<process id>-<name>`` for a page or for a whole new
# folder at the top of docs/ (MkDocs skips names that start with a dot).
STAGING_PREFIX = ".tmp-"


def _temporary_name(name: str) -> str:
    return f"{STAGING_PREFIX}{os.getpid()}-{name}"


def _write_chunk(items: list[tuple[str, str | bytes]], targets: dict[str, str], new: dict[str, str]) -> list[str]:
    """Write the pages whose file differs; the pages written, in order.

    A page of a new folder (``new``: its path in the folder's temporary
    copy) is written there directly; the others through ``write_atomic``.
    """
    written = []
    for page, text in items:
        data = text if isinstance(text, bytes) else text.encode("utf-8")  # bytes: already UTF-8
        if page in new:
            handle = os.open(new[page], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                _write_all(handle, data)
            finally:
                os.close(handle)
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
        write_atomic(target, data, make_folder=False)
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
    """Folders a build that was killed left under their temporary names."""
    try:
        names = os.listdir(root)
    except FileNotFoundError:
        return
    for name in names:
        head, _, section = name.removeprefix(STAGING_PREFIX).partition("-")
        if name.startswith(STAGING_PREFIX) and head.isdigit() and section in paths.GENERATED_DIRS:
            leftover = os.path.join(root, name)
            if os.path.islink(leftover) or not os.path.isdir(leftover):
                os.unlink(leftover)  # never written through, never followed
            else:
                shutil.rmtree(leftover)


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
