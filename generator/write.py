"""Writing pages: the only module that changes files.

Writes are atomic (a temporary file in the same folder, then a rename) and
incremental: a page whose bytes are unchanged is not rewritten, so its mtime
stays and MkDocs' dirty reload sees only what changed. Generated files that
are no longer produced are removed. Only paths that ``paths.is_generated``
accepts are ever written or removed: hand-written pages are never touched.
"""

from __future__ import annotations

import os
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
    temporary = os.path.join(folder, f".tmp-{os.getpid()}-{name}")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def write_pages(docs: Path, pages: dict[str, str | bytes], keep: set[str] = frozenset()) -> WriteResult:
    """Write changed pages, leave equal ones alone, remove generated files no longer produced.

    ``keep``: generated files that were not rendered this time but are still
    valid (their inputs did not change); they count as unchanged.
    """
    result = WriteResult(unchanged=len(keep))
    root = os.fspath(docs)
    targets = {page: _safe_target(root, page) for page in pages}  # every path checked before anything is written
    for folder in sorted({os.path.dirname(target) for target in targets.values()}):
        os.makedirs(folder, exist_ok=True)
    items = list(pages.items())
    # Writing is system calls, which run outside the interpreter lock: a few
    # threads keep the disk busy while a year of pages is written.
    chunks = [items[start : start + WRITE_CHUNK] for start in range(0, len(items), WRITE_CHUNK)]
    with ThreadPoolExecutor(max_workers=WRITE_THREADS) as pool:
        for written in pool.map(lambda chunk: _write_changed(chunk, targets), chunks):
            result.written.extend(written)
    result.unchanged += len(pages) - len(result.written)
    result.removed = remove_stale(docs, set(pages) | set(keep))
    return result


WRITE_THREADS = 4
WRITE_CHUNK = 256


def _write_changed(items: list[tuple[str, str]], targets: dict[str, str]) -> list[str]:
    """Write the pages whose file differs; the pages written, in order."""
    written = []
    for page, text in items:
        target = targets[page]
        data = text if isinstance(text, bytes) else text.encode("utf-8")  # bytes: already UTF-8
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
