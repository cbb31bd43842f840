"""Golden pages: a handful of pages of the real build of the sample digests, compared exactly.

The pages are what ``build()`` writes for ``tests/fixtures/samples/`` with the
curated ``taxonomy.yml`` (related papers and mentions included), compared byte
for byte with the files under ``tests/golden/`` (same relative paths as under
``docs/``).

After an intended change to the output (templates, rendering, taxonomy or the
sample digests), review the difference, then refresh the golden files with::

    UPDATE_GOLDEN=1 pytest tests/test_golden.py

or ``make golden``, which runs exactly that, and commit them with the change.
"""

from __future__ import annotations

import os
import difflib

import pytest

from conftest import ROOT, SAMPLE_DIGESTS, TAXONOMY
from generator.build import build

GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

GOLDEN_PAGES = [
    "index.md",
    "papers/2601.04211.md",  # GraspFormer: two days, an older summary
    "papers/2601.05588.md",  # StepVerify: an extra part
    "days/2026-01-13.md",
    "fields/robotics.md",
    "tags/robot-manipulation.md",
    "tags/robot-manipulation/2026-01.md",  # a month page: a line a paper
    "days/index.md",
    "fields/index.md",
    "tags/index.md",
    "papers/index.md",
]


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    docs = tmp_path_factory.mktemp("golden") / "docs"
    result = build(SAMPLE_DIGESTS, docs, TAXONOMY)
    assert not [d for d in result.diagnostics if d.level == "error"]
    return {page: (docs / page).read_text(encoding="utf-8") for page in GOLDEN_PAGES if (docs / page).is_file()}


@pytest.mark.parametrize("page", GOLDEN_PAGES)
def test_golden_page(pages, page):
    assert page in pages, f"{page} is no longer generated"
    golden = GOLDEN / page
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(pages[page], encoding="utf-8", newline="\n")
        return
    assert golden.is_file(), f"missing {golden}: run `make golden` (UPDATE_GOLDEN=1 pytest tests/test_golden.py)"
    expected = golden.read_text(encoding="utf-8")
    if pages[page] != expected:
        diff = "".join(
            difflib.unified_diff(expected.splitlines(True), pages[page].splitlines(True), f"golden/{page}", f"rendered/{page}")
        )
        pytest.fail(f"{page} differs from its golden copy (refresh with `make golden` if intended):\n{diff}")


def test_no_stray_golden_files():
    if not GOLDEN.is_dir():
        pytest.skip("no golden files yet")
    stray = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())
    assert [p for p in stray if p not in GOLDEN_PAGES] == []
