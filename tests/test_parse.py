"""The digest parser and the paper model (issue 2).

Every test asserts exact behaviour: exact part keys, headings, bodies and
line numbers, and exact ``path:line: level: message`` diagnostics.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import FIXTURES, SAMPLE_DIGESTS
from generator.model import ERROR, PART_KEYS, WARNING, Diagnostic, Digest, Paper, Part
from generator.parse import arxiv_id_from_url, parse_bytes, parse_file, parse_text, split_lines

PARSE = FIXTURES / "parse"
REAL = "000_0bf8a86b9545d201.txt"
COMPANION = "2026-01-19.md"
NAMES = ("应用领域", "一句话核心贡献", "使用指南", "主要创新点", "实验效果")

HEADER = [
    "# Hugging Face Daily Papers Report",
    "**Date**: 2026-01-18",
    "**Source URL**: https://huggingface.co/papers/date/2026-01-18",
    "",
    "============================================================",
    "",
    "## 📄 Shape: One Paper Per Heading Shape",  # line 7
    "",
    "- **链接**: https://huggingface.co/papers/2601.10103",
    "- **阅读来源**: HTML",
    "",
]


def strs(diagnostics) -> list[str]:
    return [str(d) for d in diagnostics]


def parse_one(path: Path) -> tuple[Digest | None, list[str]]:
    digest, diagnostics = parse_file(path, path.name)
    return digest, strs(diagnostics)


# --------------------------------------------------------------------------
# Heading shapes: one table row per shape, five parts each.
# --------------------------------------------------------------------------

# Part bodies as they must come out of the parser. The first line is text so
# that shapes with content on the heading line can carry it there; later lines
# hold a numbered sub-list, a nested bullet list, inline math and inline code.
BODIES = {
    "field": ["计算机视觉 - 图像生成（Image Generation）、AIGC。"],
    "contribution": ["提出 M^4olGen，在 $256 \\times 256$ 分辨率下以 `fast_mode` 生成 $I_s$。"],
    "usage": [
        "步骤如下：",
        "1.  下载模型。",
        "2.  运行 `bash run.sh --size 256`。",
        "    *   需要 **24GB** 显存。",
        "    *   支持 $N=64$ 并行采样。",
    ],
    "innovations": [
        "包括两点：",
        "*   **模块 A**：第一点。",
        "    1.  子点一。",
        "    2.  子点二。",
        "*   **模块 B**：第二点。",
    ],
    "results": ["在 ImageNet 上 FID 为 **2.1**，比基线低 $0.5$。", "", "在 COCO 上同样领先。"],
}

# (id, heading template, first body line on the heading line?, indentation of the following lines)
SHAPES = [
    # The shapes listed in digest-format.md.
    ("list-bold-next-line", "{n}. **{name}**", False, "   "),
    ("list-bold-fullwidth-colon-same-line", "{n}. **{name}**：{first}", True, "   "),
    ("list-wide-marker-colon-then-lines", "{n}.  **{name}**：", False, "    "),
    ("atx3-plain", "### {n}. {name}", False, ""),
    ("atx3-bold", "### {n}. **{name}**", False, ""),
    ("atx2-plain", "## {n}. {name}", False, ""),
    # Seen in the real digest: colon, then the content unindented (lazy continuation).
    ("list-bold-colon-lazy-lines", "{n}. **{name}**：", False, ""),
    # Plausible held-out variants.
    ("bold-number-inside", "**{n}. {name}**", False, ""),
    ("bold-number-inside-colon-same-line", "**{n}. {name}**：{first}", True, ""),
    ("list-colon-inside-bold", "{n}. **{name}：** {first}", True, "   "),
    ("list-plain-colon", "{n}. {name}：{first}", True, "   "),
    ("atx4-plain", "#### {n}. {name}", False, ""),
    ("list-ascii-colon", "{n}. **{name}**: {first}", True, "   "),
    ("list-paren-marker", "{n}) **{name}**：{first}", True, "   "),
    ("atx3-colon-same-line", "### {n}. {name}：{first}", True, ""),
    ("atx3-bold-number-inside", "### **{n}. {name}**", False, ""),
    ("list-space-before-colon", "{n}. **{name}** ：{first}", True, "   "),
    ("list-blank-line-then-indented", "{n}. **{name}**\n", False, "   "),
    ("list-tab-after-marker", "{n}.\t**{name}**：", False, "\t"),
    ("atx3-chinese-numeral", "### {cn}、{name}", False, ""),
    ("bold-chinese-numeral-colon-same-line", "**{cn}、{name}**：{first}", True, ""),
    ("ideographic-comma-colon-same-line", "{n}、**{name}**：{first}", True, ""),
    ("bullet-bold-colon-same-line", "- **{name}**：{first}", True, "  "),
    ("bullet-bold-next-line", "* **{name}**", False, "  "),
]


def build_shape(template: str, same_line: bool, indent: str) -> tuple[str, dict[str, int]]:
    lines = list(HEADER)
    starts: dict[str, int] = {}
    for n, (key, name) in enumerate(zip(PART_KEYS, NAMES), start=1):
        body = BODIES[key]
        starts[key] = len(lines) + 1
        if same_line:
            lines.append(template.format(n=n, cn="一二三四五"[n - 1], name=name, first=body[0]))
            rest = body[1:]
        else:
            lines.extend(template.format(n=n, cn="一二三四五"[n - 1], name=name).split("\n"))
            rest = body
        lines.extend(indent + line if line else "" for line in rest)
        lines.append("")
    return "\n".join(lines) + "\n", starts


@pytest.mark.parametrize(("template", "same_line", "indent"), [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_heading_shape(template, same_line, indent):
    text, starts = build_shape(template, same_line, indent)
    digest, diagnostics = parse_text(text, "shape.md")
    assert strs(diagnostics) == []
    (paper,) = digest.papers
    assert paper.extra == ()
    assert [(p.key, p.heading, p.line) for p in paper.parts] == [
        (key, name, starts[key]) for key, name in zip(PART_KEYS, NAMES)
    ]
    assert starts["field"] == 12
    for key in PART_KEYS:
        assert paper.part(key) == "\n".join(BODIES[key]), key


def test_heading_shapes_cover_the_format_document():
    """The table above holds every shape that digest-format.md lists."""
    doc = Path(__file__).resolve().parent.parent.parent / "shared" / "digest-format.md"
    if not doc.is_file():
        pytest.skip("../shared/digest-format.md is absent")
    block = doc.read_text(encoding="utf-8").split("The numbered heading comes in")[1].split("```")[1]
    listed = {re.sub(r"[：:].*", "：", line.strip()) for line in block.splitlines() if line.strip()}
    ours = {s[1].replace("{n}", "1").replace("{name}", "应用领域").replace(" {first}", "").replace("{first}", "") for s in SHAPES}
    # `1.  **应用领域**：` keeps its two spaces; the others are matched literally.
    assert listed <= {t.strip() for t in ours}


# --------------------------------------------------------------------------
# De-indentation: exact bodies, then CommonMark equivalence on real digests.
# --------------------------------------------------------------------------


def test_minimal_fixture_bodies_exact():
    digest, diagnostics = parse_one(PARSE / "minimal.md")
    assert diagnostics == []
    assert (digest.date, digest.source_url, digest.date_line) == ("2026-01-18", "https://huggingface.co/papers/date/2026-01-18", 2)
    alpha, beta = digest.papers
    assert (alpha.arxiv_id, alpha.title, alpha.url, alpha.reading_source, alpha.report_title, alpha.line) == (
        "2601.00001",
        "Alpha: A Clean Paper",
        "https://huggingface.co/papers/2601.00001",
        "HTML",
        "Alpha 论文报告",
        7,
    )
    assert alpha.field_text == "计算机视觉 - 图像生成（Image Generation）。"
    assert alpha.contribution == "提出 Alpha，在 $256 \\times 256$ 分辨率下生成图像。"
    assert alpha.part("usage") == (
        "*   **输入**：一张图像 $I_s$。\n"
        "    *   **格式**：`png` 或 `jpg`。\n"
        "*   **输出**：生成图像。"
    )
    assert alpha.part("innovations") == "1.  **模块 A**：第一点。\n2.  **模块 B**：第二点。"
    assert alpha.part("results") == "*   在 ImageNet 上 FID 为 **2.1**。"
    assert [p.line for p in alpha.parts] == [14, 16, 18, 23, 27]
    # An arxiv.org/abs link with a version suffix keys on the bare id.
    assert (beta.arxiv_id, beta.url, beta.reading_source, beta.report_title) == (
        "2601.00002",
        "https://arxiv.org/abs/2601.00002v2",
        "ArXiv Abs",
        "",
    )
    assert [(p.key, p.body) for p in beta.parts] == [
        ("field", "NLP - 大模型推理。"),
        ("contribution", "一句话。"),
        ("usage", "*   **输入**：问题。"),
        ("innovations", "*   创新一。"),
        ("results", "*   效果一。"),
    ]


def _paper_with(parts_text: str) -> Paper:
    digest, diagnostics = parse_text("\n".join(HEADER) + "\n" + parts_text, "t.md")
    assert [d for d in strs(diagnostics) if "missing part" not in d] == []
    return digest.papers[0]


def test_bullets_at_column_zero_after_list_heading_keep_their_nesting():
    """Real digest, paper 3: `3. **使用指南**：` then `*` at column 0 and `1.` nested at column 4.

    The bullet list at column 0 is outside the numbered item, so the item's
    content column must not be removed from the nested numbered list.
    """
    paper = _paper_with(
        "3. **使用指南**：\n"
        "*   **评估流程**：主要步骤包括：\n"
        "    1.  **输入准备**：构建提示词。\n"
        "    2.  **模型推理**：获取响应。\n"
        "*   **硬件需求**：H100。\n"
    )
    assert paper.part("usage") == (
        "*   **评估流程**：主要步骤包括：\n"
        "    1.  **输入准备**：构建提示词。\n"
        "    2.  **模型推理**：获取响应。\n"
        "*   **硬件需求**：H100。"
    )


def test_fenced_code_and_display_math_inside_list_item_untouched():
    paper = _paper_with(
        "3. **使用指南**\n"
        "   *   **公式**：$$\\mathrm{Acc} = \\frac{1}{N}$$\n"
        "   *   **配置**：\n"
        "       ```yaml\n"
        "       length: 128k\n"
        "         nested: 2\n"
        "       ```\n"
    )
    assert paper.part("usage") == (
        "*   **公式**：$$\\mathrm{Acc} = \\frac{1}{N}$$\n"
        "*   **配置**：\n"
        "    ```yaml\n"
        "    length: 128k\n"
        "      nested: 2\n"
        "    ```"
    )


@pytest.mark.parametrize(
    "line",
    ["1. 应用领域：**视觉**、NLP", "### 1. 应用领域：**视觉**、NLP", "1. **应用领域**：**视觉**、NLP", "**应用领域：** **视觉**、NLP"],
)
def test_content_that_opens_with_bold_keeps_its_bold(line):
    assert _paper_with(line + "\n").field_text == "**视觉**、NLP"


def test_body_tabs_inside_content_are_kept():
    paper = _paper_with("1. **应用领域**\n   a\tb `x\ty`\n")
    assert paper.field_text == "a\tb `x\ty`"


def test_alias_lines_inside_a_body_are_not_headings():
    """A bold lead-in or sub-heading that happens to be a part alias stays in its body."""
    paper = _paper_with(
        "### 1. 应用领域\n视觉。\n\n### 2. 一句话核心贡献\n一句话。\n\n### 3. 使用指南\n**使用方法**：直接运行。\n\n"
        "### 4. 主要创新点\n*   创新一。\n\n### 5. 实验效果\n#### 主要结果\n**效果**：FID 2.1。\n"
    )
    assert [p.key for p in paper.parts] == list(PART_KEYS)
    assert paper.extra == ()
    assert paper.part("usage") == "**使用方法**：直接运行。"
    assert paper.part("results") == "#### 主要结果\n**效果**：FID 2.1。"


def test_numbered_sub_item_named_like_a_part_stays_in_its_item():
    paper = _paper_with(
        "4. **主要创新点**\n   1. **创新点**：第一。\n   2. **效果**：第二。\n\n5. **实验效果**\n   FID 2.1。\n"
    )
    assert paper.part("innovations") == "1. **创新点**：第一。\n2. **效果**：第二。"
    assert paper.part("results") == "FID 2.1。"
    assert paper.extra == ()


def test_sub_steps_at_column_zero_numbered_like_the_next_part_stay_in_the_body():
    paper = _paper_with(
        "3. **使用指南**：\n1. 下载。\n2. 安装。\n3. 运行。\n4. 评测。\n\n4. **主要创新点**：创新一。\n"
    )
    assert paper.part("usage") == "1. 下载。\n2. 安装。\n3. 运行。\n4. 评测。"
    assert paper.part("innovations") == "创新一。"
    assert paper.extra == ()


MD = MarkdownIt("commonmark")


def _block_sequence(tokens) -> list[tuple]:
    """Block structure as (depth, type, tag, start/number, info, content) rows.

    Inline content is compared as rendered HTML, which ignores the source's
    indentation of continuation lines exactly as CommonMark does.
    """
    rows = []
    depth = 0
    for token in tokens:
        if token.nesting == -1:
            depth -= 1
        content = ""
        if token.type == "inline":
            content = MD.renderer.renderInline(token.children, MD.options, {})
        elif token.type in ("fence", "code_block", "html_block"):
            content = token.content
        hidden = token.hidden if depth > 0 else False  # the unwrapped item's own tightness does not matter
        rows.append((depth, token.type, token.tag, token.attrGet("start"), token.info, content, hidden))
        if token.nesting == 1:
            depth += 1
    return rows


def _reference_rows(region: str, heading: str, shape: str) -> list[tuple]:
    """The rows of the part as CommonMark reads it in the file, heading removed."""
    tokens = MD.parse(region)
    if shape == "atx":
        assert tokens[0].type == "heading_open"
        return _block_sequence(tokens[3:])
    if tokens[0].type == "ordered_list_open":
        # Unwrap the part's own list item: its children, then what follows the list.
        close_item = next(i for i, t in enumerate(tokens) if t.type == "list_item_close" and t.level == tokens[1].level)
        close_list = next(i for i, t in enumerate(tokens) if t.type == "ordered_list_close" and t.level == 0)
        assert close_list == close_item + 1, "the part's list item is followed by sibling items"
        tokens = tokens[2:close_item] + tokens[close_list + 1 :]
    assert tokens[0].type == "paragraph_open"
    rows = _block_sequence(tokens)
    prefix = re.compile(
        r"^(?:<strong>)?\s*(?:\d+\s*[.．、)）]\s*)?(?:<strong>)?\s*" + re.escape(heading) + r"\s*[：:]?\s*(?:</strong>)?\s*[：:]?\s*"
    )
    depth, kind, tag, start, info, content, hidden = rows[1]
    stripped = prefix.sub("", content, count=1)
    assert stripped != content, (heading, content)
    if stripped:
        rows[1] = (depth, kind, tag, start, info, stripped, hidden)
        return rows
    return rows[3:]


def _part_regions(path: Path, digest: Digest):
    """(paper, part, original text of the part's lines) for every part of every paper."""
    lines = split_lines(path.read_text(encoding="utf-8-sig"))
    paper_starts = [p.line for p in digest.papers] + [len(lines) + 1]
    for index, paper in enumerate(digest.papers):
        parts = sorted(paper.parts + paper.extra, key=lambda p: p.line)
        bounds = [p.line for p in parts] + [paper_starts[index + 1]]
        for part, end in zip(parts, bounds[1:]):
            if part.heading == "正文":
                continue
            region = []
            for line in lines[part.line - 1 : end - 1]:
                if re.match(r"^\s*={3,}\s*$", line):
                    break
                region.append(line)
            yield paper, part, "\n".join(region) + "\n"


def _digest_files(shared_dir: Path | None) -> list[Path]:
    files = sorted(SAMPLE_DIGESTS.glob("*.md")) + [PARSE / "minimal.md"]
    if shared_dir is not None:
        files = sorted(shared_dir.iterdir()) + files
    return files


def _check_commonmark(files: list[Path]) -> int:
    compared = 0
    for path in files:
        digest, diagnostics = parse_file(path)
        assert digest is not None, diagnostics
        for paper, part, region in _part_regions(path, digest):
            first = region.lstrip().split("\n", 1)[0]
            shape = "atx" if first.startswith("#") else "list"
            expected = _reference_rows(region, part.heading, shape)
            got = _block_sequence(MD.parse(part.body))
            assert got == expected, f"{path.name}:{part.line} {paper.arxiv_id} {part.heading}"
            compared += 1
    return compared


def test_bodies_render_like_the_original_list_item_shared(shared_digests):
    assert _check_commonmark(_digest_files(shared_digests)) == 38 * 5 + 6 * 5 - 1 + 1 + _sample_part_count()


def test_bodies_render_like_the_original_list_item_samples():
    assert _check_commonmark(_digest_files(None)) == _sample_part_count()


def _sample_part_count() -> int:
    total = 0
    for path in _digest_files(None):
        digest, _ = parse_file(path)
        total += sum(len(p.parts) + len(p.extra) for p in digest.papers)
    return total


# --------------------------------------------------------------------------
# Diagnostics
# --------------------------------------------------------------------------


def test_paper_without_link_is_an_error_and_the_next_paper_still_parses():
    digest, diagnostics = parse_one(PARSE / "missing_link.md")
    assert diagnostics == [
        "missing_link.md:7: error: paper 'No Link: A Paper Without Its Link' has no link line "
        "'- **链接**: https://huggingface.co/papers/<arXiv id>'; skipped"
    ]
    assert [(p.arxiv_id, p.title, p.line) for p in digest.papers] == [("2601.00002", "Kept: The Next Paper", 23)]


def test_links_without_a_valid_arxiv_id_are_errors_at_the_link_line():
    digest, diagnostics = parse_one(PARSE / "bad_links.md")
    message = "does not end in a valid arXiv id (like 2601.10103); paper skipped"
    assert diagnostics == [
        f"bad_links.md:9: error: link 'https://huggingface.co/papers/../../etc/passwd' {message}",
        f"bad_links.md:26: error: link 'https://huggingface.co/papers/not-an-id' {message}",
        f"bad_links.md:43: error: link 'https://huggingface.co/papers/2601.123' {message}",
    ]
    assert [p.arxiv_id for p in digest.papers] == ["2601.00004"]


def test_same_paper_twice_is_an_error_at_the_second_copy():
    digest, diagnostics = parse_one(PARSE / "duplicate_paper.md")
    assert diagnostics == [
        "duplicate_paper.md:24: error: paper 2601.00001 appears twice in this digest (first at line 7); "
        "the second copy is skipped"
    ]
    assert [p.title for p in digest.papers] == ["Twice: First Copy"]


def test_not_utf8_reports_the_line_of_the_bad_byte():
    digest, diagnostics = parse_one(PARSE / "not_utf8.txt")
    assert digest is None
    assert diagnostics == ["not_utf8.txt:14: error: not UTF-8 text (invalid byte 0xe9); save the file as UTF-8"]


def test_not_utf8_line_counts_crlf_and_cr_endings():
    raw = (PARSE / "not_utf8.txt").read_bytes()
    for ending in (b"\r\n", b"\r"):
        _, diagnostics = parse_bytes(raw.replace(b"\n", ending), "x.txt")
        assert strs(diagnostics) == ["x.txt:14: error: not UTF-8 text (invalid byte 0xe9); save the file as UTF-8"]


def test_binary_file_is_an_error():
    digest, diagnostics = parse_one(PARSE / "binary.txt")
    assert digest is None
    assert diagnostics == ["binary.txt:3: error: binary file (NUL byte): a digest must be UTF-8 text"]


def test_digest_without_date_is_an_error():
    digest, diagnostics = parse_one(PARSE / "no_date.md")
    assert digest is None
    assert diagnostics == [
        "no_date.md:1: error: no date: the header needs a line '**Date**: YYYY-MM-DD' before the first paper"
    ]


def test_digest_with_an_impossible_date_is_an_error_at_its_line():
    digest, diagnostics = parse_one(PARSE / "bad_date.md")
    assert digest is None
    assert diagnostics == ["bad_date.md:2: error: date '2026-13-45' is not a YYYY-MM-DD date"]


def test_digest_without_papers_is_an_error():
    digest, diagnostics = parse_one(PARSE / "no_papers.md")
    assert diagnostics == ["no_papers.md:1: error: no papers found: each paper must start with a line '## 📄 <title>'"]
    assert digest is not None and digest.papers == ()


def test_empty_file_reports_no_date_and_no_papers():
    digest, diagnostics = parse_bytes(b"", "empty.md")
    assert digest is None
    assert strs(diagnostics) == [
        "empty.md:1: error: no date: the header needs a line '**Date**: YYYY-MM-DD' before the first paper",
        "empty.md:1: error: no papers found: each paper must start with a line '## 📄 <title>'",
    ]


def test_missing_part_is_a_warning_at_the_title_line():
    digest, diagnostics = parse_one(PARSE / "missing_part.md")
    assert diagnostics == ["missing_part.md:7: warning: missing part '使用指南'"]
    (paper,) = digest.papers
    assert [p.key for p in paper.parts] == ["field", "contribution", "innovations", "results"]
    assert paper.part("usage") == ""
    assert paper.part("innovations") == "创新一。"


def test_extra_part_is_a_warning_and_kept():
    digest, diagnostics = parse_one(PARSE / "extra_part.md")
    assert diagnostics == ["extra_part.md:22: warning: extra part '局限性' is not one of the five known parts; kept after them"]
    (paper,) = digest.papers
    assert [p.key for p in paper.parts] == list(PART_KEYS)
    assert paper.extra == (Part(heading="局限性", body="只在合成数据上验证。", line=22),)


def test_parts_out_of_order_is_a_warning_and_all_parts_kept():
    digest, diagnostics = parse_one(PARSE / "out_of_order.md")
    assert diagnostics == [
        "out_of_order.md:18: warning: part '使用指南' is out of order "
        "(expected order: 应用领域, 一句话核心贡献, 使用指南, 主要创新点, 实验效果)"
    ]
    (paper,) = digest.papers
    assert [(p.key, p.line) for p in paper.parts] == [
        ("field", 12),
        ("contribution", 14),
        ("innovations", 16),
        ("usage", 18),
        ("results", 20),
    ]
    assert paper.part("usage") == "输入图像。"


def test_unreadable_path_is_an_error(tmp_path):
    digest, diagnostics = parse_file(tmp_path / "absent.md", "absent.md")
    assert digest is None
    assert strs(diagnostics) == ["absent.md:1: error: cannot read file: No such file or directory"]


# --------------------------------------------------------------------------
# BOM and line endings
# --------------------------------------------------------------------------


def _as_json(digest: Digest):
    return dataclasses.asdict(digest) | {"path": None}


@pytest.mark.parametrize(
    ("bom", "ending"),
    [(b"\xef\xbb\xbf", b"\n"), (b"", b"\r\n"), (b"\xef\xbb\xbf", b"\r\n"), (b"", b"\r")],
    ids=["bom", "crlf", "bom-crlf", "cr"],
)
@pytest.mark.parametrize("name", ["minimal.md", "extra_part.md", "duplicate_paper.md"])
def test_bom_and_line_endings_parse_like_lf(tmp_path, name, bom, ending):
    raw = (PARSE / name).read_bytes()
    assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")
    expected, expected_diagnostics = parse_file(PARSE / name, name)
    variant = tmp_path / name
    variant.write_bytes(bom + raw.replace(b"\n", ending))
    digest, diagnostics = parse_file(variant, name)
    assert diagnostics == expected_diagnostics
    assert digest == expected
    for paper in digest.papers:
        for part in paper.parts + paper.extra:
            assert "\r" not in part.body and "\ufeff" not in part.body
    assert "\ufeff" not in digest.papers[0].title


def test_split_lines():
    assert split_lines("\ufeffa\r\nb\rc\nd") == ["a", "b", "c", "d"]
    assert split_lines("a\n") == ["a", ""]


# --------------------------------------------------------------------------
# arXiv ids
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://huggingface.co/papers/2601.10103", "2601.10103"),
        ("https://huggingface.co/papers/2601.10103/", "2601.10103"),
        ("https://huggingface.co/papers/2601.10103?utm=x", "2601.10103"),
        ("https://arxiv.org/abs/2601.10103v3", "2601.10103"),
        ("https://arxiv.org/pdf/2601.10103.pdf", "2601.10103"),
        ("https://huggingface.co/papers/0704.0001", "0704.0001"),
        ("https://huggingface.co/papers/../../etc/passwd", None),
        ("https://huggingface.co/papers/2601.10103/../../etc/passwd", None),
        ("https://huggingface.co/papers/..%2F..%2Fetc%2Fpasswd", None),
        ("https://huggingface.co/papers/2601.10103.md", None),
        ("https://huggingface.co/papers/2601.123", None),
        ("https://huggingface.co/papers/2601.123456", None),
        ("https://huggingface.co/papers/abc", None),
        ("https://example.com/papers/2601.10103", None),
        ("javascript:alert(1)//2601.10103", None),
        ("2601.10103", None),
        ("", None),
    ],
)
def test_arxiv_id_from_url(url, expected):
    assert arxiv_id_from_url(url) == expected


# --------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------


def test_model_is_immutable_and_diagnostic_formats_path_line_level_message():
    diagnostic = Diagnostic("a/b.md", 12, WARNING, "missing part '使用指南'")
    assert str(diagnostic) == "a/b.md:12: warning: missing part '使用指南'"
    assert sorted([Diagnostic("b", 1, ERROR, "x"), Diagnostic("a", 9, ERROR, "y"), Diagnostic("a", 2, ERROR, "z")]) == [
        Diagnostic("a", 2, ERROR, "z"),
        Diagnostic("a", 9, ERROR, "y"),
        Diagnostic("b", 1, ERROR, "x"),
    ]
    digest, _ = parse_file(PARSE / "minimal.md")
    paper = digest.papers[0]
    for obj, attr in ((diagnostic, "line"), (digest, "date"), (paper, "title"), (paper.parts[0], "body")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, attr, "changed")
    assert isinstance(digest.papers, tuple) and isinstance(paper.parts, tuple) and isinstance(paper.extra, tuple)


def test_paper_part_accessors_and_short_name():
    parts = (Part("应用领域", "视觉", 3, "field"), Part("一句话核心贡献", "贡献", 5, "contribution"))
    paper = Paper("2601.10103", "FlowAct-R1: Towards X", "u", "HTML", "", 1, parts)
    assert (paper.field_text, paper.contribution, paper.part("usage")) == ("视觉", "贡献", "")
    assert paper.short_name == "FlowAct-R1"
    assert dataclasses.replace(paper, title="A Safety Report on GPT-5.2").short_name == ""
    assert dataclasses.replace(paper, title="Long Name With Spaces: x").short_name == ""


# --------------------------------------------------------------------------
# The shared digests
# --------------------------------------------------------------------------


def test_every_shared_digest_parses_without_errors(shared_digests):
    files = sorted(shared_digests.iterdir())
    assert [f.name for f in files] == [REAL, COMPANION] or len(files) >= 2
    for path in files:
        digest, diagnostics = parse_file(path)
        assert digest is not None
        assert [str(d) for d in diagnostics if d.level == ERROR] == [], path.name


def test_real_digest_has_38_complete_papers_and_no_diagnostics(shared_digests):
    digest, diagnostics = parse_one(shared_digests / REAL)
    assert diagnostics == []
    assert (digest.date, digest.source_url) == ("2026-01-18", "https://huggingface.co/papers/date/2026-01-18")
    assert len(digest.papers) == 38
    assert len({p.arxiv_id for p in digest.papers}) == 38
    for paper in digest.papers:
        assert [p.key for p in paper.parts] == list(PART_KEYS), paper.arxiv_id
        assert all(p.body.strip() for p in paper.parts), paper.arxiv_id
        assert paper.extra == (), paper.arxiv_id
        assert paper.reading_source in ("HTML", "ArXiv Abs"), paper.arxiv_id
    first = digest.papers[0]
    assert (first.arxiv_id, first.title, first.line, first.report_title) == (
        "2601.10103",
        "FlowAct-R1: Towards Interactive Humanoid Video Generation",
        7,
        "FlowAct-R1: Towards Interactive Humanoid Video Generation 研究报告",
    )
    assert first.field_text == "计算机视觉 - 交互式类人视频生成（Interactive Humanoid Video Generation）、AIGC、多模态实时交互系统。"


def test_companion_reports_its_missing_and_extra_part_lines(shared_digests):
    digest, diagnostics = parse_one(shared_digests / COMPANION)
    assert diagnostics == [
        "2026-01-19.md:80: warning: extra part '局限性' is not one of the five known parts; kept after them",
        "2026-01-19.md:86: warning: missing part '使用指南'",
    ]
    by_id = {p.arxiv_id: p for p in digest.papers}
    assert len(digest.papers) == 6
    sparse = by_id["2601.11021"]
    assert sparse.extra == (Part("局限性", "*   预算预测器在分布外的题型上会低估难度，导致过早停止。", 80),)
    orbit = by_id["2601.11345"]
    assert orbit.title.startswith("OrbitGS") and orbit.line == 86
    assert [p.key for p in orbit.parts] == ["field", "contribution", "innovations", "results"]
    qa = by_id["2601.11502"]
    assert qa.title == "Q&A-Bench: Evaluating *Long-Context* Retrieval with <Needle> Questions"
    assert qa.report_title == "【论文报告】Q&A-Bench"


# --------------------------------------------------------------------------
# Nothing lost
# --------------------------------------------------------------------------

_HEADER_LINE = re.compile(r"^(# Hugging Face Daily Papers Report|\*\*Date\*\*\s*[:：].*|\*\*Source URL\*\*\s*[:：].*)$")
_SEPARATOR = re.compile(r"^={3,}$")


def lost_lines(path: Path, digest: Digest | None = None) -> list[str]:
    """Non-blank lines of the file that the model does not represent."""
    if digest is None:
        digest, _ = parse_file(path)
    assert digest is not None
    lines = [line.strip() for line in split_lines(path.read_text(encoding="utf-8-sig"))]
    first_paper = digest.papers[0].line if digest.papers else len(lines) + 1
    ends = [p.line for p in digest.papers[1:]] + [len(lines) + 1]
    lost = []
    for number in range(1, first_paper):
        text = lines[number - 1]
        if text and not _HEADER_LINE.match(text) and not _SEPARATOR.match(text):
            lost.append(f"{path.name}:{number}: {text}")
    for paper, end in zip(digest.papers, ends):
        parts = {p.line: p for p in paper.parts + paper.extra if p.heading != "正文"}
        body_lines = Counter(
            line.strip() for part in paper.parts + paper.extra for line in part.body.split("\n") if line.strip()
        )
        for number in range(paper.line, end):
            text = lines[number - 1]
            if not text or _SEPARATOR.match(text):
                continue
            if number == paper.line:
                ok = text == f"## 📄 {paper.title}"
            elif number in parts:
                part = parts[number]
                tail = re.sub(r"^.*?" + re.escape(part.heading) + r"[*\s]*[：:]?[*\s]*", "", text, count=1)
                ok = part.heading in text.replace("*", "") and (not tail or part.body.split("\n")[0] == tail)
            elif paper.url and paper.url in text and "链接" in text:
                ok = True
            elif paper.reading_source and "阅读来源" in text and text.endswith(paper.reading_source):
                ok = True
            elif paper.report_title and text.startswith("#") and text.lstrip("#").strip() == paper.report_title:
                ok = True
            elif body_lines[text] > 0:
                body_lines[text] -= 1
                ok = True
            else:
                ok = False
            if not ok:
                lost.append(f"{path.name}:{number}: {text}")
    return lost


def test_nothing_lost_shared(shared_digests):
    for path in sorted(shared_digests.iterdir()):
        assert lost_lines(path) == []


@pytest.mark.parametrize("path", sorted(SAMPLE_DIGESTS.glob("*.md")) + [PARSE / "minimal.md"], ids=lambda p: p.name)
def test_nothing_lost_samples(path):
    assert lost_lines(path) == []


def test_nothing_lost_checker_reports_a_dropped_line():
    """The checker itself: remove one body line and one title from the model, both are reported."""
    path = PARSE / "minimal.md"
    digest, _ = parse_file(path)
    alpha, beta = digest.papers
    usage = alpha.parts[2]
    assert usage.key == "usage"
    shorter = dataclasses.replace(usage, body=usage.body.replace("\n    *   **格式**：`png` 或 `jpg`。", ""))
    alpha = dataclasses.replace(alpha, parts=alpha.parts[:2] + (shorter,) + alpha.parts[3:])
    beta = dataclasses.replace(beta, title="Beta")
    assert lost_lines(path, dataclasses.replace(digest, papers=(alpha, beta))) == [
        "minimal.md:20: *   **格式**：`png` 或 `jpg`。",
        "minimal.md:33: ## 📄 Beta: Another Clean Paper",
    ]


def test_text_before_the_first_part_is_kept_as_an_extra_part(tmp_path):
    text = (PARSE / "minimal.md").read_text(encoding="utf-8")
    kept = tmp_path / "kept.md"
    kept.write_text(text.replace("# Alpha 论文报告\n", "# Alpha 论文报告\n\n前言一行，\n  第二行。\n"), encoding="utf-8")
    assert lost_lines(kept) == []
    digest, diagnostics = parse_file(kept, "kept.md")
    assert strs(diagnostics) == ["kept.md:14: warning: text before the first part is kept as an extra part '正文'"]
    assert digest.papers[0].extra == (Part("正文", "前言一行，\n  第二行。", 14),)
    assert [p.line for p in digest.papers[0].parts] == [17, 19, 21, 26, 30]


def test_lazy_continuation_lines_are_kept_whole():
    paper = _paper_with("1. **应用领域**：计算机视觉、\n  图像生成、\n视频生成。\n   *   子项。\n")
    assert paper.field_text == "计算机视觉、\n图像生成、\n视频生成。\n*   子项。"


# --------------------------------------------------------------------------
# Round trip: the real bodies rewritten in every heading shape parse back unchanged.
# --------------------------------------------------------------------------

_STARTS_BLOCK = re.compile(r"^(?:[-*+]\s|\d+[.)]\s|#|```|>|\$\$)")


def _rewrite(digest: Digest, template: str, same_line: bool, indent: str) -> str:
    lines = [
        "# Hugging Face Daily Papers Report",
        f"**Date**: {digest.date}",
        f"**Source URL**: {digest.source_url}",
        "",
    ]
    for paper in digest.papers:
        lines += ["=" * 60, "", f"## 📄 {paper.title}", "", f"- **链接**: {paper.url}", f"- **阅读来源**: {paper.reading_source}", ""]
        if paper.report_title:
            lines += [f"# {paper.report_title}", ""]
        for n, part in enumerate(paper.parts, start=1):
            body = part.body.split("\n")
            if same_line and not _STARTS_BLOCK.match(body[0]):
                lines.append(template.format(n=n, cn="一二三四五"[n - 1], name=part.heading, first=body[0]))
                body = body[1:]
            else:
                bare = template.replace(" {first}", "").replace("{first}", "")
                lines.extend(bare.format(n=n, cn="一二三四五"[n - 1], name=part.heading).split("\n"))
            lines.extend(indent + line if line else "" for line in body)
            lines.append("")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("template", "same_line", "indent"), [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_real_bodies_round_trip_through_every_heading_shape(shared_digests, template, same_line, indent):
    original, _ = parse_file(shared_digests / REAL)
    for ending, bom in (("\n", ""), ("\r\n", "\ufeff")):
        text = _rewrite(original, template, same_line, indent)
        digest, diagnostics = parse_text(bom + text.replace("\n", ending), "rewritten.md")
        assert strs(diagnostics) == []
        assert len(digest.papers) == 38
        for before, after in zip(original.papers, digest.papers):
            assert (after.arxiv_id, after.title, after.report_title) == (before.arxiv_id, before.title, before.report_title)
            assert [(p.key, p.heading) for p in after.parts] == [(p.key, p.heading) for p in before.parts]
            for key in PART_KEYS:
                assert after.part(key) == before.part(key), (after.arxiv_id, key)


# --------------------------------------------------------------------------
# Metadata line variants and glossed headings
# --------------------------------------------------------------------------

LINK = "https://huggingface.co/papers/2601.10103"


@pytest.mark.parametrize(
    "meta",
    [
        f"- **链接**: {LINK}\n- **阅读来源**: ArXiv Abs",
        f"- **链接：** {LINK}\n- **阅读来源：** ArXiv Abs",
        f"- 链接: {LINK}\n- 阅读来源: ArXiv Abs",
        f"* **链接**: <{LINK}>\n* **阅读来源**: ArXiv Abs",
        f"- **链接**: [{LINK}]({LINK})\n- **阅读来源**: ArXiv Abs",
        f"**链接**：{LINK}\n**阅读来源**：ArXiv Abs",
        f"- **Link**: {LINK}\n- **Source**: ArXiv Abs",
    ],
    ids=["doc", "colon-inside-bold", "no-bold", "angle-brackets", "markdown-link", "no-bullet-fullwidth", "english"],
)
def test_metadata_line_variants(meta):
    text = "\n".join(HEADER[:7]) + "\n\n" + meta + "\n\n1. **应用领域**：视觉。\n"
    digest, diagnostics = parse_text(text, "m.md")
    assert [d for d in strs(diagnostics) if "missing part" not in d] == []
    (paper,) = digest.papers
    assert (paper.arxiv_id, paper.url, paper.reading_source, paper.field_text) == ("2601.10103", LINK, "ArXiv Abs", "视觉。")


def test_heading_with_an_english_gloss_is_the_known_part():
    paper = _paper_with("### 1. 应用领域（Application Field）\n视觉。\n\n### 2. 一句话核心贡献 (Core Contribution)\n一句。\n")
    assert [(p.key, p.heading, p.body) for p in paper.parts] == [
        ("field", "应用领域（Application Field）", "视觉。"),
        ("contribution", "一句话核心贡献 (Core Contribution)", "一句。"),
    ]


# -- issue 13: dates, source URL, control and bidi characters, unreadable papers ------------


def _digest(date: str = "2026-01-18", source: str = "https://huggingface.co/papers/date/2026-01-18", title: str = "T",
            body: str = "提出一种方法。") -> str:
    return "\n".join([
        "# Hugging Face Daily Papers Report", f"**Date**: {date}", f"**Source URL**: {source}", "",
        "============================================================", "",
        f"## 📄 {title}", "", "- **链接**: https://huggingface.co/papers/2601.10103", "- **阅读来源**: HTML", "",
        "1. **应用领域**：计算机视觉。", f"2. **一句话核心贡献**：{body}", "3. **使用指南**：步骤。",
        "4. **主要创新点**：创新。", "5. **实验效果**：效果。", "",
    ])


TODAY = __import__("datetime").date(2026, 1, 20)


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "1990-12-31", "2026-01-28"])
def test_dates_outside_the_window_are_errors_and_skip_the_digest(date):
    digest, diagnostics = parse_text(_digest(date), "d.md", today=TODAY)
    assert digest is None
    assert [str(d) for d in diagnostics] == [
        f"d.md:2: error: date {date} is outside 1991-01-01 .. 2026-01-27 "
        "(no arXiv paper is older; at most 7 days ahead of today); digest skipped"
    ]


@pytest.mark.parametrize("date", ["1991-01-01", "2026-01-27"])
def test_dates_at_the_window_s_ends_are_accepted(date):
    digest, diagnostics = parse_text(_digest(date), "d.md", today=TODAY)
    assert digest.date == date and diagnostics == []


@pytest.mark.parametrize(
    "source",
    ["javascript:alert(1)", 'https://x.org/"onmouseover="a', "https://x.org/<b>", "https://x.org/a\\b", "//x.org/a",
     "https://", "http://[x", "ftp://x.org/a", "https://x.org/a\x1bb"],
)
def test_bad_source_urls_are_dropped_with_a_warning(source):
    digest, diagnostics = parse_text(_digest(source=source), "d.md", today=TODAY)
    assert digest.source_url == ""
    warnings = [d for d in diagnostics if "source URL" in d.message]
    assert len(warnings) == 1 and warnings[0].line == 3 and warnings[0].level == WARNING
    assert warnings[0].message.endswith("is not an absolute http(s) URL without spaces, quotes, '<', '>', "
                                        "backslashes or control characters; dropped")


def test_a_source_url_with_a_space_is_dropped_too():
    digest, diagnostics = parse_text(_digest(source="https://x.org/a b"), "d.md", today=TODAY)
    assert digest.source_url == "" and [d.line for d in diagnostics] == [3]


def test_control_characters_are_replaced_in_place_with_a_bounded_warning():
    text = _digest(title="A\x1b[2J B\x00", body="一\x0b二\x7f三\x85四\ufffe")
    text += "\n".join(f"extra\x01 {n}" for n in range(50))
    digest, diagnostics = parse_text(text, "d.md", today=TODAY)
    paper = digest.papers[0]
    assert paper.title == "A\ufffd[2J B\ufffd"
    assert paper.contribution == "一 二\ufffd三\ufffd四\ufffd"
    assert [str(d) for d in diagnostics][:3] == [
        "d.md:7: warning: control characters U+0000, U+001B replaced (not allowed in XML)",
        "d.md:13: warning: control characters U+000B, U+007F, U+0085, U+FFFE replaced (not allowed in XML)",
        "d.md:17: warning: control character U+0001 replaced (not allowed in XML); "
        "49 more lines with such characters not reported",
    ]
    assert paper.line == 7 and [part.line for part in paper.parts] == [12, 13, 14, 15, 16]


def test_bidi_controls_are_removed_from_one_line_fields():
    text = _digest(title="Evil \u202eelttiT\u202c Paper").replace("- **阅读来源**: HTML", "- **阅读来源**: HT\u2066ML")
    digest, diagnostics = parse_text(text, "d.md", today=TODAY)
    paper = digest.papers[0]
    assert paper.title == "Evil elttiT Paper" and paper.reading_source == "HTML"
    assert [str(d) for d in diagnostics] == [
        "d.md:7: warning: bidi control characters U+202C, U+202E removed from the title",
        "d.md:10: warning: bidi control character U+2066 removed from the reading source",
    ]


def test_links_and_nesting_are_neutralised_with_the_line_of_the_change():
    text = _digest(body="见 [代码](github.com/foo) 与 [文件](../x.md)").replace(
        "3. **使用指南**：步骤。", "3. **使用指南**：\n" + "\n".join("   " + "  " * i + "- x" for i in range(12)))
    digest, diagnostics = parse_text(text, "d.md", today=TODAY)
    paper = digest.papers[0]
    assert paper.contribution == "见 [代码](https://github.com/foo) 与 文件"
    assert [str(d) for d in diagnostics] == [
        "d.md:13: warning: in part '一句话核心贡献': link target '../x.md' is not an absolute http(s) URL: shown as text",
        "d.md:13: warning: in part '一句话核心贡献': link target 'github.com/foo' has no scheme: written as 'https://…'",
        "d.md:23: warning: in part '使用指南': list nested more than 8 levels deep: deeper items are written at level 8 "
        "(3 more like it in this part)",
    ]


def test_unreadable_counts_the_papers_skipped():
    digest, _ = parse_file(PARSE / "duplicate_paper.md")
    assert digest.unreadable == 1
    digest, _ = parse_file(PARSE / "minimal.md")
    assert digest.unreadable == 0
    no_link = _digest() + "\n## 📄 No Link\n\n1. **应用领域**：x\n\n## 📄 Bad Id\n\n- **链接**: https://huggingface.co/papers/x\n"
    digest, _ = parse_text(no_link, "d.md", today=TODAY)
    assert digest.unreadable == 2 and len(digest.papers) == 1
