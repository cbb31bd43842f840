"""The command line: ``check`` and ``dump`` (issue 2), in-process and through ``python -m generator``."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT, SAMPLE_DIGESTS
from generator.cli import main, make_parser

PARSE = FIXTURES / "parse"
REL = "tests/fixtures/parse"

FIXTURE_DIAGNOSTICS = [
    f"{REL}/bad_date.md:2: error: date '2026-13-45' is not a YYYY-MM-DD date",
    f"{REL}/bad_links.md:9: error: link 'https://huggingface.co/papers/../../etc/passwd' does not end in a valid arXiv id (like 2601.10103); paper skipped",
    f"{REL}/bad_links.md:26: error: link 'https://huggingface.co/papers/not-an-id' does not end in a valid arXiv id (like 2601.10103); paper skipped",
    f"{REL}/bad_links.md:43: error: link 'https://huggingface.co/papers/2601.123' does not end in a valid arXiv id (like 2601.10103); paper skipped",
    f"{REL}/binary.txt:3: error: binary file (NUL byte): a digest must be UTF-8 text",
    f"{REL}/duplicate_paper.md:24: error: paper 2601.00001 appears twice in this digest (first at line 7); the second copy is skipped",
    f"{REL}/extra_part.md:22: warning: extra part '局限性' is not one of the five known parts; kept after them",
    f"{REL}/missing_link.md:7: error: paper 'No Link: A Paper Without Its Link' has no link line '- **链接**: https://huggingface.co/papers/<arXiv id>'; skipped",
    f"{REL}/missing_part.md:7: warning: missing part '使用指南'",
    f"{REL}/no_date.md:1: error: no date: the header needs a line '**Date**: YYYY-MM-DD' before the first paper",
    f"{REL}/no_papers.md:1: error: no papers found: each paper must start with a line '## 📄 <title>'",
    f"{REL}/not_utf8.txt:14: error: not UTF-8 text (invalid byte 0xe9); save the file as UTF-8",
    f"{REL}/out_of_order.md:18: warning: part '使用指南' is out of order (expected order: 应用领域, 一句话核心贡献, 使用指南, 主要创新点, 实验效果)",
]


@pytest.fixture
def in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def run(capsys, *argv: str) -> tuple[int, list[str], list[str]]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


# --------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------


def test_check_folder_prints_every_diagnostic_and_the_summary(capsys, in_root):
    code, out, err = run(capsys, "check", REL)
    assert err == FIXTURE_DIAGNOSTICS
    assert out == ["8 digests, 8 papers, 10 errors, 3 warnings"]
    assert code == 1


def test_check_clean_file_exits_0_even_with_strict(capsys, in_root):
    assert run(capsys, "check", f"{REL}/minimal.md") == (0, ["1 digests, 2 papers, 0 errors, 0 warnings"], [])
    assert run(capsys, "check", "--strict", f"{REL}/minimal.md") == (0, ["1 digests, 2 papers, 0 errors, 0 warnings"], [])


@pytest.mark.parametrize("name", ["extra_part.md", "missing_part.md", "out_of_order.md"])
def test_check_warnings_exit_0_and_1_with_strict(capsys, in_root, name):
    code, out, err = run(capsys, "check", f"{REL}/{name}")
    assert (code, out) == (0, ["1 digests, 1 papers, 0 errors, 1 warnings"])
    assert err == [d for d in FIXTURE_DIAGNOSTICS if d.startswith(f"{REL}/{name}:")]
    code, out, err2 = run(capsys, "check", f"{REL}/{name}", "--strict")
    assert (code, out, err2) == (1, ["1 digests, 1 papers, 0 errors, 1 warnings"], err)


@pytest.mark.parametrize(
    ("name", "summary"),
    [
        ("missing_link.md", "1 digests, 1 papers, 1 errors, 0 warnings"),
        ("bad_links.md", "1 digests, 1 papers, 3 errors, 0 warnings"),
        ("duplicate_paper.md", "1 digests, 1 papers, 1 errors, 0 warnings"),
        ("no_date.md", "0 digests, 0 papers, 1 errors, 0 warnings"),
        ("bad_date.md", "0 digests, 0 papers, 1 errors, 0 warnings"),
        ("no_papers.md", "1 digests, 0 papers, 1 errors, 0 warnings"),
        ("not_utf8.txt", "0 digests, 0 papers, 1 errors, 0 warnings"),
        ("binary.txt", "0 digests, 0 papers, 1 errors, 0 warnings"),
    ],
)
def test_check_errors_exit_1(capsys, in_root, name, summary):
    code, out, err = run(capsys, "check", f"{REL}/{name}")
    assert (code, out) == (1, [summary])
    assert err == [d for d in FIXTURE_DIAGNOSTICS if d.startswith(f"{REL}/{name}:")]


def test_check_several_paths_and_a_missing_one(capsys, in_root):
    code, out, err = run(capsys, "check", f"{REL}/minimal.md", f"{REL}/absent.md", f"{REL}/extra_part.md")
    assert code == 1
    assert err == [
        f"{REL}/absent.md:1: error: cannot read file: No such file or directory",
        FIXTURE_DIAGNOSTICS[6],
    ]
    assert out == ["2 digests, 3 papers, 1 errors, 1 warnings"]


def test_check_defaults_to_the_digests_folder(capsys, tmp_path, monkeypatch):
    folder = tmp_path / "digests"
    folder.mkdir()
    shutil.copy(PARSE / "minimal.md", folder / "2026-01-18.md")
    shutil.copy(PARSE / "extra_part.md", folder / "b.txt")
    (folder / "notes.json").write_text("{}", encoding="utf-8")  # not a digest suffix: ignored
    (folder / ".hidden.md").write_text("junk", encoding="utf-8")  # hidden: ignored
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "check")
    assert (code, out) == (0, ["2 digests, 3 papers, 0 errors, 1 warnings"])
    assert err == ["digests/b.txt:22: warning: extra part '局限性' is not one of the five known parts; kept after them"]
    assert run(capsys, "check", "--strict")[0] == 1


def test_check_shared_digests(capsys, shared_digests):
    code, out, err = run(capsys, "check", str(shared_digests))
    assert code == 0
    assert out == ["2 digests, 44 papers, 0 errors, 2 warnings"]
    assert err == [
        f"{shared_digests}/2026-01-19.md:80: warning: extra part '局限性' is not one of the five known parts; kept after them",
        f"{shared_digests}/2026-01-19.md:86: warning: missing part '使用指南'",
    ]
    assert run(capsys, "check", "--strict", str(shared_digests))[0] == 1


# --------------------------------------------------------------------------
# dump
# --------------------------------------------------------------------------

PAPER_KEYS = [
    "id", "title", "url", "reading_source", "report_title", "line",
    "field", "contribution", "usage", "innovations", "results", "extra",
]  # fmt: skip


def dump(capsys, path) -> tuple[int, dict | None, list[str]]:
    code = main(["dump", str(path), "--json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else None), err.splitlines()


def test_dump_json_has_exactly_the_documented_keys_and_values(capsys):
    code, data, err = dump(capsys, PARSE / "minimal.md")
    assert (code, err) == (0, [])
    assert list(data) == ["date", "source_url", "papers"]
    assert [list(p) for p in data["papers"]] == [PAPER_KEYS, PAPER_KEYS]
    assert data["date"] == "2026-01-18"
    assert data["source_url"] == "https://huggingface.co/papers/date/2026-01-18"
    assert data["papers"][0] == {
        "id": "2601.00001",
        "title": "Alpha: A Clean Paper",
        "url": "https://huggingface.co/papers/2601.00001",
        "reading_source": "HTML",
        "report_title": "Alpha 论文报告",
        "line": 7,
        "field": "计算机视觉 - 图像生成（Image Generation）。",
        "contribution": "提出 Alpha，在 $256 \\times 256$ 分辨率下生成图像。",
        "usage": "*   **输入**：一张图像 $I_s$。\n    *   **格式**：`png` 或 `jpg`。\n*   **输出**：生成图像。",
        "innovations": "1.  **模块 A**：第一点。\n2.  **模块 B**：第二点。",
        "results": "*   在 ImageNet 上 FID 为 **2.1**。",
        "extra": [],
    }


def test_dump_missing_part_is_empty_string_and_extra_parts_are_listed(capsys):
    code, data, err = dump(capsys, PARSE / "missing_part.md")
    assert code == 0
    assert err == [f"{PARSE / 'missing_part.md'}:7: warning: missing part '使用指南'"]
    (paper,) = data["papers"]
    assert list(paper) == PAPER_KEYS
    assert (paper["usage"], paper["innovations"], paper["extra"]) == ("", "创新一。", [])

    code, data, err = dump(capsys, PARSE / "extra_part.md")
    assert code == 0
    (paper,) = data["papers"]
    assert paper["extra"] == [{"heading": "局限性", "body": "只在合成数据上验证。", "line": 22}]
    assert list(paper["extra"][0]) == ["heading", "body", "line"]


def test_dump_with_errors_prints_what_parsed_and_exits_1(capsys):
    code, data, err = dump(capsys, PARSE / "missing_link.md")
    assert code == 1
    assert [p["id"] for p in data["papers"]] == ["2601.00002"]
    assert err == [f"{PARSE / 'missing_link.md'}:7: error: paper 'No Link: A Paper Without Its Link' has no link line "
                   "'- **链接**: https://huggingface.co/papers/<arXiv id>'; skipped"]


@pytest.mark.parametrize("name", ["no_date.md", "not_utf8.txt", "binary.txt"])
def test_dump_of_an_unparseable_file_prints_no_json_and_exits_1(capsys, name):
    code, data, err = dump(capsys, PARSE / name)
    assert (code, data) == (1, None)
    assert len(err) == 1 and err[0].startswith(f"{PARSE / name}:") and ": error: " in err[0]


def test_dump_real_digest(capsys, shared_digests):
    code, data, err = dump(capsys, shared_digests / "000_0bf8a86b9545d201.txt")
    assert (code, err) == (0, [])
    assert data["date"] == "2026-01-18"
    assert len(data["papers"]) == 38
    for paper in data["papers"]:
        assert list(paper) == PAPER_KEYS
        assert all(paper[key] for key in ("field", "contribution", "usage", "innovations", "results")), paper["id"]
    assert data["papers"][0]["id"] == "2601.10103"


def test_dump_requires_json_flag_and_a_file(capsys):
    for argv in (["dump", str(PARSE / "minimal.md")], ["dump", "--json"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
    capsys.readouterr()


def test_build_name_is_reserved():
    parser = make_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert {"check", "dump", "build"} <= set(commands)


def test_no_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2
    assert "usage:" in capsys.readouterr().err


# --------------------------------------------------------------------------
# python -m generator
# --------------------------------------------------------------------------


def _module(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *argv], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120
    )


def test_module_entry_point_check():
    done = _module("check", f"{REL}/minimal.md")
    assert (done.returncode, done.stdout, done.stderr) == (0, "1 digests, 2 papers, 0 errors, 0 warnings\n", "")
    done = _module("check", REL)
    assert done.returncode == 1
    assert done.stdout == "8 digests, 8 papers, 10 errors, 3 warnings\n"
    assert done.stderr.splitlines() == FIXTURE_DIAGNOSTICS
    done = _module("check", "--strict", f"{REL}/extra_part.md")
    assert (done.returncode, done.stdout) == (1, "1 digests, 1 papers, 0 errors, 1 warnings\n")


def test_module_entry_point_default_path_is_digests():
    done = _module("check")
    assert done.returncode == 0, done.stderr
    digests = sorted(p for p in (SAMPLE_DIGESTS).iterdir() if p.suffix in (".md", ".txt"))
    assert re.fullmatch(rf"{len(digests)} digests, [1-9]\d* papers, 0 errors, \d+ warnings\n", done.stdout)


def test_module_entry_point_dump():
    done = _module("dump", f"{REL}/extra_part.md", "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["papers"][0]["extra"] == [{"heading": "局限性", "body": "只在合成数据上验证。", "line": 22}]
