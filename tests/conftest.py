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
