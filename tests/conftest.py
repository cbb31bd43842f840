"""Shared fixtures: paths to the project, its sample digests and ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The three sample digests, copied: tests never read digests/, which a fork replaces.
SAMPLE_DIGESTS = FIXTURES / "samples"
SHARED_DIGESTS = ROOT.parent / "shared" / "digests"
TAXONOMY = ROOT / "taxonomy.yml"


@pytest.fixture
def shared_digests() -> Path:
    if not SHARED_DIGESTS.is_dir():
        pytest.skip(f"../shared/digests is absent ({SHARED_DIGESTS}): the real digests are only beside the repo in CI")
    return SHARED_DIGESTS


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def merge_digests(digests, taxonomy):
    """``archive.merge`` of parsed digests, each analysed first (as the build does)."""
    from generator.analysis import analyze_digest
    from generator.archive import merge

    return merge([analyze_digest(digest, taxonomy) for digest in digests], taxonomy)


def load_digests(folder):
    """The digests of a folder, parsed, and the diagnostics (without analysis or merging)."""
    from generator.parse import parse_file
    from generator.sources import scan_digests

    files, diagnostics = scan_digests([folder])
    digests = []
    for file in files:
        digest, found = parse_file(file)
        diagnostics += found
        if digest is not None:
            digests.append(digest)
    return digests, diagnostics
