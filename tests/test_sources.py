"""Finding digest files and loading them all (generator/sources.py)."""

from __future__ import annotations

import shutil

from conftest import FIXTURES
from generator.sources import find_digests, load_digests

PARSE = FIXTURES / "parse"


def test_find_digests_sorts_folders_filters_suffixes_and_keeps_named_files(tmp_path):
    folder = tmp_path / "digests"
    folder.mkdir()
    for name in ("b.md", "a.txt", "c.json", ".hidden.md", "README"):
        (folder / name).write_text("x", encoding="utf-8")
    (folder / "sub.md").mkdir()  # a folder named like a digest is not a file
    named = tmp_path / "other.markdown"
    assert find_digests([folder, named]) == [folder / "a.txt", folder / "b.md", named]


def test_load_digests_keeps_going_past_bad_files(tmp_path):
    for name in ("minimal.md", "no_date.md", "not_utf8.txt", "extra_part.md"):
        shutil.copy(PARSE / name, tmp_path / name)
    digests, diagnostics = load_digests(find_digests([tmp_path]))
    assert [d.path for d in digests] == [str(tmp_path / "extra_part.md"), str(tmp_path / "minimal.md")]
    assert [str(d) for d in diagnostics] == [
        f"{tmp_path / 'extra_part.md'}:22: warning: extra part '局限性' is not one of the five known parts; kept after them",
        f"{tmp_path / 'no_date.md'}:1: error: no date: the header needs a line '**Date**: YYYY-MM-DD' before the first paper",
        f"{tmp_path / 'not_utf8.txt'}:14: error: not UTF-8 text (invalid byte 0xe9); save the file as UTF-8",
    ]


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
    assert find_digests([folder]) == found


def test_the_build_reports_what_it_skipped(tmp_path):
    from generator.build import build_site

    folder = tmp_path / "digests"
    folder.mkdir()
    shutil.copy(PARSE / "minimal.md", folder / "minimal.MD")
    (folder / "README").write_text("x", encoding="utf-8")
    result = build_site(folder, tmp_path / "docs", FIXTURES.parent.parent / "taxonomy.yml")
    assert result.papers >= 1
    assert [str(d) for d in result.diagnostics] == [
        f"{folder / 'README'}:1: warning: not read: not a digest: only .md and .txt files are read"
    ]
