"""generator/build.py and ``python -m generator build``: the whole pipeline on disk.

Determinism, incremental no-op runs, rewriting only what a changed digest
affects, removing what a removed digest alone produced, and the exit code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SAMPLE_DIGESTS, TAXONOMY
from generator import paths
from generator.store import CACHE_DIR
from generator.build import build

SMALL_TAXONOMY = FIXTURES / "taxonomy" / "small.yml"
WITH_ERRORS = FIXTURES / "build" / "with_errors"
OLD = 1_000_000_000


@pytest.fixture
def taxonomy() -> Path:
    return TAXONOMY if TAXONOMY.is_file() else SMALL_TAXONOMY


@pytest.fixture
def digests(tmp_path) -> Path:
    """A private copy of the sample digests, free to edit."""
    folder = tmp_path / "digests"
    shutil.copytree(SAMPLE_DIGESTS, folder)
    return folder


def outputs(docs: Path) -> list[Path]:
    """Generated files, without the build cache (docs/.generator/), which is not output."""
    return [p for p in sorted(docs.rglob("*")) if p.is_file() and ".generator" not in p.relative_to(docs).parts]


def snapshot(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in outputs(docs)}


def age(docs: Path) -> None:
    for path in outputs(docs):
        os.utime(path, (OLD, OLD))


def fresh(tmp_path: Path, digests: Path, taxonomy: Path, name: str) -> dict[str, bytes]:
    docs = tmp_path / name
    build(digests, docs, taxonomy)
    return snapshot(docs)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_two_builds_are_byte_identical(tmp_path, digests, taxonomy):
    first = fresh(tmp_path, digests, taxonomy, "one")
    second = fresh(tmp_path, digests, taxonomy, "two")
    assert first == second
    assert len(first) > 50


def test_shared_builds_are_byte_identical(tmp_path, shared_digests, taxonomy):
    assert fresh(tmp_path, shared_digests, taxonomy, "one") == fresh(tmp_path, shared_digests, taxonomy, "two")


def test_no_op_rebuild_writes_nothing(tmp_path, digests, taxonomy):
    docs = tmp_path / "docs"
    result = build(digests, docs, taxonomy)
    assert len(result.written.written) == len(snapshot(docs))
    age(docs)
    again = build(digests, docs, taxonomy)
    assert again.written.written == [] and again.written.removed == []
    assert again.written.unchanged == len(result.written.written)
    assert {p.stat().st_mtime for p in outputs(docs)} == {OLD}
    assert "0 pages written" in again.summary()


def test_changed_result_text_rewrites_only_that_paper(tmp_path, digests, taxonomy):
    docs = tmp_path / "docs"
    build(digests, docs, taxonomy)
    age(docs)
    # The results of TTS-Lite (2601.04387, only in 2026-01-12) show on its page, and in the full-text search index.
    edit(digests / "2026-01-12.md", "24kHz 波形，按 80ms 的块流式输出。", "24kHz 波形，按 80ms 的块流式输出（可调）。")
    result = build(digests, docs, taxonomy)
    assert [page for page in result.written.written if not page.startswith("search/")] == ["papers/2601.04387.md"]
    assert result.written.removed == []


def test_changed_contribution_rewrites_only_pages_that_show_it(tmp_path, digests, taxonomy):
    docs = tmp_path / "docs"
    build(digests, docs, taxonomy)
    age(docs)
    edit(digests / "2026-01-12.md", "首包延迟低于 150ms", "首包延迟低于 120ms")
    result = build(digests, docs, taxonomy)
    written = set(result.written.written)
    entry = result.archive.entries["2601.04387"]
    must = {"papers/2601.04387.md", "days/2026-01-12.md", "papers/index.md"}
    must |= {f"fields/{s}.md" for s in entry.fields} | {f"tags/{s}.md" for s in entry.tags}
    assert must <= written
    # Its month pages list it by title and date only: they stay as they were.
    for page in [f"fields/{s}/2026-01.md" for s in entry.fields] + [f"tags/{s}/2026-01.md" for s in entry.tags]:
        assert page not in written and (docs / page).stat().st_mtime == OLD, page
    # Papers that list it among their related papers show its contribution too.
    from generator.links import link_archive

    links = link_archive(result.archive)
    shown_by = {f"papers/{i}.md" for i, related in links.related.items() if "2601.04387" in related}
    for page in written - must - shown_by:
        # The search index, the feeds and its card hold the contribution too.
        assert page.startswith(("search/", "feeds/", "cards/")) or page == "feed.xml", page
    # Nothing else changed: other papers, days, indexes, the home page (newest day is 2026-01-14).
    for page in ("index.md", "days/2026-01-13.md", "papers/2601.04211.md", "fields/index.md", "tags/index.md"):
        assert (docs / page).stat().st_mtime == OLD, page
    assert snapshot(docs) == fresh(tmp_path, digests, taxonomy, "reference")


def test_removed_digest_removes_only_its_pages(tmp_path, digests, taxonomy):
    docs = tmp_path / "docs"
    build(digests, docs, taxonomy)
    before = set(snapshot(docs))
    (digests / "2026-01-14.md").unlink()
    result = build(digests, docs, taxonomy)
    after = snapshot(docs)
    assert after == fresh(tmp_path, digests, taxonomy, "reference")
    assert set(result.written.removed) == before - set(after)
    removed = set(result.written.removed)
    assert {"days/2026-01-14.md", "papers/2601.06112.md", "papers/2601.06245.md", "papers/2601.06509.md",
            "papers/2601.06674.md", "papers/2601.06893.md"} <= removed
    assert not any(p.startswith("papers/2601.04") or p.startswith("papers/2601.05") for p in removed)
    # Fields and tags that only 2026-01-14 papers had are gone; no page links to them.
    for page in removed:
        if page.startswith(("fields/", "tags/")):
            slug = page.split("/")[1]
            pages = [text.decode() for path, text in after.items() if not path.startswith("cards/")]
            assert all(f"/{slug}" not in text and f"]({slug}" not in text for text in pages)


def test_removed_digest_keeps_papers_seen_on_other_days(tmp_path, digests, taxonomy):
    docs = tmp_path / "docs"
    build(digests, docs, taxonomy)
    (digests / "2026-01-12.md").unlink()
    result = build(digests, docs, taxonomy)
    assert "days/2026-01-12.md" in result.written.removed
    assert "papers/2601.04211.md" not in result.written.removed  # GraspFormer is also in 2026-01-13
    page = (docs / "papers/2601.04211.md").read_text(encoding="utf-8")
    assert "2026-01-12" not in page and "往期摘要" not in page


def test_hand_written_docs_survive_builds(tmp_path, digests, taxonomy):
    docs = tmp_path / "docs"
    generated = (*paths.GENERATED_DIRS, *paths.GENERATED_FILES, CACHE_DIR)
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns(*generated))
    age(docs)
    hand = snapshot(docs)
    build(digests, docs, taxonomy)
    (digests / "2026-01-13.md").unlink()
    build(digests, docs, taxonomy)
    after = snapshot(docs)
    for page, data in hand.items():
        assert after[page] == data
        assert (docs / page).stat().st_mtime == OLD


# -- python -m generator build ---------------------------------------------------------


def run_build(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_exit_1_on_errors_but_valid_papers_are_written(tmp_path, digests, taxonomy):
    for path in WITH_ERRORS.iterdir():
        shutil.copy(path, digests / path.name)
    docs = tmp_path / "docs"
    result = run_build("--digests", str(digests), "--docs", str(docs), "--taxonomy", str(taxonomy))
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert any(line.startswith(str(digests / "2026-02-01.md") + ":7: error:") for line in errors), errors
    assert any(line.startswith(str(digests / "undated.md") + ":1: error:") for line in errors), errors
    assert (docs / "papers/2602.00002.md").is_file()  # the valid paper beside the broken one
    assert (docs / "days/2026-02-01.md").is_file()
    assert (docs / "papers/2601.04211.md").is_file()  # and the other files
    assert not (docs / "papers/2602.00003.md").exists()
    assert "errors" in result.stdout


def test_exit_0_without_errors(tmp_path, digests, taxonomy):
    docs = tmp_path / "docs"
    result = run_build("--digests", str(digests), "--docs", str(docs), "--taxonomy", str(taxonomy))
    assert result.returncode == 0, result.stderr
    assert ": error: " not in result.stderr
    assert (docs / "index.md").is_file()
    # Warnings alone fail only with --strict (2026-01-13.md has an extra part).
    assert ": warning: " in result.stderr
    strict = run_build("--digests", str(digests), "--docs", str(docs), "--taxonomy", str(taxonomy), "--strict")
    assert strict.returncode == 1


def test_added_day_leaves_older_day_pages_unrendered(tmp_path, digests, taxonomy):
    newest = digests / "2026-01-14.md"
    kept_aside = tmp_path / "2026-01-14.md"
    shutil.move(newest, kept_aside)
    docs = tmp_path / "docs"
    build(digests, docs, taxonomy)
    age(docs)
    shutil.move(kept_aside, newest)
    result = build(digests, docs, taxonomy)
    written = set(result.written.written)
    assert {"days/2026-01-14.md", "days/2026-01-13.md", "index.md"} <= written  # the new day; the link to it
    assert "days/2026-01-12.md" not in written
    assert (docs / "days" / "2026-01-12.md").stat().st_mtime == OLD
    assert snapshot(docs) == fresh(tmp_path, digests, taxonomy, "reference")


def test_a_build_parses_only_the_digests_whose_bytes_changed(tmp_path, digests, taxonomy, monkeypatch):
    import generator.build as build_module

    docs = tmp_path / "docs"
    build(digests, docs, taxonomy)
    edit(digests / "2026-01-12.md", "首包延迟低于 150ms", "首包延迟低于 120ms")
    parsed = []
    real_parse = build_module.parse_bytes
    monkeypatch.setattr(build_module, "parse_bytes", lambda data, path: parsed.append(Path(path).name) or real_parse(data, path))
    build(digests, docs, taxonomy)
    assert parsed == ["2026-01-12.md"]
    assert snapshot(docs) == fresh(tmp_path, digests, taxonomy, "reference")


def test_a_memo_made_by_other_code_is_not_used(tmp_path, digests, taxonomy, monkeypatch):
    import generator.build as build_module

    docs = tmp_path / "docs"
    build(digests, docs, taxonomy)
    edit(digests / "2026-01-12.md", "首包延迟低于 150ms", "首包延迟低于 120ms")
    monkeypatch.setattr(build_module, "code_version", lambda: "other code")
    parsed = []
    real_parse = build_module.parse_bytes
    monkeypatch.setattr(build_module, "parse_bytes", lambda data, path: parsed.append(Path(path).name) or real_parse(data, path))
    build(digests, docs, taxonomy)
    assert sorted(parsed) == ["2026-01-12.md", "2026-01-13.md", "2026-01-14.md"]
    assert snapshot(docs) == fresh(tmp_path, digests, taxonomy, "reference")


def test_a_build_that_fails_while_rendering_papers_leaves_docs_as_the_last_build_wrote_it(tmp_path, digests, taxonomy, monkeypatch):
    from generator.render import Renderer

    docs = tmp_path / "docs"
    build(digests, docs, taxonomy)
    before = snapshot(docs)
    # A changed contribution: its day, field and tag pages and its paper page are all rewritten.
    edit(digests / "2026-01-12.md", "24kHz 波形，按 80ms 的块流式输出。", "24kHz 波形，按 80ms 的块流式输出（可调）。")
    real_paper = Renderer.paper

    def failing(self, entry):
        if entry.arxiv_id == "2601.04387":
            raise RuntimeError("a template error")
        return real_paper(self, entry)

    monkeypatch.setattr(Renderer, "paper", failing)
    with pytest.raises(RuntimeError, match="a template error"):
        build(digests, docs, taxonomy)
    assert snapshot(docs) == before  # every page is rendered before any is written
    monkeypatch.setattr(Renderer, "paper", real_paper)
    result = build(digests, docs, taxonomy)  # the next build catches up
    assert "papers/2601.04387.md" in result.written.written
    assert "（可调）" in (docs / "papers" / "2601.04387.md").read_text(encoding="utf-8")


def test_a_folder_where_a_page_goes_is_a_clear_error(tmp_path):
    from generator.build import BuildError

    docs = tmp_path / "docs"
    build(SAMPLE_DIGESTS, docs, TAXONOMY)
    page = docs / "papers" / "2601.04211.md"
    page.unlink()
    page.mkdir()
    (page / "kept.txt").write_text("x")
    (docs / ".generator").rename(tmp_path / "cache-moved")  # no cache: every page is compared again
    with pytest.raises(BuildError) as raised:
        build(SAMPLE_DIGESTS, docs, TAXONOMY)
    assert str(raised.value) == f"cannot write {page}: Is a directory"


def test_docs_that_is_a_file_is_a_clear_error(tmp_path):
    from generator.build import BuildError

    docs = tmp_path / "docs"
    docs.write_text("not a folder")
    with pytest.raises(BuildError) as raised:
        build(SAMPLE_DIGESTS, docs, TAXONOMY)
    assert str(raised.value).startswith(f"cannot write {docs}")


def test_digests_read_on_several_cores_are_read_as_on_one():
    from generator import store
    from generator.build import read_digests, read_inputs
    from generator.taxonomy import load_taxonomy

    inputs, _ = read_inputs([SAMPLE_DIGESTS, FIXTURES / "build" / "with_errors"])
    taxonomy = load_taxonomy(TAXONOMY)[0]
    one = read_digests(inputs, taxonomy, TAXONOMY, store.Memo(None), "v", workers=1)
    two = read_digests(inputs, taxonomy, TAXONOMY, store.Memo(None), "v", workers=2)
    assert one == two
    assert [analysed is None for analysed, _ in one].count(False) >= 3
