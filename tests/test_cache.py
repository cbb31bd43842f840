"""generator/cache.py: the memo is saved a little at a time and never outlives the code that made it."""

from __future__ import annotations

from generator import cache

PARSED = ("parse", "digests/2026-01-12.md", "0" * 40)


def derived_files(docs):
    return sorted((docs / cache.CACHE_DIR / cache.DERIVED).iterdir())


def test_saved_memo_loads_back(tmp_path):
    values = {PARSED: "digest", ("paper", "t", "a"): 1}
    cache.save_memo(tmp_path, values, {}, "code-1")
    assert cache.load_memo(tmp_path, "code-1") == values


def test_a_memo_made_by_other_code_is_not_loaded_and_is_replaced(tmp_path):
    cache.save_memo(tmp_path, {PARSED: "digest", ("paper", "t", "a"): 1}, {}, "code-1")
    assert cache.load_memo(tmp_path, "code-2") == {}
    cache.save_memo(tmp_path, {("paper", "t", "b"): 2}, {}, "code-2")
    assert cache.load_memo(tmp_path, "code-2") == {("paper", "t", "b"): 2}
    assert len(derived_files(tmp_path)) == 1


def test_new_values_are_appended_in_a_file_of_their_own(tmp_path):
    first = {("paper", "t", str(n)): n for n in range(8)}
    cache.save_memo(tmp_path, first, {}, "code")
    (original,) = derived_files(tmp_path)
    before = original.read_bytes()
    second = {**first, ("paper", "t", "new"): 99}
    cache.save_memo(tmp_path, second, cache.load_memo(tmp_path, "code"), "code")
    files = derived_files(tmp_path)
    assert len(files) == 2 and original in files and original.read_bytes() == before
    assert cache.load_memo(tmp_path, "code") == second


def test_nothing_is_written_when_nothing_is_new(tmp_path):
    values = {("paper", "t", str(n)): n for n in range(8)}
    cache.save_memo(tmp_path, values, {}, "code")
    (only,) = derived_files(tmp_path)
    stamp = only.stat().st_mtime_ns
    cache.save_memo(tmp_path, values, cache.load_memo(tmp_path, "code"), "code")
    assert derived_files(tmp_path) == [only] and only.stat().st_mtime_ns == stamp


def test_files_are_compacted_once_a_quarter_of_the_values_went_unused(tmp_path):
    values = {("paper", "t", str(n)): n for n in range(8)}
    cache.save_memo(tmp_path, values, {}, "code")
    cache.save_memo(tmp_path, {**values, ("paper", "t", "x"): 9}, cache.load_memo(tmp_path, "code"), "code")
    assert len(derived_files(tmp_path)) == 2
    kept = {("paper", "t", str(n)): n for n in range(4)}  # 5 of 9 saved values unused
    cache.save_memo(tmp_path, kept, cache.load_memo(tmp_path, "code"), "code")
    assert len(derived_files(tmp_path)) == 1
    assert cache.load_memo(tmp_path, "code") == kept


def test_parsed_digests_go_one_file_each_and_leave_with_their_digest(tmp_path):
    other = ("parse", "digests/2026-01-13.md", "1" * 40)
    cache.save_memo(tmp_path, {PARSED: "a", other: "b"}, {}, "code")
    folder = tmp_path / cache.CACHE_DIR / cache.PARSED
    assert len(list(folder.iterdir())) == 2
    cache.save_memo(tmp_path, {other: "b"}, cache.load_memo(tmp_path, "code"), "code")
    assert len(list(folder.iterdir())) == 1
    assert cache.load_memo(tmp_path, "code") == {other: "b"}
