"""The command line: ``check`` (with GitHub annotations and step summary), ``dump``, ``search``,
``taxonomy`` output hygiene (issues 2 and 14), in-process and through ``python -m generator``."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SAMPLE_DIGESTS
from generator.cli import EXIT_READER_GONE, annotation, main, make_parser, markdown_cell, printable, unknown_slug_message
from generator.model import ERROR, WARNING, Diagnostic

PARSE = FIXTURES / "parse"
REL = "tests/fixtures/parse"
WITH_ERRORS = "tests/fixtures/build/with_errors"
SAMPLES = "tests/fixtures/samples"

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
# Every parse fixture is dated 2026-01-18: checked together, as one archive,
# the first by path (bad_links.md) is kept, as a build would keep it.
SAME_DATE = [
    f"{REL}/{name}:2: error: another digest has the same date 2026-01-18 ({REL}/bad_links.md); this one is skipped"
    for name in ("duplicate_paper.md", "extra_part.md", "minimal.md", "missing_link.md", "missing_part.md", "no_papers.md", "out_of_order.md")
]
FOLDER_SUMMARY = "12 files, 1 days, 1 papers (1 appearances), 17 errors, 3 warnings"

WITH_ERRORS_DIAGNOSTICS = [
    f"{WITH_ERRORS}/2026-02-01.md:7: error: paper 'No Link: A Paper Without Its Link' has no link line '- **链接**: https://huggingface.co/papers/<arXiv id>'; skipped",
    f"{WITH_ERRORS}/undated.md:1: error: no date: the header needs a line '**Date**: YYYY-MM-DD' before the first paper",
    f"{SAMPLES}/2026-01-13.md:187: warning: extra part '局限性' is not one of the five known parts; kept after them",
]
WITH_ERRORS_SUMMARY = "3 files, 2 days, 7 papers (7 appearances), 2 errors, 1 warnings"


@pytest.fixture(autouse=True)
def outside_actions(monkeypatch):
    """The suite itself runs under GitHub Actions in CI: no annotations or summary unless a test asks."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture
def in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def run(capsys, *argv: str) -> tuple[int, list[str], list[str]]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def _digest(folder: Path, name: str, date: str = "2026-01-18", title: str | None = None) -> Path:
    """A copy of the minimal fixture (two clean papers) under another name, date or first title."""
    text = (PARSE / "minimal.md").read_text(encoding="utf-8").replace("2026-01-18", date)
    if title is not None:
        text = text.replace("Alpha: A Clean Paper", title, 1)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------


def test_check_folder_prints_every_diagnostic_and_the_summary(capsys, in_root):
    code, out, err = run(capsys, "check", REL)
    assert err == FIXTURE_DIAGNOSTICS + SAME_DATE
    assert out == [FOLDER_SUMMARY]
    assert code == 1


def test_check_clean_file_exits_0_even_with_strict(capsys, in_root):
    summary = ["1 files, 1 days, 2 papers (2 appearances), 0 errors, 0 warnings"]
    assert run(capsys, "check", f"{REL}/minimal.md") == (0, summary, [])
    assert run(capsys, "check", "--strict", f"{REL}/minimal.md") == (0, summary, [])


@pytest.mark.parametrize("name", ["extra_part.md", "missing_part.md", "out_of_order.md"])
def test_check_warnings_exit_0_and_1_with_strict(capsys, in_root, name):
    summary = ["1 files, 1 days, 1 papers (1 appearances), 0 errors, 1 warnings"]
    code, out, err = run(capsys, "check", f"{REL}/{name}")
    assert (code, out) == (0, summary)
    assert err == [d for d in FIXTURE_DIAGNOSTICS if d.startswith(f"{REL}/{name}:")]
    code, out, err2 = run(capsys, "check", f"{REL}/{name}", "--strict")
    assert (code, out, err2) == (1, summary, err)


@pytest.mark.parametrize(
    ("name", "summary"),
    [
        ("missing_link.md", "1 files, 1 days, 1 papers (1 appearances), 1 errors, 0 warnings"),
        ("bad_links.md", "1 files, 1 days, 1 papers (1 appearances), 3 errors, 0 warnings"),
        ("duplicate_paper.md", "1 files, 1 days, 1 papers (1 appearances), 1 errors, 0 warnings"),
        ("no_date.md", "1 files, 0 days, 0 papers (0 appearances), 1 errors, 0 warnings"),
        ("bad_date.md", "1 files, 0 days, 0 papers (0 appearances), 1 errors, 0 warnings"),
        ("no_papers.md", "1 files, 1 days, 0 papers (0 appearances), 1 errors, 0 warnings"),
        ("not_utf8.txt", "1 files, 0 days, 0 papers (0 appearances), 1 errors, 0 warnings"),
        ("binary.txt", "1 files, 0 days, 0 papers (0 appearances), 1 errors, 0 warnings"),
    ],
)
def test_check_errors_exit_1(capsys, in_root, name, summary):
    code, out, err = run(capsys, "check", f"{REL}/{name}")
    assert (code, out) == (1, [summary])
    assert err == [d for d in FIXTURE_DIAGNOSTICS if d.startswith(f"{REL}/{name}:")]


def test_check_several_paths_and_a_missing_one(capsys, in_root):
    code, out, err = run(capsys, "check", f"{SAMPLES}/2026-01-12.md", f"{REL}/absent.md", f"{REL}/extra_part.md")
    assert code == 1
    assert err == [
        f"{REL}/absent.md:1: error: cannot read file: No such file or directory",
        FIXTURE_DIAGNOSTICS[6],
    ]
    assert out == ["3 files, 2 days, 7 papers (7 appearances), 1 errors, 1 warnings"]


def test_check_defaults_to_the_digests_folder(capsys, tmp_path, monkeypatch):
    folder = tmp_path / "digests"
    folder.mkdir()
    shutil.copy(SAMPLE_DIGESTS / "2026-01-12.md", folder / "a.md")
    shutil.copy(PARSE / "extra_part.md", folder / "b.txt")
    (folder / "notes.json").write_text("{}", encoding="utf-8")  # not a digest suffix: skipped, with a warning
    (folder / ".hidden.md").write_text("junk", encoding="utf-8")  # hidden: skipped, with a warning
    shutil.copy(ROOT / "taxonomy.yml", tmp_path / "taxonomy.yml")  # a fork's checkout has both at its top
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "check")
    assert (code, out) == (0, ["2 files, 2 days, 7 papers (7 appearances), 0 errors, 3 warnings"])
    assert err == [
        "digests/.hidden.md:1: warning: not read: hidden file or folder",
        "digests/notes.json:1: warning: not read: not a digest: only .md and .txt files are read",
        "digests/b.txt:22: warning: extra part '局限性' is not one of the five known parts; kept after them",
    ]
    assert run(capsys, "check", "--strict")[0] == 1


def test_check_counts_days_distinct_papers_and_appearances_as_a_build_would(capsys, tmp_path):
    # The same two papers on two days: 2 papers, 4 appearances.
    _digest(tmp_path, "a.md", "2026-01-18")
    _digest(tmp_path, "b.md", "2026-01-19")
    assert run(capsys, "check", str(tmp_path)) == (0, ["2 files, 2 days, 2 papers (4 appearances), 0 errors, 0 warnings"], [])


def test_check_reports_two_digests_of_one_date_as_the_build_does(capsys, tmp_path):
    _digest(tmp_path, "a.md")
    _digest(tmp_path, "b.md")
    code, out, err = run(capsys, "check", str(tmp_path))
    assert code == 1
    assert err == [f"{tmp_path}/b.md:2: error: another digest has the same date 2026-01-18 ({tmp_path}/a.md); this one is skipped"]
    assert out == ["2 files, 1 days, 2 papers (2 appearances), 1 errors, 0 warnings"]


def test_check_shared_digests(capsys, shared_digests):
    code, out, err = run(capsys, "check", str(shared_digests))
    assert code == 0
    assert out == ["2 files, 2 days, 42 papers (44 appearances), 0 errors, 2 warnings"]
    assert err == [
        f"{shared_digests}/2026-01-19.md:80: warning: extra part '局限性' is not one of the five known parts; kept after them",
        f"{shared_digests}/2026-01-19.md:86: warning: missing part '使用指南'",
    ]
    assert run(capsys, "check", "--strict", str(shared_digests))[0] == 1


def test_check_escapes_control_characters_in_diagnostics(capsys, tmp_path):
    _digest(tmp_path, "a.md")
    path = _digest(tmp_path, "b\x1b[2J\u202e.md")
    code, out, err = run(capsys, "check", str(path), str(tmp_path / "a.md"))
    assert code == 1
    assert err == [
        f"{tmp_path}/b\\x1b[2J\\u202e.md:2: error: another digest has the same date 2026-01-18 ({tmp_path}/a.md); this one is skipped"
    ]


# --------------------------------------------------------------------------
# check under GitHub Actions: annotations and the step summary
# --------------------------------------------------------------------------


@pytest.fixture
def actions(monkeypatch, tmp_path) -> Path:
    """GitHub Actions' environment: annotations on, the step summary in a file that already has a line."""
    summary = tmp_path / "step_summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    return summary


def test_check_under_actions_prints_annotations_then_the_summary(capsys, in_root, actions):
    # Absolute paths inside the repository are annotated relative to it.
    code, out, err = run(capsys, "check", str(ROOT / WITH_ERRORS), f"{SAMPLES}/2026-01-13.md")
    assert code == 1
    assert out == [
        f"::error file={WITH_ERRORS}/2026-02-01.md,line=7::paper 'No Link: A Paper Without Its Link' has no link line '- **链接**: https://huggingface.co/papers/<arXiv id>'; skipped",
        f"::error file={WITH_ERRORS}/undated.md,line=1::no date: the header needs a line '**Date**: YYYY-MM-DD' before the first paper",
        f"::warning file={SAMPLES}/2026-01-13.md,line=187::extra part '局限性' is not one of the five known parts; kept after them",
        WITH_ERRORS_SUMMARY,
    ]
    # The plain lines stay on stderr, for the log (with the paths as given).
    assert err == [f"{ROOT}/{line}" for line in WITH_ERRORS_DIAGNOSTICS[:2]] + WITH_ERRORS_DIAGNOSTICS[2:]


def test_check_under_actions_appends_a_table_to_the_step_summary(capsys, in_root, actions):
    run(capsys, "check", WITH_ERRORS, f"{SAMPLES}/2026-01-13.md")
    assert actions.read_text(encoding="utf-8") == (
        "earlier step\n"
        "### Digest check\n"
        "\n"
        f"{WITH_ERRORS_SUMMARY}\n"
        "\n"
        "| level | file | line | message |\n"
        "|---|---|---:|---|\n"
        "| error | tests/fixtures/build/with\\_errors/2026-02-01.md | 7 | paper 'No Link: A Paper Without Its Link' has no link line "
        "'- \\*\\*链接\\*\\*: https://huggingface.co/papers/\\<arXiv id\\>'; skipped |\n"
        "| error | tests/fixtures/build/with\\_errors/undated.md | 1 | no date: the header needs a line '\\*\\*Date\\*\\*: YYYY-MM-DD' "
        "before the first paper |\n"
        "| warning | tests/fixtures/samples/2026-01-13.md | 187 | extra part '局限性' is not one of the five known parts; kept after them |\n"
        "\n"
    )


def test_check_under_actions_without_problems_says_so(capsys, in_root, actions):
    assert run(capsys, "check", f"{REL}/minimal.md") == (0, ["1 files, 1 days, 2 papers (2 appearances), 0 errors, 0 warnings"], [])
    assert actions.read_text(encoding="utf-8") == (
        "earlier step\n### Digest check\n\n1 files, 1 days, 2 papers (2 appearances), 0 errors, 0 warnings: no problems.\n\n"
    )


def test_step_summary_alone_outside_actions(capsys, in_root, actions, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS")
    code, out, err = run(capsys, "check", f"{REL}/missing_part.md")
    assert (code, out) == (0, ["1 files, 1 days, 1 papers (1 appearances), 0 errors, 1 warnings"])  # no annotation
    assert "| warning | tests/fixtures/parse/missing\\_part.md | 7 | missing part '使用指南' |\n" in actions.read_text(encoding="utf-8")


def test_unwritable_step_summary_is_reported_not_fatal(capsys, in_root, monkeypatch, tmp_path):
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "absent" / "summary.md"))
    code, out, err = run(capsys, "check", f"{REL}/minimal.md")
    assert (code, out) == (0, ["1 files, 1 days, 2 papers (2 appearances), 0 errors, 0 warnings"])
    assert err == [f"check: cannot append to the step summary {tmp_path}/absent/summary.md: No such file or directory"]


def test_annotation_escapes_properties_and_message_per_github_rules(in_root):
    diagnostic = Diagnostic("dir,1/a:b%c.md", 3, ERROR, "50% done\r\nnext:line, comma")
    # In properties % \r \n : , are escaped; in the message only %. Line breaks never reach
    # the command: digest text is printed with escapes first, so one diagnostic is one line.
    assert annotation(diagnostic) == "::error file=dir%2C1/a%3Ab%25c.md,line=3::50%25 done\\r\\nnext:line, comma"
    assert annotation(Diagnostic("x.md", 1, WARNING, "m")) == "::warning file=x.md,line=1::m"


def test_annotation_escape_functions():
    from generator.cli import _escape_data, _escape_property

    assert _escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert _escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"


def test_annotation_paths_are_repository_relative_when_possible(in_root, tmp_path):
    assert annotation(Diagnostic(str(ROOT.joinpath("digests", "x.md")), 44, ERROR, "m")) == "::error file=digests/x.md,line=44::m"
    assert annotation(Diagnostic("./digests/x.md", 44, ERROR, "m")) == "::error file=digests/x.md,line=44::m"
    outside = tmp_path / "x.md"  # outside the repository: kept absolute
    assert annotation(Diagnostic(str(outside), 1, ERROR, "m")) == f"::error file={outside},line=1::m"


def test_markdown_cell_escapes_pipes_line_breaks_and_inline_syntax():
    assert markdown_cell("a|b") == "a\\|b"
    assert markdown_cell("one\ntwo\r\nthree") == "one<br>two<br>three"
    assert markdown_cell("![x](https://e.example/p.png) <img src=x> `c` *e* _u_ ~s~ $m$ &amp; \\") == (
        "\\!\\[x\\](https://e.example/p.png) \\<img src=x\\> \\`c\\` \\*e\\* \\_u\\_ \\~s\\~ \\$m\\$ \\&amp; \\\\"
    )
    assert markdown_cell("\x1b[2J") == "\\\\x1b\\[2J"


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


def test_dump_requires_a_file(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["dump", "--json"])
    assert exc.value.code == 2
    capsys.readouterr()


def test_dump_without_json_prints_a_readable_summary(capsys):
    assert run(capsys, "dump", str(PARSE / "minimal.md")) == (
        0,
        [
            "date: 2026-01-18",
            "source: https://huggingface.co/papers/date/2026-01-18",
            "papers: 2",
            "2601.00001  Alpha: A Clean Paper",
            "    line 7, reading source HTML, parts: all five",
            "2601.00002  Beta: Another Clean Paper",
            "    line 33, reading source ArXiv Abs, parts: all five",
        ],
        [],
    )


def test_dump_summary_names_missing_and_extra_parts(capsys):
    code, out, err = run(capsys, "dump", str(PARSE / "missing_part.md"))
    assert (code, out[3:]) == (0, ["2601.00001  Four: A Paper Missing Its Usage", "    line 7, reading source HTML, parts: 4 of 5 (missing 使用指南)"])
    assert err == [f"{PARSE / 'missing_part.md'}:7: warning: missing part '使用指南'"]
    code, out, err = run(capsys, "dump", str(PARSE / "extra_part.md"))
    assert (code, out[3:]) == (0, ["2601.00001  Six: A Paper With Limitations", "    line 7, reading source HTML, parts: all five, extra: 局限性"])


def test_dump_summary_with_errors_and_of_an_unparseable_file(capsys):
    code, out, err = run(capsys, "dump", str(PARSE / "missing_link.md"))
    assert (code, out[2:]) == (1, ["papers: 1", "2601.00002  Kept: The Next Paper", "    line 23, reading source HTML, parts: all five"])
    assert run(capsys, "dump", str(PARSE / "no_date.md"))[:2] == (1, [])


HOSTILE_TITLE = "Alpha\x1b[2J\x9b31m\u202eevil\u2028x\x07\x7f"
HOSTILE_SHOWN = "Alpha\\x1b[2J\\x9b31m\\u202eevil\\u2028x\\x07\\x7f"
# The parser replaces what XML forbids and drops bidi controls (with warnings); the terminal
# still escapes what is left that could forge a line (U+2028).
PARSED_TITLE = "Alpha\ufffd[2J\ufffd31mevil\u2028x\ufffd\ufffd"
PARSED_SHOWN = "Alpha\ufffd[2J\ufffd31mevil\\u2028x\ufffd\ufffd"


def test_printable_escapes_control_bidi_and_line_separators():
    assert printable(HOSTILE_TITLE) == HOSTILE_SHOWN
    assert printable("a\nb\rc\td\u2029e\u2066f\u200fg\u061ch") == "a\\nb\\rc\\td\\u2029e\\u2066f\\u200fg\\u061ch"
    assert printable("视频生成 — «ok» ½ ©") == "视频生成 — «ok» ½ ©"  # printable Unicode is kept


def test_dump_escapes_control_characters_in_titles(capsys, tmp_path):
    path = _digest(tmp_path, "evil.md", title=HOSTILE_TITLE)
    code, out, err = run(capsys, "dump", str(path))
    assert (code, err) == (0, [
        f"{path}:7: warning: control characters U+0007, U+001B, U+007F, U+009B replaced (not allowed in XML)",
        f"{path}:7: warning: bidi control character U+202E removed from the title",
    ])
    assert out[3] == f"2601.00001  {PARSED_SHOWN}"
    assert len(out) == 7  # the U+2028 in the title forged no line
    # JSON: what json.dumps leaves raw (U+2028) is written as \uXXXX; the value is unchanged.
    code = main(["dump", str(path), "--json"])
    text = capsys.readouterr().out
    assert code == 0 and not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e\u2028]", text)
    assert json.loads(text)["papers"][0]["title"] == PARSED_TITLE


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


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}
    return {**env, **extra}


def _module(*argv: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *argv], cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=120,
        env=_env(),
    )


def test_module_entry_point_check():
    done = _module("check", f"{REL}/minimal.md")
    assert (done.returncode, done.stdout, done.stderr) == (0, "1 files, 1 days, 2 papers (2 appearances), 0 errors, 0 warnings\n", "")
    done = _module("check", REL)
    assert done.returncode == 1
    assert done.stdout == FOLDER_SUMMARY + "\n"
    assert done.stderr.splitlines() == FIXTURE_DIAGNOSTICS + SAME_DATE
    done = _module("check", "--strict", f"{REL}/extra_part.md")
    assert (done.returncode, done.stdout) == (1, "1 files, 1 days, 1 papers (1 appearances), 0 errors, 1 warnings\n")


def test_module_entry_point_default_path_is_digests(tmp_path):
    shutil.copytree(SAMPLE_DIGESTS, tmp_path / "digests")
    shutil.copy(ROOT / "taxonomy.yml", tmp_path / "taxonomy.yml")
    done = _module("check", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "3 files, 3 days, 16 papers (17 appearances), 0 errors, 1 warnings\n"), done.stderr
    assert done.stderr == "digests/2026-01-13.md:187: warning: extra part '局限性' is not one of the five known parts; kept after them\n"


def test_module_entry_point_dump():
    done = _module("dump", f"{REL}/extra_part.md", "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["papers"][0]["extra"] == [{"heading": "局限性", "body": "只在合成数据上验证。", "line": 22}]


# --------------------------------------------------------------------------
# search
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_docs(tmp_path_factory) -> Path:
    """The pages and search index of the sample digests plus one with a hostile title."""
    from generator.build import build

    digests = tmp_path_factory.mktemp("digests")
    for file in SAMPLE_DIGESTS.iterdir():
        shutil.copy(file, digests / file.name)
    _digest(digests, "hostile.md", date="2026-01-20", title=HOSTILE_TITLE)
    docs = tmp_path_factory.mktemp("docs")
    build(digests, docs, taxonomy_path=ROOT / "taxonomy.yml")
    return docs


def test_search_prints_id_and_title_best_first(capsys, sample_docs):
    assert run(capsys, "search", "GraspFormer", "--docs", str(sample_docs)) == (
        0,
        [
            "2601.04211  GraspFormer: Language-Conditioned Dexterous Grasping with Tactile Tokens",
            "2601.06509  BiManual-VLA: Scaling Bimanual Manipulation with Human Video Pretraining",
        ],
        [],
    )


def test_search_escapes_control_characters_in_titles(capsys, sample_docs):
    code, out, err = run(capsys, "search", "2601.00001", "--docs", str(sample_docs), "--limit", "1")
    assert (code, out, err) == (0, [f"2601.00001  {PARSED_SHOWN}"], [])


def test_search_without_hits_says_so_on_stderr_and_exits_1(capsys, sample_docs):
    assert run(capsys, "search", "nothingmatcheshere", "--docs", str(sample_docs)) == (
        1, [], ["no papers match 'nothingmatcheshere'"]
    )
    assert run(capsys, "search", "GraspFormer", "--docs", str(sample_docs), "--field", "nlp", "--since", "2026-01-01") == (
        1, [], ["no papers match 'GraspFormer' (--field nlp --since 2026-01-01)"]
    )


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--field", "computer-visoin", "search: unknown field 'computer-visoin'; did you mean computer-vision (计算机视觉)?"),
        ("--field", "计算机视觉", "search: unknown field '计算机视觉'; did you mean computer-vision (计算机视觉)?"),
        ("--tag", "量化", "search: unknown tag '量化'; did you mean quantization (模型量化)?"),
        ("--tag", "zzzzzz", "search: unknown tag 'zzzzzz'; `python -m generator taxonomy` lists the tags"),
        ("--tag", "\x1b[2J", "search: unknown tag '\\x1b[2J'; `python -m generator taxonomy` lists the tags"),
    ],
)
def test_search_unknown_slug_is_a_usage_error_with_close_matches(capsys, sample_docs, option, value, message):
    assert run(capsys, "search", "GRPO", "--docs", str(sample_docs), option, value) == (2, [], [message])


def test_unknown_slug_message_lists_several_close_matches():
    names = {"video-generation": "视频生成", "video-understanding": "视频理解", "image-generation": "图像生成", "nlp": ""}
    assert unknown_slug_message("tag", "video-generaton", names) == (
        "unknown tag 'video-generaton'; did you mean video-generation (视频生成), image-generation (图像生成), "
        "video-understanding (视频理解)?"
    )
    assert unknown_slug_message("field", "nl", names) == "unknown field 'nl'; did you mean nlp?"


def test_search_without_an_index_is_a_usage_error(capsys, tmp_path):
    assert run(capsys, "search", "GRPO", "--docs", str(tmp_path)) == (
        2, [], [f"search: no search index at {tmp_path}/search/manifest.js; build the pages first (`python -m generator build` or `make site`)"]
    )


# --------------------------------------------------------------------------
# A closed pipe (`... | head`): quiet, exit 141 like a program killed by SIGPIPE
# --------------------------------------------------------------------------


def _into_closed_pipe(*argv: str) -> subprocess.CompletedProcess:
    """Run with stdout a pipe whose reader has already exited: the first write fails, whatever the output's size."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "generator", *argv], cwd=ROOT, stdout=write, stderr=subprocess.PIPE, timeout=120, env=_env()
        )
    finally:
        os.close(write)


@pytest.mark.parametrize(
    "argv",
    [
        ("dump", f"{REL}/minimal.md"),
        ("dump", f"{REL}/minimal.md", "--json"),
        ("check", f"{REL}/minimal.md"),
        ("taxonomy", "--digests", SAMPLES),
        ("taxonomy", "--digests", SAMPLES, "--unmapped"),
    ],
)
def test_closed_pipe_exits_quietly(argv):
    done = _into_closed_pipe(*argv)
    assert (done.returncode, done.stderr) == (EXIT_READER_GONE, b"")


def test_search_into_closed_pipe_exits_quietly(sample_docs):
    done = _into_closed_pipe("search", "GraspFormer", "--docs", str(sample_docs))
    assert (done.returncode, done.stderr) == (EXIT_READER_GONE, b"")


def test_piping_into_head_shows_no_traceback(tmp_path):
    if shutil.which("head") is None:
        pytest.skip("no head")
    # 300 papers: about 300 kB of JSON, more than a pipe holds, so head exits while dump still writes.
    text = (PARSE / "minimal.md").read_text(encoding="utf-8")
    start, end = text.index("## 📄 Alpha"), text.index("## 📄 Beta")
    papers = "".join(text[start:end].replace("2601.00001", f"2601.{n:05}") for n in range(1, 301))
    (tmp_path / "big.md").write_text(text[:start] + papers, encoding="utf-8")
    script = f'"{sys.executable}" -m generator dump "{tmp_path}/big.md" --json | head -1; "{sys.executable}" -m generator dump "{tmp_path}/big.md" | head -1'
    done = subprocess.run(["sh", "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, env=_env())
    assert (done.stdout, done.stderr) == ("{\ndate: 2026-01-18\n", "")
