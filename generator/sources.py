"""Finding digest files on disk and parsing them all (the reader stage)."""

from __future__ import annotations

from pathlib import Path

from .model import Diagnostic, Digest
from .parse import parse_file

DIGEST_SUFFIXES = (".md", ".txt")


def find_digests(paths: list[Path]) -> list[Path]:
    """Digest files named directly or found in folders, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.iterdir() if p.is_file() and p.suffix in DIGEST_SUFFIXES and not p.name.startswith("."))
            )
        else:
            found.append(path)
    return found


def load_digests(files: list[Path]) -> tuple[list[Digest], list[Diagnostic]]:
    digests: list[Digest] = []
    diagnostics: list[Diagnostic] = []
    for file in files:
        digest, found = parse_file(file)
        diagnostics.extend(found)
        if digest is not None:
            digests.append(digest)
    return digests, diagnostics
