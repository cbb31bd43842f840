"""Property tests (hypothesis): front matter round-trips, the parser never crashes and never
loses a line, and parsing takes linear time.

Example counts come from a hypothesis profile: 500 per property in `make test`, 10,000 in
`make fuzz` (``HYPOTHESIS_PROFILE=fuzz``).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import subprocess
import sys
import textwrap
import unicodedata
from collections import Counter
from pathlib import Path

import frontmatter
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.model import ERROR
from generator.parse import PART_ALIASES, parse_bytes, parse_text, split_lines
from generator.render import with_front_matter
from generator.tokens import TERM_NEUTRAL

ROOT = Path(__file__).resolve().parent.parent

settings.register_profile(
    "project", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.register_profile("fuzz", parent=settings.get_profile("project"), max_examples=10_000)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "project"))

# Any text a UTF-8 file can hold (no lone surrogates).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)))
# Text for one line: no characters that end a line in a digest.
LINE_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r\n"))
YAML_TRAPS = ["NO", "yes", "2024-05-01", "null", "a: b", "- x", "#x", "~", "on", "0x1F", "1e3", ".inf", "---", "...",
              "'", '"', "!!python/object/apply:os.system ['id']", "&a *a", "{a: 1}", "[1]", "| x", "> x", "? x", "@x",
              "%YAML 1.1", "\u2028", "\x85", "\ufeff", "\t", " lead", "trail ", "a\n---\nb", "\x00", "\x1b[31m"]


# --------------------------------------------------------------------------
# Front matter
# --------------------------------------------------------------------------


@PROFILE
@given(title=ANY_TEXT, description=ANY_TEXT)
@example(title="NO", description="yes")
@example(title="a\n---\nb", description="...\n")
@example(title="x " * 600 + "---", description="y " * 600 + "...")
def test_front_matter_round_trips_any_string(title, description):
    # The keys of a paper page, in its order (digest text is never the last key).
    meta = {"title": title, "description": description, "date": "2026-01-18", "search": {"exclude": True}}
    text = with_front_matter(meta, "# body\n")
    post = frontmatter.loads(text)
    assert post.metadata == meta
    # MkDocs reads front matter with its own pattern: it must see the same values.
    _, mkdocs_meta = get_data(text)
    assert mkdocs_meta == meta


_META_TEXT = st.one_of(ANY_TEXT, st.sampled_from(YAML_TRAPS))
_META_VALUES = st.recursive(
    st.one_of(_META_TEXT, st.booleans()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_META_TEXT, inner, max_size=3)),
    max_leaves=8,
)


@PROFILE
@given(st.dictionaries(_META_TEXT, _META_VALUES, max_size=6))
@example({"title": "FlowAct-R1: 交互", "date": "2026-01-18", "tags": [], "search": {"exclude": True}})
@example({"a": 1, "b": None, "c": 1.5, "d": ("x",)})
def test_front_matter_is_what_yaml_dump_writes(meta):
    from generator.render import _YAML_DUMPER, dump_yaml

    expected = yaml.dump(meta, Dumper=_YAML_DUMPER, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
    assert dump_yaml(meta) == expected


def test_front_matter_of_a_list_met_twice_is_what_yaml_dump_writes():
    from generator.render import _YAML_DUMPER, dump_yaml

    shared = ["a", "b"]
    meta = {"tags": shared, "fields": shared}
    assert dump_yaml(meta) == yaml.dump(meta, Dumper=_YAML_DUMPER, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
    assert "&id001" in dump_yaml(meta)


def test_front_matter_keeps_the_last_value_whole():
    text = with_front_matter({"title": "T", "description": "\xa0"}, "body\n")
    assert frontmatter.loads(text)["description"] == "\xa0"


@pytest.mark.parametrize("title", YAML_TRAPS)
def test_front_matter_keeps_yaml_traps_as_strings(title):
    _, meta = get_data(with_front_matter({"title": title, "description": title}, "body\n"))
    assert meta == {"title": title, "description": title}


# --------------------------------------------------------------------------
# Parser: digest-shaped text
# --------------------------------------------------------------------------

NAMES = [alias for aliases in PART_ALIASES.values() for alias in aliases] + [
    "一句话 核心贡献", "应用领域（Application Field）", "局限性", "未知部分", "备注", "Limitations",
]
HEADER_LINES = ["# Hugging Face Daily Papers Report", "**Date**: 2026-01-18", "- **日期**：2026-01-18",
                "**Source URL**: https://huggingface.co/papers/date/2026-01-18", "", "=" * 60]
IDS = ["2601.00001", "2601.00002", "2601.10103", "../../etc/passwd", "２６０１.０００９９", "2601.1"]


@st.composite
def heading_lines(draw) -> str:
    name = draw(st.sampled_from(NAMES))
    number = draw(st.sampled_from(["", "1. ", "2. ", "3) ", "4、", "五、", "6. ", "12. "]))
    shape = draw(st.sampled_from(["{n}**{name}**", "{n}**{name}**：", "{n}**{name}：**", "### {n}{name}", "#### {n}{name}：",
                                  "- **{name}**：", "**{n}{name}**", "{n}{name}：", "## {n}**{name}**"]))
    rest = draw(st.one_of(st.just(""), LINE_TEXT))
    indent = draw(st.sampled_from(["", "", " ", "   ", "\t"]))
    return indent + shape.format(n=number, name=name) + (" " + rest if rest and "：" in shape else "")


@st.composite
def body_lines(draw) -> str:
    return draw(st.one_of(
        heading_lines(),
        LINE_TEXT,
        st.builds(lambda indent, marker, text: indent + marker + text,
                  st.sampled_from(["", "  ", "   ", "    ", "      ", "\t"]),
                  st.sampled_from(["*   ", "- ", "1. ", "2) ", "+ ", "", "> "]), LINE_TEXT),
        st.sampled_from(["", "", "```", "~~~", "```python", "=" * 60, "---", "# 报告标题", "$$", "<div>", "<!--", "-->"]),
    ))


@st.composite
def papers(draw) -> list[str]:
    lines = [draw(st.sampled_from(["## 📄 ", "##📄", "## 📄"])) + draw(LINE_TEXT)]
    meta = draw(st.lists(st.one_of(
        st.builds(lambda key, host, i, tail: f"- **{key}**: {host}{i}{tail}",
                  st.sampled_from(["链接", "link", "Link"]),
                  st.sampled_from(["https://huggingface.co/papers/", "https://arxiv.org/abs/", "https://example.com/"]),
                  st.sampled_from(IDS), st.sampled_from(["", "v2", "/", "?x=1", ".pdf"])),
        st.builds(lambda key, value: f"- **{key}**: {value}", st.sampled_from(["阅读来源", "source"]), LINE_TEXT),
        st.builds(lambda level, text: "#" * level + " " + text, st.integers(1, 3), LINE_TEXT),
        st.just(""),
    ), max_size=4))
    return lines + meta + draw(st.lists(body_lines(), max_size=25))


@st.composite
def digests(draw) -> str:
    header = draw(st.lists(st.sampled_from(HEADER_LINES), max_size=6))
    blocks = draw(st.lists(papers(), max_size=4))
    lines = header + [line for block in blocks for line in block]
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return draw(st.sampled_from(["", "\ufeff"])) + ending.join(lines) + draw(st.sampled_from(["", ending]))


# An independent reading of the format's skeleton, for the checker.
_PAPER_LINE = re.compile(r"^##\s*📄")
_SEPARATOR_LINE = re.compile(r"^\s*={3,}\s*$")
_KEY_ONLY = re.compile(r"^[-*+]?\s*\**\s*(链接|阅读来源|link|source)\s*\**\s*[:：]\s*\**\s*$", re.I)


def _squash(text: str) -> str:
    return re.sub(r"[\s*_`]+", "", unicodedata.normalize("NFKC", text))


def _heading_line_ok(text: str, heading: str, body: str) -> bool:
    """The line holds the part's heading, and what follows it on the line is the body's first line."""
    name = _squash(heading)
    if not name:
        return False
    pattern = r"[\s*_`]*".join(re.escape(char) for char in name)
    match = re.search(pattern, unicodedata.normalize("NFKC", text))
    if match is None:
        return False
    tail = match.string[match.end():].strip().lstrip("*：: \t").strip()
    return not _squash(tail) or _squash(tail) == _squash(body.split("\n")[0])


def lost_lines(text: str, parsed=None) -> list[str]:
    """Lines of a digest that the model neither holds nor reports as an error.

    Mirrors the "nothing lost" checker of tests/test_parse.py for any text: the header
    (before the first paper) is not content; a paper block that the parser skipped
    must have an error diagnostic within it; every non-blank, non-separator line of
    a kept paper is its title, a metadata line, its report heading, a part heading
    or a body line.
    """
    from generator.parse import _BIDI, _replace_forbidden

    digest, diagnostics = parsed or parse_text(text, "x.md")
    raw_lines = split_lines(text)
    # The parser replaces what XML forbids (reported), and one-line fields drop bidi controls.
    _replace_forbidden(raw_lines, "x.md", [])
    starts = [number for number, line in enumerate(raw_lines, start=1) if _PAPER_LINE.match(line)]
    errors = [d.line for d in diagnostics if d.level == ERROR]
    if digest is None:
        assert errors, "no digest and no error"
        return []
    by_line = {paper.line: paper for paper in digest.papers}
    lost = []
    for start, end in zip(starts, starts[1:] + [len(raw_lines) + 1]):
        paper = by_line.get(start)
        if paper is None:
            if not any(start <= line < end for line in errors):
                lost.append(f"{start}: paper skipped without an error")
            continue
        parts = {part.line: part for part in paper.parts + paper.extra if part.heading != "正文"}
        body = Counter(line.strip() for part in paper.parts + paper.extra for line in part.body.split("\n") if line.strip())
        for number in range(start, end):
            raw = raw_lines[number - 1]
            line = raw.strip()
            if not line or _SEPARATOR_LINE.match(raw):
                continue
            if number == start:
                ok = re.fullmatch(r"##\s*📄\s*" + re.escape(paper.title), _BIDI.sub("", line)) is not None
            elif number in parts and _heading_line_ok(line, parts[number].heading, parts[number].body):
                ok = True
            elif paper.url and paper.url in line and re.search("链接|link", line, re.I):
                ok = True
            elif paper.reading_source and line.endswith(paper.reading_source) and re.search("阅读来源|source", line, re.I):
                ok = True
            elif _KEY_ONLY.match(line) or set(line) == {"#"}:
                ok = True  # a metadata line or a heading without any value
            elif paper.report_title and line.startswith("#") and paper.report_title in line:
                ok = True
            elif body[line] > 0:
                body[line] -= 1
                ok = True
            else:
                ok = False
            if not ok:
                lost.append(f"{number}: {line}")
    return lost


def _check_diagnostics(text: str, diagnostics) -> None:
    count = max(1, len(split_lines(text)))
    for diagnostic in diagnostics:
        assert 1 <= diagnostic.line <= count, str(diagnostic)
        assert str(diagnostic).startswith(f"x.md:{diagnostic.line}: {diagnostic.level}: ")


@PROFILE
@given(digests())
def test_parser_never_loses_a_line_of_a_digest(text):
    digest, diagnostics = parse_text(text, "x.md")
    _check_diagnostics(text, diagnostics)
    if digest is not None:
        ids = [paper.arxiv_id for paper in digest.papers]
        assert len(ids) == len(set(ids))
        assert all(re.fullmatch(r"[0-9]{4}\.[0-9]{4,5}", i) for i in ids)
    assert lost_lines(text) == []


@PROFILE
@given(st.one_of(ANY_TEXT, st.binary().map(lambda b: b.decode("utf-8", "replace"))))
def test_parser_never_crashes_on_arbitrary_text(text):
    digest, diagnostics = parse_text(text, "x.md")
    _check_diagnostics(text, diagnostics)
    assert lost_lines(text) == []


@PROFILE
@given(st.binary())
def test_parser_never_crashes_on_arbitrary_bytes(raw):
    digest, diagnostics = parse_bytes(raw, "x.md")
    if digest is None:
        assert any(d.level == ERROR for d in diagnostics)


def test_nothing_lost_checker_finds_a_dropped_line():
    """The checker itself: a body line or a whole paper missing from the model is reported."""
    text = ("**Date**: 2026-01-18\n## 📄 T\n- **链接**: https://huggingface.co/papers/2601.00001\n"
            "1. **应用领域**：视觉\n正文一行\n## 📄 U\n- **链接**: https://huggingface.co/papers/2601.00002\n")
    digest, diagnostics = parse_text(text, "x.md")
    assert lost_lines(text) == []
    first, second = digest.papers
    shorter = dataclasses.replace(first, parts=(dataclasses.replace(first.parts[0], body="视觉"),))
    assert lost_lines(text, (dataclasses.replace(digest, papers=(shorter, second)), diagnostics)) == ["5: 正文一行"]
    assert lost_lines(text, (dataclasses.replace(digest, papers=(first,)), diagnostics)) == [
        "6: paper skipped without an error"
    ]


# --------------------------------------------------------------------------
# Linear time
# --------------------------------------------------------------------------

# No test reads the clock (a busy machine would make it fail): the Python work of
# each stage is counted, which is deterministic, and the inputs that a backtracking
# pattern (work the count cannot see) would take minutes or hours on run at a size
# a linear stage reads in well under a second, under a hang guard only. `make bench`
# times the same shapes (bench/linear.py).
if str(ROOT) not in sys.path:  # bench/ is a top-level package of the checkout, not installed
    sys.path.insert(0, str(ROOT))

from bench.linear import MARKDOWN_SHAPES, PARSE_SHAPES, markdown_stage  # noqa: E402

FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
# A linear stage does ~10x the work on a 10x input; a quadratic one ~100x.
MAX_WORK_RATIO = 11
# Seconds before a run counts as hung: minutes for what takes well under a second.
HANG_GUARD = 600


def python_lines_run(function, *args) -> int:
    """How many lines of Python ``function(*args)`` runs (``sys.settrace``): its work, without a clock."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        function(*args)
    finally:
        sys.settrace(previous)
    return count


def test_the_work_counter_sees_a_quadratic_loop():
    def quadratic(n):
        for i in range(n):
            for j in range(i):
                pass

    assert python_lines_run(quadratic, 200) > 50 * python_lines_run(quadratic, 20)


@pytest.mark.parametrize("shape", list(PARSE_SHAPES))
def test_parse_work_is_linear_in_the_digest_size(shape):
    make = PARSE_SHAPES[shape]
    small = python_lines_run(parse_bytes, make(10_000).encode(), "big.md")
    big = python_lines_run(parse_bytes, make(100_000).encode(), "big.md")
    assert big <= MAX_WORK_RATIO * small, f"{shape}: 10x the input took {big / small:.1f}x the Python work"


@pytest.mark.parametrize("shape", list(MARKDOWN_SHAPES))
def test_markdown_work_is_linear_in_the_input_size(shape):
    stage, make = MARKDOWN_SHAPES[shape]
    function = markdown_stage(stage)
    small = python_lines_run(function, make(2_000))
    big = python_lines_run(function, make(20_000))
    assert big <= MAX_WORK_RATIO * small, f"{stage}, {shape}: 10x the input took {big / small:.1f}x the Python work"


_BIG_RUN_SCRIPT = textwrap.dedent("""
    import sys
    from bench.linear import MARKDOWN_SHAPES, PARSE_SHAPES, markdown_stage
    from generator.parse import parse_bytes
    parse_size, markdown_size = int(sys.argv[1]), int(sys.argv[2])
    for make in PARSE_SHAPES.values():
        parse_bytes(make(parse_size).encode(), "big.md")
    for stage, make in MARKDOWN_SHAPES.values():
        markdown_stage(stage)(make(markdown_size))
""")


def test_parse_and_markdown_finish_on_big_pathological_inputs():
    """Every shape at a size where quadratic work would take hours: it finishes (no time is asserted).

    Before the patterns were made linear, 20,000 ``*a `` took plain_text 95 s and 200,000 ``[`` 218 s;
    here each Markdown shape is 300 kB (3 MB in `make fuzz`) and each digest 2 MB (10 MB).
    """
    sizes = ("10000000", "3000000") if FUZZ else ("2000000", "300000")
    try:
        done = subprocess.run(
            [sys.executable, "-c", _BIG_RUN_SCRIPT, *sizes], cwd=ROOT, capture_output=True, text=True, timeout=HANG_GUARD
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"parse and Markdown stages did not finish in {HANG_GUARD} s on inputs a linear stage reads in seconds")
    assert done.returncode == 0, done.stderr


# --------------------------------------------------------------------------
# Markdown: the plain-line shortcut of for_python_markdown
# --------------------------------------------------------------------------


@PROFILE
@given(LINE_TEXT)
@example("视频生成：基于扩散模型的方法")
@example("2026年的模型")
@example("a * b")
@example("1986. A year")
@example("=== title")
def test_a_plain_line_reads_the_same_with_or_without_the_shortcut(text):
    from generator.markdown import _convert, is_plain_line

    if is_plain_line(text):
        assert _convert(text) == text


# Items in the shapes a list takes in a digest, with the characters that change how it reads.
_ITEM_MARKER = st.sampled_from(["*", "-", "+", "1.", "2.", "10.", "1)", "123456789."])
_ITEM_SPACING = st.sampled_from([" ", "  ", "   ", "    ", "     ", "\t"])
_ITEM_TEXT = st.one_of(
    LINE_TEXT,
    st.lists(st.sampled_from(list("*-+_#>=~|`$\\<1.) 中\t\u3000") + ["**名称**：", "- x", "1. x", "* * *", "$$x$$", "`a`"])).map("".join),
)


@PROFILE
@given(st.lists(st.tuples(_ITEM_MARKER, _ITEM_SPACING, _ITEM_TEXT), min_size=1, max_size=4))
@example([("*", "   ", "**名称**：正文"), ("*", "   ", "**效果**：更好")])
@example([("1.", "  ", "a"), ("2.", "  ", "b"), ("10.", " ", "c")])
@example([("*", "   ", "a"), ("-", "   ", "b")])
@example([("*", "   ", "**")])
@example([("-", "   ", "- x")])
def test_a_plain_list_reads_the_same_with_or_without_the_shortcut(items):
    from generator.markdown import _convert, is_plain_list

    body = "\n".join(marker + spacing + text for marker, spacing, text in items)
    if is_plain_list(body):
        assert _convert(body) == body


# Nested list items: each a level at most one deeper than the one before,
# mostly with one marker a level and plain text, sometimes with what changes
# how a list reads.
_MARKERS = st.sampled_from(["*", "-", "1.", "2.", "10.", "1)"])
_NESTED_ITEMS = st.tuples(
    st.lists(st.sampled_from(["*", "-", "1."]), min_size=4, max_size=4),
    st.lists(
        st.tuples(
            st.integers(-2, 1),
            st.one_of(st.none(), st.none(), st.none(), _MARKERS),  # None: the level's marker
            st.one_of(*[st.sampled_from(["**名称**：正文", "a", "x * y", "#1", "`code`", "中文 text"])] * 3, _ITEM_TEXT),
        ),
        min_size=1,
        max_size=8,
    ),
).map(lambda drawn: _nested(*drawn))


def _nested(level_markers: list[str], steps: list) -> list[tuple[int, str, str]]:
    items, level = [], 0
    for step, marker, text in steps:
        level = max(0, min(level + step, items[-1][0] + 1 if items else 0, len(level_markers) - 1))
        items.append((level, marker or level_markers[level], text))
    return items


@PROFILE
@given(_NESTED_ITEMS)
@example([(0, "*", "**输入数据**："), (1, "*", "**参考图像**：单张人物图像"), (0, "*", "**输出数据**：视频流")])
@example([(0, "*", "**评估流程**：步骤"), (1, "1.", "**输入准备**：构建"), (1, "2.", "**模型推理**：推理"), (0, "*", "完")])
@example([(0, "*", "a"), (1, "2.", "b")])
@example([(0, "*", "a"), (1, "*", "b"), (0, "*", "c"), (1, "-", "d")])
@example([(0, "*", "a"), (2, "*", "b")])
def test_a_list_written_as_the_shortcut_expects_reads_the_same(items):
    """Items four spaces a level, each marker followed by spaces to the fourth column."""
    from generator.markdown import _convert, is_plain_list

    body = "\n".join("    " * level + marker + " " * max(1, 4 - len(marker)) + text for level, marker, text in items)
    if is_plain_list(body):
        assert _convert(body) == body


@PROFILE
@given(ANY_TEXT)
def test_any_text_the_list_shortcut_takes_reads_the_same(text):
    from generator.markdown import _convert, is_plain_list

    if is_plain_list(text):
        assert _convert(text) == text


@PROFILE
@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,12}", fullmatch=True))
@example("A")
@example("7")
@example("ab")
@example("aB")
@example("a-b")
@example("A100")
def test_name_like_terms_are_those_with_a_later_capital_a_digit_or_a_hyphen(term):
    from generator.tokens import _NAME_LIKE

    rest = term[1:]
    expected = len(term) > 1 and (any(c.isupper() for c in rest) or any(c.isdigit() for c in term) or "-" in term)
    assert bool(_NAME_LIKE.match(term)) == expected



@PROFILE
@given(
    st.one_of(
        ANY_TEXT,
        st.lists(st.sampled_from(list("ab1-_. 中文，ＡＢ１（）\u3000\u00b2ﬁ①\u0301\t\n…．－") + ["GRPO", "视频", "DINOv2"])).map("".join),
        st.lists(st.sampled_from(list("ab1-_. 中文\u0301…．") + list(TERM_NEUTRAL) + ["GRPO", "A100"])).map("".join),
    )
)
@example("ＧＲＰＯ算法和DINOv2模型")
@example("x中\u0301y")
@example("GRPO，DINOv2（A100）。")
@example("GRPO…x")
def test_latin_terms_read_the_same_without_the_han_text(text):
    import unicodedata

    from generator.tokens import _LATIN_TERM, _latin_view

    assert _LATIN_TERM.findall(_latin_view(text)) == _LATIN_TERM.findall(unicodedata.normalize("NFKC", text))


def test_term_neutral_punctuation_ends_a_term_as_a_space_does_under_nfkc():
    """Each ``TERM_NEUTRAL`` character: no term character in its NFKC form, and no change to its neighbours."""
    import string

    from generator.tokens import _LATIN_TERM

    term_characters = set(string.ascii_letters + string.digits + "._-")
    for char in TERM_NEUTRAL:
        normal = unicodedata.normalize("NFKC", char)
        assert not term_characters & set(normal), char
        assert unicodedata.combining(char) == 0, char
        for other in string.printable:
            assert unicodedata.normalize("NFKC", other + char) == other + normal, (other, char)
            assert unicodedata.normalize("NFKC", char + other) == normal + other, (char, other)
        assert _LATIN_TERM.findall(f"a{char}b") == ["a", "b"]


@PROFILE
@given(st.one_of(ANY_TEXT, st.lists(st.sampled_from(list("aZ09-_. 中，") + ["12ab", "3D", "v2", "x-1", "A100", "..", "--"])).map("".join)))
@example("123 abc 12ab 3D-v2 a..b x-")
def test_latin_terms_are_the_letter_first_or_digits_then_letter_words(text):
    """The term pattern finds what the plain two-branch pattern finds."""
    from generator.tokens import _LATIN_TERM

    two_branches = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*|[0-9]+[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*")
    assert _LATIN_TERM.findall(text) == two_branches.findall(text)


@PROFILE
@given(st.one_of(ANY_TEXT, st.lists(st.sampled_from(list("aZ09-_. 中，Ｇ") + ["GRPO", "DINOv2", "MIMIC-IV", "A100", "the", "x.y-z", "-ab-"])).map("".join)))
def test_name_like_terms_are_the_latin_terms_of_the_name_like_matches(text):
    """Each match read on its own: what reading the matches joined by spaces gives."""
    from generator.tokens import _LATIN_TERM, _NAME_LIKE, _latin_view, latin_terms, name_like_terms

    assert name_like_terms(text) == latin_terms(" ".join(filter(_NAME_LIKE.match, _LATIN_TERM.findall(_latin_view(text)))))


# --------------------------------------------------------------------------
# Shortcuts in parsing and analysis: the same results as the plain versions
# (tests/reference/plain.py)
# --------------------------------------------------------------------------

# Pieces of digest lines: indentation, markers, fences, separators, headings, Han and Latin text.
LINE_PIECES = [" ", "   ", "\t", "\u3000", "=", "===", "```", "~~~", "#", "## ", "- ", "* ", "+ ", "1. ", "2) ", "**",
               "：", ":", "_", "a", "x y", "中文", "应用领域", "一、", "十二.", "２.", ">", "$$"]
DIGEST_LINE = st.one_of(LINE_TEXT, st.lists(st.sampled_from(LINE_PIECES), max_size=8).map("".join))


@PROFILE
@given(DIGEST_LINE)
@example("   *   **输入**：图像")
@example("\u3000**应用领域**：视觉")
@example("２. **主要创新点**")
@example("- **使用指南**：")
@example(" \t```")
def test_a_line_the_structure_scan_passes_over_is_no_fence_separator_or_heading(line):
    from generator.parse import _FENCE, _MAYBE_STRUCTURE, _SEPARATOR, _heading_on

    if not _MAYBE_STRUCTURE.match(line):
        assert not _FENCE.match(line) and not _SEPARATOR.match(line) and _heading_on(line) is None


@PROFILE
@given(st.lists(DIGEST_LINE, max_size=12), st.integers(0, 6), st.sampled_from(["", "x", "**a**", "中文"]))
@example(["   计算机视觉。", "", "   *   **输入**：图像", "    ```", "x", "    ```"], 3, "")
@example(["\t- a", "  b", "===", "~~~", "   c"], 2, "x")
def test_dedent_reads_the_same_as_the_plain_version(body_lines, column, first):
    from generator.parse import _dedent
    from reference.plain import dedent

    assert _dedent(body_lines, column, first) == dedent(body_lines, column, first)


@PROFILE
@given(st.one_of(ANY_TEXT, st.lists(st.sampled_from(["计算机视觉", " - ", "-", "–", "—", "、", "，", ",", "；", "/", "|", "。", "（", "）", "(", ")",
                                                     "【", "】", "[", "]", " ", "\n", "* ", "1. ", "**", "a", "视频生成"])).map("".join)))
@example("计算机视觉 - 交互式类人视频生成（Interactive Humanoid Video Generation）、AIGC、多模态实时交互系统。")
def test_split_phrases_reads_the_same_as_the_plain_version(field_text):
    from generator.taxonomy import split_phrases
    from reference.plain import split_phrases as plain_split_phrases

    assert split_phrases(field_text) == plain_split_phrases(field_text)


@PROFILE
@given(st.one_of(ANY_TEXT, st.lists(st.sampled_from(list("aZ09-_. 中，") + ["GRPO", "MIMIC-IV", "the", "x.y-z", "a-the", "The-Of", "3D-v2"])).map("".join)))
def test_latin_terms_are_the_plain_normalised_matches(text):
    from generator.tokens import _LATIN_TERM, _latin_view, latin_terms
    from reference.plain import normalised_terms

    assert latin_terms(text) == normalised_terms(_LATIN_TERM.findall(_latin_view(text)))


@PROFILE
@given(st.one_of(ANY_TEXT, st.lists(st.sampled_from(list("aZ09-_.^+ 中，") + ["M^4olGen.", "VQ-Seg)", "C++", "x-", "a_"])).map("".join)))
def test_name_tokens_are_the_plain_stripped_tokens(text):
    from generator.tokens import name_tokens
    from reference.plain import name_tokens as plain_name_tokens

    assert name_tokens(text) == plain_name_tokens(text)


@functools.cache
def _project_taxonomy():
    from conftest import TAXONOMY
    from generator.taxonomy import load_taxonomy

    return load_taxonomy(TAXONOMY)[0]


@PROFILE
@given(st.lists(st.sampled_from(["rl", "RL", "url", "rlhf", "3d", "视频生成", "三维重建", "vlm", "-", " ", "a", "中", "(", "C++", ".net", "Ｒ"])).map("".join))
@example("URL 与 RL")
def test_the_taxonomy_matcher_finds_what_looking_everywhere_finds(text):
    from reference.plain import positions_everywhere

    taxonomy = _project_taxonomy()
    for terms, matcher in ((taxonomy.tags, taxonomy._tag_matcher), (taxonomy.fields, taxonomy._field_matcher)):
        assert matcher.positions(text) == positions_everywhere(terms, text)


# --------------------------------------------------------------------------
# Markdown: no raw HTML from a digest reaches the page
# --------------------------------------------------------------------------

# Each payload marks what it would leave in the page: an attribute value or a name with "evil".
RAW_HTML = [
    '<div class="arithmatex share-button" id="evil">', '<details open title="evil">',
    '<a href="https://evil.example/phish" title="evil">官方下载</a>', "<b title=evil>x</b>",
    '<script title="evil">alert(1)</script>', '<img title="evil" src=x>', "<!-- evil -->", "<evil>",
    '</div><div title="evil">', '<style title="evil">', "<evil/>", '<p title="evil">',
]
FENCE_LINES = ["```", "````", "~~~", "~~~~", "```python", "``` python", "~~~ {.x}", '```python title="x"', "```x = 1",
               "```a`b", "```py hl_lines=\"1\"", "``` {.x #y}"]
_HTML_TEXT = st.lists(
    st.one_of(st.sampled_from(RAW_HTML), st.sampled_from(["`", "``", "```", "`x`", "$", "$$", "$a<b$", "\\", "文本", "a", " ", "X", "<", "**"])),
    max_size=5,
).map("".join)
_HTML_LINE = st.builds(
    lambda indent, marker, text: indent + marker + text,
    st.sampled_from(["", "", " ", "  ", "   ", "    ", "     ", "      ", "        ", "> ", ">", "\t"]),
    st.sampled_from(["", "", "", "- ", "* ", "1. ", "2) ", "-   ", "> "]),
    st.one_of(st.sampled_from(FENCE_LINES), _HTML_TEXT, st.sampled_from(RAW_HTML)),
)
HTML_BODIES = st.lists(st.one_of(_HTML_LINE, st.just("")), min_size=1, max_size=12).map("\n".join)


HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def raw_html_in(page_html: str) -> list[str]:
    """The elements and comments of ``page_html`` that came from a payload.

    A heading's ``id`` is the toc extension's slug of the heading's (escaped) text, so a payload
    written as a heading's text (``> <div id="evil">`` over ``> -`` is a setext heading) shows in
    it: such an id counts only when it is not that slug (with the ``_1``... that makes it unique).
    """
    from html.parser import HTMLParser

    from markdown.extensions.toc import slugify

    found: list[str] = []

    class Finder(HTMLParser):
        heading: list | None = None  # [start tag text, id, text so far] of the open heading

        def handle_starttag(self, tag, attrs):
            values = dict(attrs)
            if tag in HEADINGS and "evil" in (values.get("id") or ""):
                self.heading = [self.get_starttag_text(), values.pop("id"), ""]
            if "evil" in tag or tag in ("script", "style", "img") or any("evil" in (v or "") for v in values.values()):
                found.append(self.get_starttag_text())

        handle_startendtag = handle_starttag

        def handle_data(self, data):
            if self.heading is not None:
                self.heading[2] += data

        def handle_endtag(self, tag):
            if tag in HEADINGS and self.heading is not None:
                start, heading_id, text = self.heading
                if not re.fullmatch(re.escape(slugify(text, "-")) + r"(_\d+)?", heading_id):
                    found.append(start)
                self.heading = None

        def handle_comment(self, data):
            if "evil" in data:
                found.append(f"<!--{data}-->")

    finder = Finder(convert_charrefs=True)
    finder.feed(page_html)
    finder.close()
    return found


@functools.cache
def _site_markdown():
    import markdown
    from test_markdown import EXTENSION_CONFIGS, EXTENSIONS

    return markdown.Markdown(extensions=["toc", *EXTENSIONS], extension_configs=EXTENSION_CONFIGS)


@PROFILE
@given(HTML_BODIES, HTML_BODIES)
@example("    ```\n<div class=\"arithmatex share-button\" id=\"evil\">\n<details open>", "")
@example("- a\n  ```\n  x\n```\n<div title=\"evil\">\n```", "")
@example("```\nx", "```\n<div title=\"evil\">\n```")
@example("> ```\nx\n```\n<b title=evil>x</b>\n```", "")
@example("x `y\n`<b title=evil>` z", "``a`<b title=evil>`")
@example("$$x$$\n        ```py\n<p title=\"evil\">\n        ```", "")
@example("    ```x\n\n```\n<evil>\n```", "    ```\n")
@example("", "\n> <div class=\"arithmatex share-button\" id=\"evil\">\n> - ")
def test_no_raw_html_from_a_digest_reaches_the_page(first, second):
    """Two part bodies in a paper page as render.py lays them out, and an older version in a note.

    Python-Markdown configured as mkdocs.yml renders the page; no element or comment
    a body wrote may be in it (its text, ``&lt;div...``, may).
    """
    from generator.markdown import for_python_markdown, link_names
    from generator.render import _indent

    parts = [link_names(for_python_markdown(body), {"X": "../x/", "a": "../a/"}) for body in (first, second)]
    older = _indent(for_python_markdown(first), 4)
    page = (
        '# T\n\n<div class="paper-meta" markdown>\n\n**arXiv** `2601.00001`\n\n</div>\n\n'
        f"## 应用领域\n\n{parts[0]}\n\n## 使用指南\n\n{parts[1]}\n\n## 相关论文\n\n- [x](../x/) · 2026-01-18\n\n"
        f'## 往期摘要\n\n??? note "2026-01-17 的摘要"\n\n    **应用领域**\n\n{older}\n\n---\n'
    )
    rendered = _site_markdown().reset().convert(page)
    assert raw_html_in(rendered) == [], page


# --------------------------------------------------------------------------
# Markdown: the linear scanners read ordinary text as the patterns they replace
# (tests/reference/markdown.py)
# --------------------------------------------------------------------------

_MARKDOWN_PIECES = st.lists(
    st.sampled_from(list("*_[]()!<>`$\\\n -1.)a中\t\u3000") + ["**", "__", "[a](b)", "![x](y)", "<b>", "http://x", "`c`", "$x$", "$$y$$", "1. ", "- "]),
    max_size=30,
).map("".join)


@PROFILE
@given(st.one_of(_MARKDOWN_PIECES, ANY_TEXT))
@example("***a*** **b** _c_ *d * e")
@example("[a [b](c)\n- ![x](y) <b>z</b>")
@example("- \n  - a")
def test_plain_text_reads_as_the_patterns_did(text):
    from generator.markdown import plain_text
    from reference.markdown import plain_text as pattern_plain_text

    assert plain_text(text) == pattern_plain_text(text)


def _clean_backticks(line: str) -> bool:
    from generator.markdown import code_spans

    return "\\" not in line and code_spans(line)[1]


@PROFILE
@given(st.one_of(_MARKDOWN_PIECES, LINE_TEXT).map(lambda text: text.replace("\n", " ")))
@example("a `b` [c](d) $e$ $$f$$ <g> http://h i")
@example("$$ $a$ ![x] [y](z")
def test_protected_regions_are_those_of_the_pattern_where_backticks_pair(line):
    """Where every backtick run pairs (the pattern paired an unpaired run with a shorter one), the same regions."""
    from generator.markdown import _protected_spans, code_spans
    from reference.markdown import code_spans as pattern_code_spans
    from reference.markdown import protected_spans

    if _clean_backticks(line):
        assert code_spans(line)[0] == pattern_code_spans(line)
        assert _protected_spans(line) == protected_spans(line)
