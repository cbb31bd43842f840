"""generator/store.py: pages written when their bytes differ, stale files removed, the input memo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import store
from generator.paths import UnsafePathError
from generator.store import Memo, memo_key, remove_stale, write_atomic, write_pages

OLD = 1_000_000_000  # 2001-09-09: an mtime no write today could produce

PAGES = {
    "index.md": "# home\n",
    "papers/2601.00001.md": "# one\n",
    "papers/2601.00002.md": "# two\n",
    "days/2026-01-01.md": "# day\n",
    "fields/nlp.md": "# nlp\n",
    "tags/rl.md": "# rl\n",
    "search/manifest.js": "var x = 1;\n",
}


@pytest.fixture
def docs(tmp_path) -> Path:
    """A docs folder with hand-written pages beside the generated folders."""
    root = tmp_path / "docs"
    (root / "assets" / "stylesheets").mkdir(parents=True)
    (root / "about.md").write_text("# about\n", encoding="utf-8")
    (root / "assets" / "stylesheets" / "extra.css").write_text("a {}\n", encoding="utf-8")
    (root / "papers-notes.md").write_text("# notes\n", encoding="utf-8")
    return root


def hand_written(docs: Path) -> dict[str, tuple[bytes, float]]:
    return {
        p.relative_to(docs).as_posix(): (p.read_bytes(), p.stat().st_mtime)
        for p in docs.rglob("*")
        if p.is_file() and p.relative_to(docs).parts[0] in ("about.md", "assets", "papers-notes.md")
    }


def age(docs: Path) -> None:
    for path in docs.rglob("*"):
        os.utime(path, (OLD, OLD))


def tree(docs: Path) -> dict[str, str]:
    return {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*")) if p.is_file()}


def test_writes_every_page(docs):
    result = write_pages(docs, PAGES)
    assert sorted(result.written) == sorted(PAGES)
    assert result.unchanged == 0 and result.removed == []
    for page, text in PAGES.items():
        assert (docs / page).read_text(encoding="utf-8") == text
    assert oct((docs / "papers/2601.00001.md").stat().st_mode & 0o777) == "0o644"


def test_unchanged_pages_are_not_rewritten(docs):
    write_pages(docs, PAGES)
    age(docs)
    result = write_pages(docs, PAGES)
    assert result.written == [] and result.unchanged == len(PAGES) and result.removed == []
    for page in PAGES:
        assert (docs / page).stat().st_mtime == OLD, page


def test_only_changed_pages_are_rewritten(docs):
    write_pages(docs, PAGES)
    age(docs)
    changed = dict(PAGES, **{"papers/2601.00002.md": "# two, reworded\n", "tags/rl.md": "# RL\n"})  # same size
    result = write_pages(docs, changed)
    assert sorted(result.written) == ["papers/2601.00002.md", "tags/rl.md"]
    assert result.unchanged == len(PAGES) - 2
    for page in PAGES:
        assert ((docs / page).stat().st_mtime == OLD) == (page not in result.written), page
    assert (docs / "tags/rl.md").read_text(encoding="utf-8") == "# RL\n"


def test_stale_pages_and_empty_folders_are_removed(docs):
    extra = dict(PAGES, **{"papers/deep/2601.00003.md": "# nested\n", "stats/index.md": "# stats\n"})
    write_pages(docs, extra)
    (docs / "tags" / ".tmp-left-over.md").write_text("crash leftover", encoding="utf-8")
    kept = {k: v for k, v in PAGES.items() if k not in ("papers/2601.00002.md", "tags/rl.md", "index.md")}
    result = write_pages(docs, kept)
    assert result.removed == [
        "index.md",
        "papers/2601.00002.md",
        "papers/deep/2601.00003.md",
        "stats/index.md",
        "tags/.tmp-left-over.md",
        "tags/rl.md",
    ]
    assert not (docs / "papers" / "deep").exists()
    assert not (docs / "stats").exists() and not (docs / "tags").exists()  # emptied generated folders go too
    assert (docs / "papers" / "2601.00001.md").is_file()
    assert "about.md" in tree(docs)


def test_hand_written_pages_are_never_touched(docs):
    age(docs)
    before = hand_written(docs)
    write_pages(docs, PAGES)
    write_pages(docs, {})
    write_pages(docs, PAGES)
    assert hand_written(docs) == before
    assert remove_stale(docs, set()) == sorted(PAGES)
    assert hand_written(docs) == before


@pytest.mark.parametrize(
    "page",
    [
        "about.md",
        "assets/stylesheets/extra.css",
        "papers-notes.md",
        "../outside.md",
        "papers/../about.md",
        "papers/../../outside.md",
        "/tmp/absolute.md",
        "papers\\..\\about.md",
        "papers",
        "papers/",
        "mkdocs.yml",
    ],
)
def test_refuses_paths_outside_generated_folders(docs, page):
    age(docs)
    before = tree(docs)
    with pytest.raises(UnsafePathError):
        write_pages(docs, {page: "# pwned\n"})
    assert tree(docs) == before
    assert not (docs.parent / "outside.md").exists()


def test_refuses_overlong_names(docs):
    with pytest.raises(UnsafePathError):
        write_pages(docs, {"papers/" + "a" * 300 + ".md": "x"})


def test_atomic_write_leaves_no_temporary_files(docs):
    write_pages(docs, PAGES)
    leftovers = [p for p in docs.rglob("*") if p.name.startswith(".tmp-")]
    assert leftovers == []


def test_failed_write_keeps_the_old_file(docs, monkeypatch):
    target = docs / "papers" / "2601.00001.md"
    write_atomic(target, b"old\n")

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(store.os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(target, b"new\n")
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in target.parent.iterdir()] == ["2601.00001.md"]  # the temporary file is gone


def test_atomic_write_replaces_by_rename(docs, monkeypatch):
    target = docs / "days" / "2026-01-01.md"
    write_atomic(target, b"old\n")
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        # The new bytes are complete in a sibling file before the rename.
        assert Path(src).parent == Path(dst).parent
        assert Path(src).read_bytes() == b"new\n"
        assert Path(dst).read_bytes() == b"old\n"
        seen.append((src, dst))
        real_replace(src, dst)

    monkeypatch.setattr(store.os, "replace", spy)
    write_atomic(target, b"new\n")
    assert len(seen) == 1 and target.read_bytes() == b"new\n"


def test_stale_removal_does_not_follow_a_linked_folder(docs, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "precious.md").write_text("keep me", encoding="utf-8")
    (docs / "stats").symlink_to(outside, target_is_directory=True)
    remove_stale(docs, set())
    assert (outside / "precious.md").read_text(encoding="utf-8") == "keep me"


def test_pages_given_as_utf8_bytes_are_written_as_they_are(docs):
    result = write_pages(docs, {"papers/2601.00001.md": "正文\n".encode("utf-8")})
    assert (docs / "papers" / "2601.00001.md").read_text(encoding="utf-8") == "正文\n"
    again = write_pages(docs, {"papers/2601.00001.md": "正文\n"})
    assert result.written == ["papers/2601.00001.md"] and again.written == [] and again.unchanged == 1


def test_a_generated_folder_that_is_a_link_is_replaced_by_a_real_folder(docs, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (docs / "papers").symlink_to(outside, target_is_directory=True)
    write_pages(docs, PAGES)
    assert list(outside.iterdir()) == []
    assert not (docs / "papers").is_symlink() and (docs / "papers" / "2601.00001.md").read_text() == "# one\n"


def test_a_temporary_file_left_at_the_top_of_docs_is_removed(docs):
    (docs / ".tmp-abc123").write_text("a killed build's page", encoding="utf-8")
    write_pages(docs, PAGES)
    assert not (docs / ".tmp-abc123").exists() and (docs / "about.md").is_file()


# -- the input memo -------------------------------------------------------------------------


def test_memo_values_come_back_in_the_next_build(tmp_path):
    memo = Memo(tmp_path)
    assert memo.get("a") is None
    memo.put("a", {"parsed": (1, 2)})
    memo.save()
    assert Memo(tmp_path).get("a") == {"parsed": (1, 2)}


def test_memo_keeps_only_what_the_last_build_asked_for(tmp_path):
    first = Memo(tmp_path)
    first.put("a", 1)
    first.put("b", 2)
    first.save()
    second = Memo(tmp_path)
    assert second.get("a") == 1
    second.put("c", 3)
    second.save()
    folder = tmp_path / store.CACHE_DIR / store.MEMO_DIR
    assert sorted(p.name for p in folder.iterdir()) == ["a.pickle", "c.pickle"]


def test_an_unreadable_memo_entry_is_recomputed(tmp_path):
    memo = Memo(tmp_path)
    memo.put("a", 1)
    memo.save()
    (tmp_path / store.CACHE_DIR / store.MEMO_DIR / "a.pickle").write_bytes(b"not a pickle")
    assert Memo(tmp_path).get("a") is None


def test_a_memo_without_a_folder_keeps_values_in_memory_only(tmp_path):
    memo = Memo(None)
    memo.put("a", 1)
    memo.save()
    assert memo.get("a") == 1 and list(tmp_path.iterdir()) == []


def test_memo_keys_change_with_any_part():
    assert memo_key("v1", b"x") == memo_key("v1", b"x")
    assert memo_key("v1", b"x") != memo_key("v2", b"x") != memo_key("v1", b"y")
    assert memo_key("ab", "c") != memo_key("a", "bc")


# -- the state of the last build ----------------------------------------------------------------


def test_a_build_with_the_same_inputs_and_untouched_files_is_unchanged(docs):
    write_pages(docs, PAGES)
    store.save_state(docs, "inputs-1", [], {"days": 1, "papers": 2})
    state = store.load_state(docs)
    assert store.unchanged_since(docs, state, "inputs-1")
    assert not store.unchanged_since(docs, state, "inputs-2")
    (docs / "papers" / "2601.00001.md").write_text("# edited by hand\n", encoding="utf-8")
    assert not store.unchanged_since(docs, state, "inputs-1")


def test_a_missing_or_extra_generated_file_is_a_change(docs):
    write_pages(docs, PAGES)
    store.save_state(docs, "inputs", [], {})
    (docs / "tags" / "new.md").write_text("x", encoding="utf-8")
    assert not store.unchanged_since(docs, store.load_state(docs), "inputs")
    (docs / "tags" / "new.md").unlink()
    (docs / "tags" / "rl.md").unlink()
    assert not store.unchanged_since(docs, store.load_state(docs), "inputs")


def test_generated_stats_are_the_size_and_time_of_every_generated_file(docs, tmp_path):
    write_pages(docs, PAGES)
    (docs / "index.md").write_text("# hand-written\n", encoding="utf-8")  # not generated: not listed
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.md").write_text("x", encoding="utf-8")
    (docs / "tags" / "linked").symlink_to(outside, target_is_directory=True)  # listed as os.walk lists it: not entered
    stats = store.generated_stats(docs)
    assert set(stats) == store.generated_files(docs) and not any(page.startswith("tags/linked") for page in stats)
    for page, (size, mtime_ns) in stats.items():
        info = os.stat(docs / page)
        assert (size, mtime_ns) == (info.st_size, info.st_mtime_ns)


def test_an_unreadable_state_is_no_state(docs):
    (docs / store.CACHE_DIR).mkdir()
    (docs / store.CACHE_DIR / store.STATE_FILE).write_text("{not json", encoding="utf-8")
    assert store.load_state(docs) == store.State()
