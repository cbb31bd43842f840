"""generator/write.py: atomic, incremental writes that never touch hand-written pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import write
from generator.paths import UnsafePathError
from generator.write import PageWriter, remove_stale, write_atomic, write_pages

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

    monkeypatch.setattr(write.os, "replace", fail)
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

    monkeypatch.setattr(write.os, "replace", spy)
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


def test_a_new_folder_is_written_under_a_temporary_name_and_renamed_into_place(docs, monkeypatch):
    renamed, replaced = [], []
    real_rename, real_replace = os.rename, os.replace

    def spy_rename(src, dst):
        # The folder is complete under its temporary name before it takes its own.
        assert Path(src).name == f".tmp-{os.getpid()}-{Path(dst).name}" and not Path(dst).exists()
        renamed.append((Path(src).name, Path(dst).relative_to(docs).as_posix(), sorted(p.name for p in Path(src).iterdir())))
        real_rename(src, dst)

    monkeypatch.setattr(write.os, "rename", spy_rename)
    monkeypatch.setattr(write.os, "replace", lambda src, dst: replaced.append(Path(dst).name) or real_replace(src, dst))
    result = write_pages(docs, PAGES)
    assert sorted(result.written) == sorted(PAGES)
    assert sorted(renamed) == [
        (f".tmp-{os.getpid()}-days", "days", ["2026-01-01.md"]),
        (f".tmp-{os.getpid()}-fields", "fields", ["nlp.md"]),
        (f".tmp-{os.getpid()}-papers", "papers", ["2601.00001.md", "2601.00002.md"]),
        (f".tmp-{os.getpid()}-search", "search", ["manifest.js"]),
        (f".tmp-{os.getpid()}-tags", "tags", ["rl.md"]),
    ]
    assert replaced == ["index.md"]  # a page outside the generated folders, written through its own temporary file
    assert {page: (docs / page).read_text(encoding="utf-8") for page in PAGES} == PAGES
    assert [p.name for p in docs.iterdir() if p.name.startswith(".tmp-")] == []


def test_pages_of_a_folder_that_exists_are_written_one_by_one(docs, monkeypatch):
    write_pages(docs, {"papers/2601.00001.md": "# one\n"})
    monkeypatch.setattr(write.os, "rename", lambda src, dst: pytest.fail("no folder rename for an existing folder"))
    result = write_pages(docs, {"papers/2601.00001.md": "# one\n", "papers/2601.00002.md": "# two\n"})
    assert result.written == ["papers/2601.00002.md"]
    assert (docs / "papers" / "2601.00002.md").read_text(encoding="utf-8") == "# two\n"


def test_a_folder_made_meanwhile_gets_the_pages_one_by_one(docs, monkeypatch):
    real_rename = os.rename

    def taken(src, dst):
        Path(dst).mkdir()
        (Path(dst) / "2601.00009.md").write_text("# other build\n", encoding="utf-8")
        real_rename(src, dst)  # fails: the folder is not empty

    monkeypatch.setattr(write.os, "rename", taken)
    result = write_pages(docs, {"papers/2601.00001.md": "# one\n", "papers/deep/2601.00002.md": "# two\n"})
    assert sorted(result.written) == ["papers/2601.00001.md", "papers/deep/2601.00002.md"]
    assert (docs / "papers" / "2601.00001.md").read_text(encoding="utf-8") == "# one\n"
    assert (docs / "papers" / "deep" / "2601.00002.md").read_text(encoding="utf-8") == "# two\n"
    assert [p.name for p in docs.iterdir() if p.name.startswith(".tmp-")] == []


def test_folders_a_killed_build_left_under_temporary_names_are_removed(docs):
    leftover = docs / f".tmp-{_ended_process_id()}-papers"
    (leftover / "deep").mkdir(parents=True)
    (leftover / "deep" / "2601.00001.md").write_text("half\n", encoding="utf-8")
    (docs / ".tmp-notes").mkdir()  # not a name the generator gives
    write_pages(docs, {"days/2026-01-01.md": "# day\n"})
    assert not leftover.exists()
    assert (docs / ".tmp-notes").is_dir()


def _ended_process_id() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_what_a_running_build_staged_is_left_alone(docs):
    """A build in progress beside this one (``mkdocs serve`` and the command line) keeps its folders."""
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        staged = docs / f".tmp-{running.pid}-papers"
        staged.mkdir()
        ended = docs / f".tmp-{_ended_process_id()}-index.md"
        ended.write_text("half\n", encoding="utf-8")
        write_pages(docs, {"days/2026-01-01.md": "# day\n"})
        assert staged.is_dir() and not ended.exists()
    finally:
        running.kill()
        running.wait()


def test_a_failed_write_into_a_new_folder_leaves_no_folder(docs, monkeypatch):
    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(write.os, "rename", fail)
    with pytest.raises(OSError, match="disk full"):
        write_pages(docs, {"papers/2601.00001.md": "# one\n"})
    assert not (docs / "papers").exists()
    assert [p.name for p in docs.iterdir() if p.name.startswith(".tmp-")] == []


def test_a_link_left_under_a_temporary_name_is_removed_not_followed(docs, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "precious.md").write_text("keep me", encoding="utf-8")
    (docs / f".tmp-{os.getpid()}-papers").symlink_to(outside, target_is_directory=True)
    write_pages(docs, {"papers/2601.00001.md": "# one\n"})
    assert not (docs / f".tmp-{os.getpid()}-papers").is_symlink()
    assert sorted(p.name for p in outside.iterdir()) == ["precious.md"]
    assert (docs / "papers" / "2601.00001.md").read_text(encoding="utf-8") == "# one\n"


# -- PageWriter: pages written as they are rendered, by this process or a forked one ------


def test_pages_written_through_count_as_written_or_unchanged_and_are_never_stale(docs):
    write_pages(docs, {"papers/2601.00001.md": "# one\n", "papers/2601.00003.md": "# gone\n"})
    writer = PageWriter(docs, ["days", "papers"])
    through = writer.write({"papers/2601.00001.md": "# one\n", "papers/2601.00002.md": "# two\n"})
    assert through == ["papers/2601.00002.md"]
    result = writer.finish(
        {"days/2026-01-01.md": "# day\n"}, written_through={"papers/2601.00001.md": False, "papers/2601.00002.md": True}
    )
    assert result.written == ["papers/2601.00002.md", "days/2026-01-01.md"]
    assert result.unchanged == 1 and result.removed == ["papers/2601.00003.md"]
    assert sorted(p.name for p in (docs / "papers").iterdir()) == ["2601.00001.md", "2601.00002.md"]


def test_pages_of_a_later_section_go_to_its_temporary_folder_until_finish(docs):
    writer = PageWriter(docs, ["papers"])
    writer.write({"papers/2601.00001.md": "# one\n"})
    assert not (docs / "papers").exists()
    assert (docs / f".tmp-{os.getpid()}-papers" / "2601.00001.md").read_text(encoding="utf-8") == "# one\n"
    writer.finish({}, written_through={"papers/2601.00001.md": True})
    assert (docs / "papers" / "2601.00001.md").read_text(encoding="utf-8") == "# one\n"
    assert [p.name for p in docs.iterdir() if p.name.startswith(".tmp-")] == []


def test_a_later_section_without_pages_is_not_made(docs):
    writer = PageWriter(docs, ["papers"])
    result = writer.finish({"days/2026-01-01.md": "# day\n"})
    assert result.written == ["days/2026-01-01.md"]
    assert not (docs / "papers").exists()
    assert [p.name for p in docs.iterdir() if p.name.startswith(".tmp-")] == []


def test_a_build_that_fails_after_writing_through_leaves_no_new_folder(docs):
    writer = PageWriter(docs, ["papers"])
    writer.write({"papers/2601.00001.md": "# one\n"})
    writer.discard()  # what the build does when rendering fails
    assert not (docs / "papers").exists()
    assert [p.name for p in docs.iterdir() if p.name.startswith(".tmp-")] == []


def test_the_writer_checks_every_page_it_is_given_before_writing_any(docs):
    writer = PageWriter(docs, ["days", "papers"])
    with pytest.raises(UnsafePathError):
        writer.write({"days/2026-01-01.md": "# day\n", "../outside.md": "x"})
    writer.discard()
    assert sorted(p.name for p in docs.iterdir()) == ["about.md", "assets", "papers-notes.md"]


def test_changed_pages_of_an_existing_folder_take_their_place_only_at_finish(docs):
    write_pages(docs, {"papers/2601.00001.md": "# old\n", "index.md": "# old home\n"})
    writer = PageWriter(docs, ["papers"])
    assert writer.write({"papers/2601.00001.md": "# new\n", "index.md": "# new home\n"}) == ["papers/2601.00001.md", "index.md"]
    assert (docs / "papers" / "2601.00001.md").read_text(encoding="utf-8") == "# old\n"  # docs/ shows the last build whole
    assert (docs / "index.md").read_text(encoding="utf-8") == "# old home\n"
    result = writer.finish({}, written_through={"papers/2601.00001.md": True, "index.md": True})
    assert result.written == ["papers/2601.00001.md", "index.md"] and result.removed == []
    assert (docs / "papers" / "2601.00001.md").read_text(encoding="utf-8") == "# new\n"
    assert (docs / "index.md").read_text(encoding="utf-8") == "# new home\n"
    assert [p.name for p in docs.rglob(".tmp-*")] == []


def test_a_build_that_fails_before_finish_leaves_the_pages_as_they_were(docs):
    write_pages(docs, {"papers/2601.00001.md": "# old\n", "days/2026-01-01.md": "# day\n", "index.md": "# home\n"})
    before = tree(docs)
    writer = PageWriter(docs, ["papers", "days", "tags"])
    writer.write({"papers/2601.00001.md": "# new\n", "tags/rl.md": "# rl\n", "index.md": "# new home\n"})
    writer.discard()
    assert tree(docs) == before
    assert [p.name for p in docs.rglob(".tmp-*")] == []
