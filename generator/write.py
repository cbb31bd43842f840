"""Writing pages: the only module that changes files.

Writes are atomic (a temporary file in the same folder, then a rename) and
incremental: a page whose bytes are unchanged is not rewritten, so its mtime
stays and MkDocs' dirty reload sees only what changed. Generated files that
are no longer produced are removed. Only paths that ``paths.is_generated``
accepts are ever written or removed: hand-written pages are never touched.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import paths

MAX_NAME_BYTES = 200


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def _safe_target(docs: Path, page: str) -> Path:
    pure = PurePosixPath(page)
    if pure.is_absolute() or ".." in pure.parts or not paths.is_generated(page):
        raise paths.UnsafePathError(f"refusing to write outside the generated folders: {page!r}")
    if any(len(part.encode("utf-8")) > MAX_NAME_BYTES for part in pure.parts):
        raise paths.UnsafePathError(f"file name longer than {MAX_NAME_BYTES} bytes: {page!r}")
    return docs.joinpath(*pure.parts)


def write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_pages(docs: Path, pages: dict[str, str], keep: set[str] = frozenset()) -> WriteResult:
    """Write changed pages, leave equal ones alone, remove generated files no longer produced.

    ``keep``: generated files that were not rendered this time but are still
    valid (their inputs did not change); they count as unchanged.
    """
    result = WriteResult(unchanged=len(keep))
    for page, text in pages.items():
        target = _safe_target(docs, page)
        data = text.encode("utf-8")
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                result.unchanged += 1
                continue
        except FileNotFoundError:
            pass
        write_atomic(target, data)
        result.written.append(page)
    result.removed = remove_stale(docs, set(pages) | set(keep))
    return result


def remove_stale(docs: Path, keep: set[str]) -> list[str]:
    removed: list[str] = []
    for folder in paths.GENERATED_DIRS:
        root = docs / folder
        if root.is_symlink() or not root.is_dir():
            continue  # never follow a link out of docs/ to delete files
        for current, dirnames, filenames in os.walk(root, topdown=False):
            for name in filenames:
                full = Path(current, name)
                relative = full.relative_to(docs).as_posix()
                if relative not in keep:
                    full.unlink()
                    removed.append(relative)
            if not os.listdir(current):
                os.rmdir(current)
    for relative in paths.GENERATED_FILES:
        if relative not in keep and (docs / relative).is_file():
            (docs / relative).unlink()
            removed.append(relative)
    return sorted(removed)
