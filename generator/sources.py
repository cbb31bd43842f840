"""Finding digest files on disk: what ``build`` and ``check`` read, and what they pass over."""

from __future__ import annotations

import os
from pathlib import Path

from .model import WARNING, Diagnostic

DIGEST_SUFFIXES = (".md", ".txt")  # compared case-insensitively: "DAY.MD" is a digest too


def scan_digests(paths: list[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Digest files named directly or found in folders, in a stable order, and what was passed over.

    In a folder, only ``.md`` and ``.txt`` files (any case) are read; hidden
    files, sub-folders, other files and symbolic links that lead out of the
    folder (or nowhere) are skipped with a warning naming them. Files named
    directly are read as they are.
    """
    found: list[Path] = []
    skipped: list[Diagnostic] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        try:
            root = path.resolve()
            entries = sorted(path.iterdir())
        except OSError as exc:
            skipped.append(Diagnostic(str(path), 1, WARNING, f"cannot list the folder: {exc.strerror or exc}"))
            continue
        for entry in entries:
            reason = _skip_reason(entry, root)
            if reason:
                skipped.append(Diagnostic(str(entry), 1, WARNING, f"not read: {reason}"))
            else:
                found.append(entry)
    return found, skipped


def _skip_reason(entry: Path, root: Path) -> str:
    name = entry.name
    if name.startswith("."):
        return "hidden file or folder"
    try:
        if entry.is_symlink():
            target = entry.resolve(strict=True)
            if target.parent != root and root not in target.parents:
                return "a symbolic link to a file outside the digests folder"
        if entry.is_dir():
            return "a folder (digests are read from the top folder only)"
        if not entry.is_file():
            return "not a regular file"
    except (OSError, RuntimeError):
        return "a symbolic link that leads nowhere"
    if os.path.splitext(name)[1].lower() not in DIGEST_SUFFIXES:
        return "not a digest: only .md and .txt files are read"
    return ""
