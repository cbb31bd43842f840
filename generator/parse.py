"""Digest text to a ``Digest`` plus diagnostics.

The parser owns the knowledge of the digest format (see ``digest-format.md``):
the header, paper blocks, metadata lines, the many shapes of part headings and
how part bodies are de-indented out of their list item. It never raises on bad
input and never stops at the first problem: every problem becomes a
``Diagnostic`` naming the file and line, and every line of a paper ends up
somewhere in the model.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from .model import ERROR, PART_KEYS, WARNING, Diagnostic, Digest, Paper, Part
from .neutralise import neutralise

# The dates a digest may carry: arXiv has no paper before 1991, and a digest
# is written on its day (a week of slack for time zones and early runs).
# Outside them a date is a typo or hostile (year 9999 overflows date sums).
EARLIEST_DATE = _dt.date(1991, 1, 1)
FUTURE_DAYS = 7
# Characters XML 1.0 forbids (feed.xml could not be parsed) and C1 controls
# and DEL, which it discourages and terminals act on. Tab and newline stay;
# carriage returns are line endings (``split_lines``).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_SPACE_LIKE = {"\x0b": " ", "\x0c": " "}
MAX_CONTROL_DIAGNOSTICS = 3
# Bidi controls: an unterminated U+202E in a title reverses the text after it in a listing.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# A source URL the pages may print: absolute http(s), nothing that ends an attribute or a Markdown link.
_SOURCE_URL = re.compile(r"^https?://[^\s\"'<>\\`\x00-\x1f\x7f-\x9f\ufffd\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]+$", re.I)

# Heading names as models write them, mapped to part keys. Compared after
# removing spaces, so "一句话 核心贡献" matches as well.
PART_ALIASES = {
    "field": ("应用领域", "研究领域", "领域", "应用方向"),
    "contribution": ("一句话核心贡献", "核心贡献", "一句话总结", "一句话概括", "一句话贡献"),
    "usage": ("使用指南", "使用方法", "使用说明", "如何使用"),
    "innovations": ("主要创新点", "创新点", "核心创新点", "主要创新", "技术创新点"),
    "results": ("实验效果", "实验结果", "主要结果", "实验与效果", "效果"),
}
_ALIAS_TO_KEY = {alias: key for key, aliases in PART_ALIASES.items() for alias in aliases}

# ASCII digits only: "\d" also matches "２６０１.０００１２", which would name a second page for a paper.
ARXIV_ID = re.compile(r"^([0-9]{4}\.[0-9]{4,5})(v[0-9]+)?\Z")
# Linear time on any line: a digest may hold a 10 MB line of spaces. Runs of
# whitespace or stars are matched possessively (`*+`, never given back to a
# neighbour that could take them too), and trailing text is trimmed with string
# methods after the match instead of by a lazy group before `\s*$`, which
# backtracks quadratically. The values are the ones the plain patterns gave.
# `**Date**: 2026-01-18`; the value (group 1, everything after the colon) goes through `_header_value`.
_DATE_LINE = re.compile(r"^\s*+(?:[-*]\s*+)?\**+\s*+(?:date|日期)\s*+\**+\s*+[:：](.*)$", re.I)
_SOURCE_LINE = re.compile(r"^\s*+(?:[-*]\s*+)?\**+\s*+(?:source\s*+url|来源)\s*+\**+\s*+[:：](.*)$", re.I)
# The title is group 1, stripped.
_PAPER_START = re.compile(r"^##\s*+📄(.*)$")
_SEPARATOR = re.compile(r"^\s*+={3,}+\s*+$")
# `- **链接**: url`, also with the colon inside the bold (`**链接：**`) or no bold at all; group 2 stripped.
_META_LINE = re.compile(
    r"^\s*+(?:[-*+]\s++)?(?:\*\*)?\s*+(链接|阅读来源|link|source)\s*+(?:\*\*)?\s*+[:：]\s*+(?:\*\*(?=\s))?(.*)$", re.I
)
_MARKDOWN_LINK = re.compile(r"^\[[^\]]*+\]\(\s*+<?([^\s()<>]++)>?\s*+\)$")
# An ATX heading; the text is group 2 without trailing spaces, tabs and `#` (see `_atx`).
_ATX = re.compile(r"^(#{1,6})[ \t]++(.*)$")
_NUMBERED = re.compile(r"^(\*\*)?\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*[.．、)）](?!\d)[ \t]*(.*)$")
_CHINESE_DIGITS = {char: value for value, char in enumerate("一二三四五六七八九十", start=1)}
_LIST_MARKER = re.compile(r"^( {0,3})(\d{1,9}[.)]|[-*+])( {1,4}|$)")
# A line that starts a block, so it cannot be a lazy continuation of a paragraph.
_BLOCK_START = re.compile(r"^(?:[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|#{1,6}(?:[ \t]|$)|`{3,}|~{3,}|>|(?:[-*_][ \t]*){3,}$)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_COLONS = "：:"
_BULLET_HEADING = re.compile(r"^([-*+] +)(\*\*.*)$")
# What a fence, a separator or a part heading starts with (``_heading_on``
# returns None for any other line): most lines of a paper are passed over in C.
_MAYBE_STRUCTURE = re.compile(r"\s*(?:[#\d一二三四五六七八九十=`~]|\*\*)|[-*+] +\*\*")


def _atx(line: str) -> tuple[int, str] | None:
    """Level and text of an ATX heading line (`### 标题 ##` -> (3, "标题"))."""
    match = _ATX.match(line)
    if match is None:
        return None
    return len(match.group(1)), match.group(2).rstrip(" \t#")


def _header_value(rest: str) -> str | None:
    """The one word after a header label's colon, without bold markers (`** 2026-01-18**`).

    What ``\\s*\\**\\s*(\\S+?)\\**\\s*$`` matched, without its quadratic backtracking.
    """
    text = rest.strip()
    value = text.lstrip("*").lstrip().rstrip("*")
    if not value:
        # Only stars: the pattern left one of them as the value.
        return "*" if text else None
    if any(char.isspace() for char in value):
        return None
    return value


class _Heading(NamedTuple):
    """A part heading found on one line, with what follows it on that line."""

    name: str
    number: int | None
    atx_level: int  # 0 for a list-item heading
    rest: str  # content after the colon on the same line
    content_column: int  # where the item's content starts (list headings)


def parse_file(
    path: Path, display_path: str | None = None, today: _dt.date | None = None
) -> tuple[Digest | None, list[Diagnostic]]:
    """Read and parse one digest file."""
    shown = display_path or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(shown, 1, ERROR, f"cannot read file: {exc.strerror or exc}")]
    return parse_bytes(raw, shown, today)


def parse_bytes(raw: bytes, path: str, today: _dt.date | None = None) -> tuple[Digest | None, list[Diagnostic]]:
    if b"\x00" in raw:
        line = _line_of_offset(raw, raw.index(b"\x00"))
        return None, [Diagnostic(path, line, ERROR, "binary file (NUL byte): a digest must be UTF-8 text")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of_offset(raw, exc.start)
        return None, [
            Diagnostic(path, line, ERROR, f"not UTF-8 text (invalid byte 0x{raw[exc.start]:02x}); save the file as UTF-8")
        ]
    return parse_text(text, path, today)


def _line_of_offset(raw: bytes, offset: int) -> int:
    """The 1-based line holding byte ``offset``, with CRLF, CR or LF line endings."""
    return len(re.split(rb"\r\n|\r|\n", raw[:offset]))


def split_lines(text: str) -> list[str]:
    """Lines without their endings; a BOM and CRLF or CR endings are accepted silently."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _replace_forbidden(lines: list[str], path: str, diagnostics: list[Diagnostic]) -> None:
    """Characters XML forbids (and C1 controls) replaced in place: U+FFFD, or a space for VT and FF.

    One character for one, so columns and lines stay; a few diagnostics per file at most.
    """
    reported = 0
    for index, line in enumerate(lines):
        match = _FORBIDDEN.search(line)
        if match is None:
            continue
        if reported < MAX_CONTROL_DIAGNOSTICS:
            found = sorted({f"U+{ord(char):04X}" for char in _FORBIDDEN.findall(line)})
            message = f"control character{'s' if len(found) > 1 else ''} {', '.join(found)} replaced (not allowed in XML)"
            if reported == MAX_CONTROL_DIAGNOSTICS - 1:
                more = sum(1 for later in lines[index + 1 :] if _FORBIDDEN.search(later))
                if more:
                    message += f"; {more} more line{'s' if more > 1 else ''} with such characters not reported"
            diagnostics.append(Diagnostic(path, index + 1, WARNING, message))
            reported += 1
        lines[index] = _FORBIDDEN.sub(lambda m: _SPACE_LIKE.get(m.group(), "\ufffd"), line)


def parse_text(text: str, path: str, today: _dt.date | None = None) -> tuple[Digest | None, list[Diagnostic]]:
    lines = split_lines(text)
    diagnostics: list[Diagnostic] = []
    if _FORBIDDEN.search(text):
        _replace_forbidden(lines, path, diagnostics)
    # The lines that may be a fence, a separator or a heading (paper starts included), found once.
    structure = [i for i, line in enumerate(lines) if _MAYBE_STRUCTURE.match(line)]
    starts = [i for i in structure if _PAPER_START.match(lines[i])]
    header_end = starts[0] if starts else len(lines)

    date, date_line, source_url = _parse_header(lines[:header_end], path, diagnostics, today or _dt.date.today())
    if not starts:
        diagnostics.append(
            Diagnostic(path, 1, ERROR, "no papers found: each paper must start with a line '## 📄 <title>'")
        )

    papers: list[Paper] = []
    seen: dict[str, int] = {}
    unreadable = 0
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        paper = _parse_paper(lines, structure, start, end, path, diagnostics)
        if paper is None:
            unreadable += 1
            continue
        if paper.arxiv_id in seen:
            diagnostics.append(
                Diagnostic(
                    path,
                    paper.line,
                    ERROR,
                    f"paper {paper.arxiv_id} appears twice in this digest (first at line {seen[paper.arxiv_id]}); "
                    "the second copy is skipped",
                )
            )
            unreadable += 1
            continue
        seen[paper.arxiv_id] = paper.line
        papers.append(paper)

    if date is None:
        return None, diagnostics
    digest = Digest(
        path=path, date=date, source_url=source_url, papers=tuple(papers), date_line=date_line, unreadable=unreadable
    )
    return digest, diagnostics


def _parse_header(
    header: list[str], path: str, diagnostics: list[Diagnostic], today: _dt.date
) -> tuple[str | None, int, str]:
    date: str | None = None
    date_line = 1
    source_url = ""
    for number, line in enumerate(header, start=1):
        if date is None and (match := _DATE_LINE.match(line)) and (value := _header_value(match.group(1))):
            try:
                if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                    raise ValueError(value)
                day = _dt.date.fromisoformat(value)
            except ValueError:
                diagnostics.append(Diagnostic(path, number, ERROR, f"date {value!r} is not a YYYY-MM-DD date"))
                return None, number, source_url
            latest = today + _dt.timedelta(days=FUTURE_DAYS)
            if not EARLIEST_DATE <= day <= latest:
                diagnostics.append(
                    Diagnostic(
                        path, number, ERROR,
                        f"date {value} is outside {EARLIEST_DATE.isoformat()} .. {latest.isoformat()} "
                        f"(no arXiv paper is older; at most {FUTURE_DAYS} days ahead of today); digest skipped",
                    )
                )
                return None, number, source_url
            date = day.isoformat()
            date_line = number
        elif not source_url and (match := _SOURCE_LINE.match(line)) and match.group(1).strip():
            value = match.group(1).strip().lstrip("*").strip().rstrip("*").strip()
            if _valid_source_url(value):
                source_url = value
            else:
                diagnostics.append(
                    Diagnostic(
                        path, number, WARNING,
                        f"source URL {_cut(value)!r} is not an absolute http(s) URL without spaces, quotes, '<', '>', "
                        "backslashes or control characters; dropped",
                    )
                )
    if date is None:
        diagnostics.append(
            Diagnostic(path, 1, ERROR, "no date: the header needs a line '**Date**: YYYY-MM-DD' before the first paper")
        )
    return date, date_line, source_url


def _cut(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[:length] + "…"


def _valid_source_url(value: str) -> bool:
    if not _SOURCE_URL.match(value):
        return False
    try:
        return bool(urlsplit(value).hostname)
    except ValueError:
        return False


def _one_line(value: str, what: str, path: str, line: int, diagnostics: list[Diagnostic]) -> str:
    """A title, reading source or heading without bidi controls (they would reverse the text around it)."""
    if not _BIDI.search(value):
        return value
    found = sorted({f"U+{ord(char):04X}" for char in _BIDI.findall(value)})
    diagnostics.append(
        Diagnostic(path, line, WARNING, f"bidi control character{'s' if len(found) > 1 else ''} {', '.join(found)} removed from the {what}")
    )
    return _BIDI.sub("", value)


def arxiv_id_from_url(url: str) -> str | None:
    """The arXiv id that ends a paper link, or None when the link does not end in one."""
    match = _PAPER_URL.match(url)
    if not match:
        return None
    candidate = match.group(1).removesuffix(".pdf")
    id_match = ARXIV_ID.match(candidate)
    return id_match.group(1) if id_match else None


def _parse_paper(
    lines: list[str], structure: list[int], start: int, end: int, path: str, diagnostics: list[Diagnostic]
) -> Paper | None:
    line_no = start + 1
    title = _one_line(_PAPER_START.match(lines[start]).group(1).strip(), "title", path, line_no, diagnostics)
    if not title:
        diagnostics.append(Diagnostic(path, line_no, WARNING, "paper without a title"))
    url = ""
    url_line = 0
    reading_source = ""
    source_line = 0
    report_title = ""
    body_start = start + 1

    # Metadata lines and the optional report heading come before the first part.
    i = start + 1
    while i < end:
        line = lines[i]
        if not line.strip() or _SEPARATOR.match(line):
            i += 1
            continue
        meta = _META_LINE.match(line)
        if meta:
            key, value = meta.group(1).lower(), meta.group(2).strip()
            is_link = key in ("链接", "link")
            if (url if is_link else reading_source):
                # A second link or reading source never replaces the first: it stays in the text.
                what, first = ("link", url_line) if is_link else ("reading source", source_line)
                diagnostics.append(
                    Diagnostic(path, i + 1, WARNING, f"a second {what} line; the first (line {first}) is kept, this one stays in the text")
                )
                break
            if is_link:
                link = _MARKDOWN_LINK.match(value)
                url, url_line = (link.group(1) if link else value.strip("<>")), i + 1
            else:
                reading_source, source_line = _one_line(value, "reading source", path, i + 1, diagnostics), i + 1
            i += 1
            body_start = i
            continue
        atx = _atx(line)
        candidate = _heading_on(line)
        if atx and not (candidate and _known_key(candidate.name)):
            report_title = _one_line(atx[1].strip(), "report title", path, i + 1, diagnostics)
            i += 1
            body_start = i
        break

    if not url:
        diagnostics.append(
            Diagnostic(path, line_no, ERROR, f"paper {title!r} has no link line '- **链接**: https://huggingface.co/papers/<arXiv id>'; skipped")
        )
        return None
    arxiv_id = arxiv_id_from_url(url)
    if arxiv_id is None:
        diagnostics.append(
            Diagnostic(path, url_line, ERROR, f"link {url!r} does not end in a valid arXiv id (like 2601.10103); paper skipped")
        )
        return None

    parts, extra = _parse_parts(lines, structure, body_start, end, line_no, path, diagnostics)
    return Paper(
        arxiv_id=arxiv_id,
        title=title,
        url=url,
        reading_source=reading_source,
        report_title=report_title,
        line=line_no,
        parts=parts,
        extra=extra,
    )


_HEADING_OR_BREAK = re.compile(r"^(?:#{1,6}(?:\s|$)|(?:[-*_]\s*){3,}$)")
_WHITESPACE = re.compile(r"\s+")
_PAPER_URL = re.compile(r"^https?://(?:www\.)?(?:huggingface\.co/papers|arxiv\.org/(?:abs|pdf))/([^/?#\s]+?)/?(?:[?#].*)?$")
_NAME_NOISE = re.compile(r"[\s*_`]+")
# An English gloss after the name: 应用领域（Application Field）.
_NAME_GLOSS = re.compile(r"(?<=.)\([^()]*\)$")


def _normalise_name(name: str) -> str:
    name = unicodedata.normalize("NFKC", name)
    name = _NAME_NOISE.sub("", name).rstrip(_COLONS + "：")
    return _NAME_GLOSS.sub("", name)


def _split_name(remainder: str) -> tuple[str, str]:
    """Split ``**应用领域**：text`` or ``应用领域：text`` into name and rest."""
    remainder = remainder.strip()
    if remainder.startswith("**"):
        close = remainder.find("**", 2)
        if close != -1:
            name = remainder[2:close]
            rest = remainder[close + 2 :]
            name = name.strip().rstrip(_COLONS).strip()
            rest = rest.lstrip()
            if rest[:1] in _COLONS:
                rest = rest[1:]
            return name, rest.strip()
    for index, char in enumerate(remainder):
        if char in _COLONS:
            name, rest = remainder[:index], remainder[index + 1 :].strip()
            # `名称：**` closes bold opened inside the name; bold that opens the content stays.
            if name.count("**") % 2 and rest.startswith("**"):
                rest = rest[2:].strip()
            return name.replace("**", "").strip(), rest
    return remainder.replace("**", "").strip(), ""


def _heading_on(line: str) -> _Heading | None:
    """The heading candidate on a line, before deciding whether it is a part heading."""
    expanded = line.expandtabs(4)
    indent = len(expanded) - len(expanded.lstrip(" "))
    if indent > 3:
        return None
    stripped = line.strip()
    atx_level = 0
    atx = _atx(stripped)
    if atx:
        atx_level, stripped = atx
    numbered = _NUMBERED.match(stripped)
    content_column = 0
    if numbered:
        leading_bold, number, remainder = numbered.groups()
        if leading_bold:
            remainder = "**" + remainder
        marker = _LIST_MARKER.match(expanded)
        if not atx_level and marker:
            content_column = indent + len(marker.group(2)) + max(1, len(marker.group(3)))
        name, rest = _split_name(remainder)
        value = int(number) if number.isdigit() else _chinese_number(number)
        return _Heading(name, value, atx_level, rest, content_column)
    if atx_level or stripped.startswith("**"):
        name, rest = _split_name(stripped)
        return _Heading(name, None, atx_level, rest, 0)
    bullet = _BULLET_HEADING.match(expanded)
    if bullet and indent == 0:
        # "- **应用领域**：..." counts only for the known part names (checked by the caller).
        name, rest = _split_name(bullet.group(2))
        if _known_key(name):
            return _Heading(name, None, 0, rest, len(bullet.group(1)))
    return None


def _chinese_number(text: str) -> int:
    """一 .. 九十九 as an int (十 = 10, 十二 = 12, 二十 = 20)."""
    if "十" not in text:
        return _CHINESE_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[ones] if ones else 0)


def _known_key(name: str) -> str | None:
    if len(name) > _REMEMBERED_NAME_LENGTH:
        return _ALIAS_TO_KEY.get(_normalise_name(name))
    return _remembered_key(name)


# Digests repeat their few heading names in every paper: short names are
# looked up once (a long line that looks like a heading is not kept).
_REMEMBERED_NAME_LENGTH = 200


@lru_cache(maxsize=4096)
def _remembered_key(name: str) -> str | None:
    return _ALIAS_TO_KEY.get(_normalise_name(name))


def _parse_parts(
    lines: list[str], structure: list[int], start: int, end: int, paper_line: int, path: str, diagnostics: list[Diagnostic]
) -> tuple[tuple[Part, ...], tuple[Part, ...]]:
    """``structure``: the indexes of the digest's lines that ``_MAYBE_STRUCTURE`` matches, in order."""
    candidates: list[tuple[int, _Heading]] = []
    in_fence = False
    for i in structure[bisect_left(structure, start) : bisect_left(structure, end)]:
        line = lines[i]
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or _SEPARATOR.match(line):
            continue
        heading = _heading_on(line)
        if heading is not None and heading.name:
            candidates.append((i, heading))
    # When the parts are numbered, an unnumbered line that happens to be a part
    # name ("**效果**：...", "#### 主要结果") is body text, not a heading.
    numbered = any(h.number is not None and _known_key(h.name) for _, h in candidates)

    # Each found heading: (line index, heading, known key or "").
    found: list[tuple[int, _Heading, str]] = []
    last: _Heading | None = None
    for i, heading in candidates:
        if numbered and heading.number is None:
            continue
        # Lines indented to the content of a list-item heading belong to that item.
        if last is not None and last.content_column and _indent(lines[i]) >= last.content_column:
            continue
        key = _known_key(heading.name)
        if key is None and not _is_extra_heading(heading, last):
            continue
        found.append((i, heading, key or ""))
        last = heading
    # An unknown numbered line followed by a known part with the same or a lower
    # number is a step of a sub-list written at column 0, not an extra part.
    # later_known[p]: the lowest number of the known, numbered headings from p on
    # (one pass from the end, so a paper of many headings stays linear).
    later_known = [float("inf")] * (len(found) + 1)
    for position in range(len(found) - 1, -1, -1):
        _, heading, key = found[position]
        own = heading.number if key and heading.number is not None else float("inf")
        later_known[position] = min(own, later_known[position + 1])
    found = [
        entry for position, entry in enumerate(found) if entry[2] or not later_known[position + 1] <= entry[1].number
    ]

    known: dict[str, Part] = {}
    extra: list[Part] = []
    first_heading = found[0][0] if found else end
    numbers: list[int] = []
    preamble = _body_lines(lines, start, first_heading, numbers)
    if preamble:
        first_line = next(i for i in range(start, first_heading) if lines[i].strip()) + 1
        diagnostics.append(
            Diagnostic(path, first_line, WARNING, "text before the first part is kept as an extra part '正文'")
        )
        preamble = _neutralised(preamble, numbers, "正文", path, diagnostics)
        extra.append(Part(heading="正文", body=preamble, line=first_line))

    highest_order = -1
    for position, (index, heading, key) in enumerate(found):
        next_index = found[position + 1][0] if position + 1 < len(found) else end
        body_lines = lines[index + 1 : next_index]
        numbers = []
        body = _dedent(body_lines, heading.content_column, heading.rest, numbers, index + 1)
        line_no = index + 1
        clean_name = _one_line(_normalise_display(heading.name), "part heading", path, line_no, diagnostics)
        body = _neutralised(body, numbers, clean_name, path, diagnostics)
        if key and key in known:
            diagnostics.append(
                Diagnostic(path, line_no, WARNING, f"part '{clean_name}' appears again; the second one is kept as an extra part")
            )
            extra.append(Part(heading=clean_name, body=body, line=line_no))
            continue
        if key:
            order = PART_KEYS.index(key)
            if order < highest_order:
                diagnostics.append(
                    Diagnostic(path, line_no, WARNING, f"part '{clean_name}' is out of order (expected order: 应用领域, 一句话核心贡献, 使用指南, 主要创新点, 实验效果)")
                )
            highest_order = max(highest_order, order)
            known[key] = Part(heading=clean_name, body=body, line=line_no, key=key)
        else:
            diagnostics.append(
                Diagnostic(path, line_no, WARNING, f"extra part '{clean_name}' is not one of the five known parts; kept after them")
            )
            extra.append(Part(heading=clean_name, body=body, line=line_no))

    for key in PART_KEYS:
        if key not in known:
            diagnostics.append(Diagnostic(path, paper_line, WARNING, f"missing part '{PART_ALIASES[key][0]}'"))
    parts = tuple(known[key] for key in PART_KEYS if key in known)
    ordered = tuple(sorted(parts, key=lambda part: part.line))
    return ordered, tuple(extra)


def _normalise_display(name: str) -> str:
    return _WHITESPACE.sub(" ", name.replace("**", "")).strip().rstrip(_COLONS).strip()


def _is_extra_heading(heading: _Heading, last: _Heading | None) -> bool:
    """An unknown heading counts as a part only when it continues the paper's heading sequence."""
    if last is None or heading.number is None or last.number is None:
        return False
    if heading.number != last.number + 1:
        return False
    if len(_normalise_name(heading.name)) > 24:
        return False
    if heading.atx_level or last.atx_level:
        return heading.atx_level == last.atx_level
    return 0 < heading.content_column <= 5


def _body_lines(lines: list[str], start: int, end: int, numbers: list[int] | None = None) -> str:
    return _dedent(lines[start:end], 0, "", numbers, start)


def _neutralised(body: str, numbers: list[int], heading: str, path: str, diagnostics: list[Diagnostic]) -> str:
    """``body`` without links MkDocs would check or nesting it cannot parse (``neutralise``), with a warning per change."""
    body, changes = neutralise(body)
    for index, message in changes:
        line = numbers[index] if index < len(numbers) else (numbers[-1] if numbers else 0)
        diagnostics.append(Diagnostic(path, line, WARNING, f"in part '{heading}': {message}"))
    return body


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _expand_indent(line: str) -> str:
    """Tabs in the indentation to spaces (tab stops of 4, as CommonMark); tabs in the text stay."""
    text = line.lstrip(" \t")
    return line[: len(line) - len(text)].expandtabs(4) + text


def _dedent(
    body_lines: list[str], column: int, first: str = "", numbers: list[int] | None = None, first_number: int = 0
) -> str:
    """Remove up to ``column`` leading spaces: the list item's own indentation.

    ``first`` is the content on the heading line after the colon, stripped. Lines
    indented less than the item's content column are lazy continuations of a
    paragraph (kept in the item) or end the item; once the item has ended,
    the lines after it are already at the top level and keep their
    indentation, so lists nested under them stay nested as CommonMark reads
    them.

    ``numbers``, when given, receives the source line of each line of the
    result: ``first_number`` for ``first``, ``first_number + 1 + i`` for
    ``body_lines[i]``.
    """
    out = [first] if first else []
    source = [first_number] if first else []
    inside = column > 0
    paragraph = column > 0  # the heading line is the item's open paragraph
    in_fence = False
    for number, raw in enumerate(body_lines, start=first_number + 1):
        if "===" in raw and _SEPARATOR.match(raw):
            continue
        source.append(number)
        line = (_expand_indent(raw) if "\t" in raw else raw).rstrip()
        if not line:
            out.append("")
            paragraph = False
            continue
        leading = len(line) - len(line.lstrip(" "))
        text = line[leading:]
        if inside and leading < column:
            lazy = paragraph and not in_fence and not _BLOCK_START.match(text)
            inside = lazy
        if inside:
            line = line[min(leading, column) :]
        out.append(line)
        # The patterns need three backticks or tildes, or one of ``#-*_`` first.
        if ("```" in text or "~~~" in text) and _FENCE.match(text):
            in_fence = not in_fence
            paragraph = False
        else:
            paragraph = not in_fence and not (text[0] in "#-*_" and _HEADING_OR_BREAK.match(text))
    # Every line of ``out`` is empty or ends in a non-space (lines are right-stripped, ``first`` is stripped).
    first_text = next((index for index, line in enumerate(out) if line), len(out))
    del out[:first_text]  # not pop(0) in a loop: quadratic on a long run of blank lines
    del source[:first_text]
    while out and not out[-1]:
        out.pop()
    if numbers is not None:
        numbers.extend(source[: len(out)])
    # A body indented as a whole (content under a wider list marker) reads the
    # same in CommonMark when shifted left together, by up to three spaces.
    common = 3
    for line in out:
        if line and (indent := len(line) - len(line.lstrip(" "))) < common:
            common = indent
            if not common:
                return "\n".join(out)
    return "\n".join([line[common:] for line in out])
