"""Finding digest files (generator/sources.py)."""

from __future__ import annotations

import shutil

from conftest import FIXTURES
from generator.sources import scan_digests

PARSE = FIXTURES / "parse"


def test_scan_sorts_folders_filters_suffixes_and_keeps_named_files(tmp_path):
    folder = tmp_path / "digests"
    folder.mkdir()
    for name in ("b.md", "a.txt", "c.json", ".hidden.md", "README"):
        (folder / name).write_text("x", encoding="utf-8")
    (folder / "sub.md").mkdir()  # a folder named like a digest is not a file
    named = tmp_path / "other.markdown"
    assert scan_digests([folder, named])[0] == [folder / "a.txt", folder / "b.md", named]


def test_scan_digests_reads_md_and_txt_in_any_case_and_reports_what_it_skips(tmp_path):
    from generator.sources import scan_digests

    folder = tmp_path / "digests"
    folder.mkdir()
    outside = tmp_path / "secret.md"
    outside.write_text("x", encoding="utf-8")
    for name in ("a.md", "B.MD", "c.Txt", "notes.json", ".hidden.md"):
        (folder / name).write_text("x", encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "inside.md").symlink_to(folder / "a.md")
    (folder / "leak.md").symlink_to(outside)
    (folder / "dangling.md").symlink_to(tmp_path / "missing.md")
    found, skipped = scan_digests([folder])
    assert found == [folder / "B.MD", folder / "a.md", folder / "c.Txt", folder / "inside.md"]
    assert [str(d) for d in skipped] == [
        f"{folder / '.hidden.md'}:1: warning: not read: hidden file or folder",
        f"{folder / 'dangling.md'}:1: warning: not read: a symbolic link that leads nowhere",
        f"{folder / 'leak.md'}:1: warning: not read: a symbolic link to a file outside the digests folder",
        f"{folder / 'notes.json'}:1: warning: not read: not a digest: only .md and .txt files are read",
        f"{folder / 'sub'}:1: warning: not read: a folder (digests are read from the top folder only)",
    ]
    assert scan_digests([folder])[0] == found


def test_the_build_reports_what_it_skipped(tmp_path):
    from generator.build import build

    folder = tmp_path / "digests"
    folder.mkdir()
    shutil.copy(PARSE / "minimal.md", folder / "minimal.MD")
    (folder / "README").write_text("x", encoding="utf-8")
    result = build(folder, tmp_path / "docs", FIXTURES.parent.parent / "taxonomy.yml")
    assert result.papers >= 1
    assert [str(d) for d in result.diagnostics] == [
        f"{folder / 'README'}:1: warning: not read: not a digest: only .md and .txt files are read"
    ]
