"""Digest Markdown (CommonMark as a language model writes it) to Python-Markdown.

Python-Markdown, which MkDocs uses, differs from CommonMark where digests
rely on it: nested lists must be indented by four spaces per level (digests
use two to four), a list cannot interrupt a paragraph without a blank
line, lists of different markers merge, ``1)`` is no list marker, and
``$$...$$`` is math only as a block of its own. ``for_python_markdown``
rewrites list structure as CommonMark reads it, so both render the same text
with the same nesting (tests/test_markdown.py checks this against
markdown-it-py for every part of the real digests). ``inline_text`` escapes
free text (titles, names) for use inside Markdown.

Known gap: bold whose closing ``**`` CommonMark rejects next to CJK
punctuation (``**数学（HLE）**和``) stays bold here, as the author meant.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from pymdownx.superfences import RE_NESTED_FENCE_START

_LIST_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?P<space> +|$)(?P<text>.*)$")
# A fence opening line as CommonMark reads it: three or more backticks (and
# no backtick after them) or tildes.
_FENCE = re.compile(r"^ *(?:(`{3,})(?![^\n]*`)|(~{3,}))")
# Fence characters where pymdownx.superfences may open a fence: after any
# spaces, tabs and ">" (it reads fences in block quotes too).
_FENCE_LIKE = re.compile(r"[ \t>]*(?=```|~~~)")
# The language of a fence as this module writes it (superfences takes any such word).
_FENCE_LANGUAGE = re.compile(r"[\w#.+-]+")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
_ATX_HEADING = re.compile(r"^#{1,6}(?: |$)")
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]{}>#|!$~^&])")
# Text Python-Markdown would read as a list item or heading at the start of a line.
_BLOCK_START = re.compile(r"^(?:(?P<number>\d+)(?P<delimiter>[.)])|(?P<bullet>[-*+])|(?P<hashes>#+))(?= |$)")
_BACKTICKS = re.compile(r"`+")
# Display math written inside a paragraph line (``... $$x$$ ...``).
_DISPLAY_MATH = re.compile(r"(?<!\\)\$\$(?:\\.|[^\\$])+?\$\$")
# Inline math as arithmatex (smart dollar) reads it; its backslashes are TeX.
_INLINE_MATH = re.compile(r"(?<!\\)\$(?!\s)(?:\\.|[^\\$])+?(?<!\s)\$")
# A backslash escape; before anything but ASCII punctuation CommonMark shows
# the backslash, where pymdownx.escapeall would drop it.
_BACKSLASH = re.compile(r"\\(.?)")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Between two lists that CommonMark keeps apart but Python-Markdown would merge.
LIST_SEPARATOR = "<!-- -->"
# Lists nest at most this deep (digests use three or four levels). Each level
# is four more spaces of output, so ``- - - ... x`` (an item that starts with
# an item, and so on) would grow quadratically, and Python-Markdown recurses
# once a level: an item deeper than this is text.
MAX_NESTING = 16


@dataclass
class _OpenItem:
    source_content: int  # column where the item's content starts in the source
    target_content: int  # the same in the output


def _fence(text: str) -> str | None:
    """The fence (```` ``` ````, ``~~~``...) a line opens, or None."""
    match = _FENCE.match(text)
    return (match.group(1) or match.group(2)) if match else None


def _superfences_may_open(line: str) -> int | None:
    """Where superfences may open a fence on this line (the column of its fence), or None.

    It opens one where its opening pattern matches after the spaces, tabs and
    ">" a line starts with, unless what follows the fence is "unrecognized"
    (not a language, options or attributes): then it never does. Whether the
    options pass its validation is not asked: when unsure, assume it may.
    """
    prefix = _FENCE_LIKE.match(line)
    if prefix is None:
        return None
    if '"' in line or "'" in line:
        # Quoted option values: its pattern backtracks exponentially on some
        # (``a="b" a="b" ... !``), so it is not asked (and the backslash this
        # answer brings keeps superfences from trying it on the page).
        return prefix.end()
    match = RE_NESTED_FENCE_START.match(line, prefix.end())
    if match is None or match.group("unrecognized"):
        return None
    return prefix.end()


def _closes_fence(stripped: str, fence: str) -> bool:
    """A closing fence for ``fence``: the same character, at least as many, nothing after."""
    body = stripped.rstrip(" \t")
    return len(body) >= len(fence) and not body.strip(fence[0])


def code_spans(text: str) -> tuple[list[tuple[int, int]], bool]:
    """Code spans of one line as CommonMark pairs backticks, and whether the line is *clean*.

    A backtick run opens a span closed by the next run of exactly its length;
    a run without one is literal text. A backslash before a run escapes its
    first backtick (outside code only). Linear apart from a binary search per run.

    Clean: every run outside code is paired and none is escaped. On a clean
    line Python-Markdown (whose backtick pattern shortens an unpaired run and
    pairs it with a later one, across lines) finds the same spans, provided
    the lines before it in the paragraph are clean too.
    """
    runs = [(m.start(), m.end() - m.start()) for m in _BACKTICKS.finditer(text)]
    if not runs:
        return [], True
    by_length: dict[int, list[int]] = {}
    for index, (_, length) in enumerate(runs):
        by_length.setdefault(length, []).append(index)
    spans: list[tuple[int, int]] = []
    clean = True
    floor = 0  # backslashes before this belong to an earlier span
    index = 0
    while index < len(runs):
        start, length = runs[index]
        before = start
        while before > floor and text[before - 1] == "\\":
            before -= 1
        if (start - before) % 2:
            clean = False
            start, length = start + 1, length - 1
            if not length:
                index += 1
                continue
        closers = by_length.get(length, ())
        position = bisect_right(closers, index)
        if position == len(closers):
            clean = False
            index += 1
            continue
        close = closers[position]
        spans.append((start, runs[close][0] + runs[close][1]))
        floor = spans[-1][1]
        index = close + 1
    return spans, clean


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span replaced by as many NUL characters."""
    if not spans:
        return text
    pieces, position = [], 0
    for start, end in spans:
        pieces.append(text[position:start])
        pieces.append("\0" * (end - start))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _list_kind(marker: str) -> str:
    """Bullet character or ordered delimiter: CommonMark starts a new list when it changes."""
    return marker[-1]


def _split_display_math(text: str) -> list[str]:
    """A paragraph line cut around ``$$...$$`` so each display formula stands alone.

    Python-Markdown's arithmatex reads ``$$...$$`` only as a block of its own;
    inside a line it would leave stray dollar signs. MathJax on a CommonMark
    page shows such a formula as a display block, so it becomes one here.
    """
    masked = _masked(text, code_spans(text)[0])
    pieces: list[str] = []
    position = 0
    for match in _DISPLAY_MATH.finditer(masked):
        before = text[position : match.start()].strip()
        if before:
            pieces.append(before)
        pieces.append(text[match.start() : match.end()])
        position = match.end()
    rest = text[position:].strip()
    if rest or not pieces:
        pieces.append(rest if pieces else text)
    return pieces


def _literal_backslash(match: re.Match) -> str:
    following = match.group(1)
    if not following or following in _ASCII_PUNCTUATION:
        return match.group()
    return "\\\\" + following


def _code_and_math(text: str, spans: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The code spans given and the math (``$$...$$``, ``$...$``) outside them, each sorted."""
    masked = _masked(text, spans)
    math = [(m.start(), m.end()) for m in _DISPLAY_MATH.finditer(masked)]
    masked = _masked(masked, math)
    math += [(m.start(), m.end()) for m in _INLINE_MATH.finditer(masked)]
    return spans, sorted(math)


def _keep_backslashes(text: str) -> str:
    """Double the backslashes CommonMark shows literally (outside code and math)."""
    if "\\" not in text:
        return text
    spans, math = _code_and_math(text, code_spans(text)[0])
    out: list[str] = []
    position = 0
    for start, end in sorted(spans + math):
        out.append(_BACKSLASH.sub(_literal_backslash, text[position:start]))
        out.append(text[start:end])
        position = end
    out.append(_BACKSLASH.sub(_literal_backslash, text[position:]))
    return "".join(out)


def _escape_block_start(text: str) -> str:
    """Continuation text that Python-Markdown would otherwise start a block with."""
    match = _BLOCK_START.match(text)
    if not match:
        return text
    if match.group("number"):
        return match.group("number") + "\\" + text[len(match.group("number")) :]
    return "\\" + text


def _closes_math(pending: list[str]) -> bool:
    """Whether the paragraph goes on (no blank line, list item, heading or fence) to a closing ``$$``.

    ``pending`` holds the following lines, the next one last. A line it passes
    over holds no ``$$``, so it opens no formula and is never passed over again:
    the calls of one conversion read each line at most once.
    """
    for line in reversed(pending):
        stripped = line.strip()
        if "$$" in stripped:
            return True
        if not stripped or _LIST_ITEM.match(stripped) or _ATX_HEADING.match(stripped) or _fence(stripped):
            return False
    return False


class _Blocks:
    """Indentation of the first line of the last blank-separated block of ``out``.

    Kept up to date as ``out`` grows, so that a long list costs one pass and
    not one walk back per item. Only the last line of ``out`` ever changes
    after it is written (and never from or to blank), so the lines read once
    stay read.
    """

    def __init__(self, out: list[str]):
        self.out = out
        self.read = 0  # lines of out read so far
        self.start = 0  # first line of the last block

    def first_indent(self) -> int:
        out = self.out
        for index in range(self.read, len(out)):
            if not out[index]:
                self.start = index + 1
        self.read = len(out)
        first = out[self.start] if self.start < len(out) else ""
        return len(first) - len(first.lstrip(" "))


# Raw HTML in digest text: a "<" that starts a tag, comment or declaration.
_RAW_HTML_START = re.compile(r"<(?=[A-Za-z/!?])")
# An autolink Python-Markdown turns into a link (its AUTOLINK and AUTOMAIL patterns): kept.
_AUTOLINK = re.compile(r"<(?:https?://[^\s<>]*|mailto:[^\s<>@]+@[^\s<>@]+)>")


def _escape_text(text: str) -> str:
    r"""Raw HTML in text outside code and math as text: ``<div`` becomes ``&lt;div``.

    ``\<`` (already an escape) becomes ``&lt;`` too: ``\&lt;`` would show the entity.
    """
    if "<" not in text:
        return text
    out: list[str] = []
    position = 0
    for match in _RAW_HTML_START.finditer(text):
        start = match.start()
        if start < position:
            continue  # inside an autolink kept
        autolink = _AUTOLINK.match(text, start)
        if autolink:
            out.append(text[position : autolink.end()])
            position = autolink.end()
            continue
        backslashes = 0
        while start - backslashes > position and text[start - backslashes - 1] == "\\":
            backslashes += 1
        out.append(text[position : start - backslashes % 2])
        out.append("&lt;")
        position = start + 1
    out.append(text[position:])
    return "".join(out)


def _escape_math(text: str) -> str:
    """``<`` in TeX followed by a space where it could start a tag: ``a<b`` reads ``a< b`` (the same formula)."""
    return _RAW_HTML_START.sub("< ", text)


def _escape_line(line: str, math_line: bool, trust_code: bool) -> tuple[str, bool]:
    """One line of Markdown outside fenced code as safe Markdown, and whether its backticks are clean.

    ``<`` keeps its meaning only where Python-Markdown surely reads code: in
    the code spans of a clean line (``trust_code``: the lines before it in
    its paragraph are clean too). In math it gets a space after it, elsewhere
    it becomes ``&lt;``. Fence characters where superfences would open a fence
    get a backslash: only the fences ``_convert`` writes open one.
    """
    fence_at = _superfences_may_open(line)
    if fence_at is not None:
        line = line[:fence_at] + "\\" + line[fence_at:]
    spans, clean = code_spans(line)
    if "<" not in line:
        return line, clean
    if math_line:
        return _escape_math(line), clean
    if not (trust_code and clean):
        spans = []
    spans, math = _code_and_math(line, spans)
    out: list[str] = []
    position = 0
    for start, end, kind in sorted([(a, b, "code") for a, b in spans] + [(a, b, "math") for a, b in math]):
        out.append(_escape_text(line[position:start]))
        out.append(line[start:end] if kind == "code" else _escape_math(line[start:end]))
        position = end
    out.append(_escape_text(line[position:]))
    return "".join(out), clean


def _escape_lines(lines: list[str], verbatim: set[int] | frozenset = frozenset(), math: set[int] | frozenset = frozenset()) -> list[str]:
    """``_escape_line`` for each line but the ``verbatim`` ones (fenced code, list separators)."""
    out: list[str] = []
    dirty = False  # an unpaired backtick earlier in this paragraph
    for index, line in enumerate(lines):
        if index in verbatim or not line:
            dirty = False
            out.append(line)
            continue
        escaped, clean = _escape_line(line, index in math, not dirty)
        dirty = dirty or not clean
        out.append(escaped)
    return out


def escape_raw_html(markdown_text: str) -> str:
    """Digest text is untrusted: raw HTML shows as text, outside code and math.

    An unclosed ``<div>`` or ``<style>`` would otherwise make Python-Markdown
    read the rest of the page as one HTML block, and a ``<div id=...>`` would
    reach the page. ``for_python_markdown`` escapes what it writes (keeping
    the fenced code it writes); this escapes a text that holds no fenced code:
    a line that would open a fence for superfences is escaped too.
    """
    if "<" not in markdown_text and "```" not in markdown_text and "~~~" not in markdown_text:
        return markdown_text
    return "\n".join(_escape_lines(markdown_text.split("\n")))


def for_python_markdown(body: str) -> str:
    """Re-indent a part body so Python-Markdown nests lists as CommonMark does.

    The input is read with CommonMark's container rules (a line belongs to an
    open list item when it is indented to the item's content column; a list
    item indented four or more columns past its container, an ordered item not
    numbered 1 or an empty item cannot interrupt a paragraph; other lines after
    paragraph text are lazy continuations). The output puts each item at four
    spaces per level, separates lists of different markers (which CommonMark
    keeps apart and Python-Markdown would merge), writes ``1)`` as ``1.`` (the
    only ordered marker Python-Markdown knows), escapes continuation text that
    Python-Markdown would read as a list item, and isolates ``$$...$$``.
    """
    if is_plain_line(body) or is_plain_list(body):
        return body
    return _convert(body)


# What a single line of plain text cannot contain, and cannot start with,
# for Python-Markdown and CommonMark to read it as the same paragraph.
_NOT_PLAIN = re.compile(r"[\n\r\t\f\v\x1c-\x1e\x85\u2028\u2029<$\\`]")
_BLOCK_CHARACTER = re.compile(r"[-*+>#=_~|\s]|\d+[.)]")


def is_plain_line(body: str) -> bool:
    """A one-line paragraph of plain text, which ``for_python_markdown`` leaves as it is.

    Many part bodies are such lines; this check costs a fraction of the full
    reading (tests/test_markdown.py checks that the reading agrees).
    """
    return bool(body) and not _NOT_PLAIN.search(body) and not _BLOCK_CHARACTER.match(body) and not body[-1].isspace()


# A list item as ``_convert`` writes one: four spaces a level, the marker,
# then spaces up to the item's content column (four columns on).
_PLAIN_ITEM = re.compile(r"((?:    )*)(?:([-*+])   |([0-9])\.  |[0-9]{2}\. )(.*)")
# What an item's text must not contain for ``_convert`` to keep it as it is:
# line breaks, tabs, raw HTML, math and backslash escapes.
_NOT_PLAIN_ITEM = re.compile(r"[\n\r\t\f\v\x1c-\x1e\x85\u2028\u2029<$\\]")


def is_plain_list(body: str) -> bool:
    """A tight list of one-line items of plain text, written as ``_convert`` writes lists.

    Most part bodies of more than one line are such lists (``*   **名称**：...``,
    with nested lists four spaces in), which ``_convert`` returns unchanged;
    this check costs a fraction of it (tests/test_properties.py checks that
    they agree). Each level keeps one kind of marker, a level is entered one
    at a time, and a nested ordered list starts at 1 (another number could
    not interrupt its parent's text).
    """
    kinds: list[str] = []  # the marker kind of the list open at each level
    for line in body.split("\n"):
        item = _PLAIN_ITEM.fullmatch(line)
        if item is None:
            return False
        indent, bullet, digit, text = item.groups()
        level = len(indent) // 4
        kind = bullet or "."
        if (
            level > len(kinds)
            or not text
            or text[0].isspace()
            or text[-1].isspace()
            or _NOT_PLAIN_ITEM.search(text)
            or _LIST_ITEM.match(text)  # an item that starts with another list's item
            or _THEMATIC_BREAK.match(line)
        ):
            return False
        if level == len(kinds):
            if level and kind == "." and digit != "1":
                return False
            kinds.append(kind)
        else:
            del kinds[level + 1 :]
            if kinds[level] != kind:
                return False
    return bool(kinds)


def _convert(body: str) -> str:
    out: list[str] = []
    stack: list[_OpenItem] = []
    # Marker kind of the list open at each depth (None: no list open there).
    lists: list[str | None] = [None]
    # The open fenced code block: its fence, the source column of its container,
    # the indentation of its opening line, and the column it is written at.
    fence: str | None = None
    fence_container = fence_leading = fence_target = 0
    verbatim: set[int] = set()  # lines of out written as they are: fenced code, separators
    math_lines: set[int] = set()  # lines of out inside a multi-line formula
    blocks = _Blocks(out)
    # Text added to the end of a line of out (joined at the end: adding to a
    # string again and again would copy it each time).
    joined: dict[int, list[str]] = {}

    def extend_last(text: str) -> None:
        joined.setdefault(len(out) - 1, []).append(text)
    paragraph = False  # a paragraph is open: a following text line continues it
    previous_kind = "blank"  # blank | item | text: what the last output block line was
    after_math = False  # the open paragraph last emitted a display formula

    def emit_paragraph(indent: int, pieces: list[str], continuation: bool) -> None:
        """Paragraph text; a display formula gets blank lines around it."""
        nonlocal after_math, previous_kind
        for index, piece in enumerate(pieces):
            math = _DISPLAY_MATH.fullmatch(piece) is not None
            if (index or continuation) and not (math or after_math) and out and _FENCE_LIKE.match(out[-1]) and len(out) - 1 not in verbatim:
                # A line that starts with a fence is no fence here (CommonMark read it as
                # text): its paragraph goes on on the same line, where a backtick run
                # may close a code span it opens, and superfences finds no fence.
                extend_last(" " + piece)
                after_math = False
                continue
            if (index or continuation) and (math or after_math) and out and out[-1]:
                parts = joined.get(len(out) - 1)
                last = parts[-1] if parts else out[-1]
                if (len(last) - len(last.rstrip("\\"))) % 2:
                    # A hard line break before the formula, not text.
                    if parts:
                        parts[-1] = last[:-1]
                    else:
                        out[-1] = last[:-1]
                out.append("")
            out.append(" " * indent + piece)
            after_math = math
        previous_kind = "text"

    def open_math_block(indent: int, text: str) -> bool:
        """``$$`` opening a formula that closes on a later line: pass it through as one block."""
        nonlocal math_indent, previous_kind, after_math
        if not text.startswith("$$") or "$$" in text[2:] or not _closes_math(pending):
            return False
        if out and out[-1]:
            out.append("")
        math_lines.add(len(out))
        out.append(" " * indent + text)
        math_indent = indent
        after_math = False
        previous_kind = "text"
        return True

    def separator(indent: int) -> None:
        verbatim.add(len(out))
        out.extend([" " * indent + LIST_SEPARATOR, ""])

    def close_fence() -> None:
        """The closing fence, written as the opening one: superfences closes exactly here."""
        nonlocal fence
        verbatim.add(len(out))
        out.append(" " * fence_target + fence)
        fence = None

    math_indent: int | None = None  # inside a multi-line $$ formula: its indentation
    pending = [raw.expandtabs(4).rstrip() for raw in body.split("\n")]
    pending.reverse()
    while pending:
        line = pending.pop()
        if math_indent is not None and line.strip():
            math_lines.add(len(out))
            out.append(" " * math_indent + line.strip())
            if "$$" in line:
                math_indent = None
                after_math = True
            continue
        math_indent = None  # a blank line ends the paragraph, closed or not
        if fence is not None:
            # Fenced code as CommonMark reads it, written so that superfences reads
            # the same: every line at least as indented as the opening fence, up
            # to a closing fence like the opening one.
            if not line.strip():
                out.append("")
                continue
            leading = len(line) - len(line.lstrip(" "))
            if leading < fence_container:
                close_fence()  # the line leaves the list item: so does the code block
                pending.append(line)
                continue
            if leading - fence_container <= 3 and _closes_fence(line.lstrip(" "), fence):
                close_fence()
                continue
            verbatim.add(len(out))
            out.append(" " * (fence_target + max(0, leading - fence_leading)) + line.lstrip(" "))
            continue
        if not line.strip():
            if out and out[-1]:
                out.append("")
            paragraph = False
            after_math = False
            previous_kind = "blank"
            continue
        leading = len(line) - len(line.lstrip(" "))
        stripped = line.lstrip(" ")
        matched = 0
        while matched < len(stack) and leading >= stack[matched].source_content:
            matched += 1
        base = stack[matched - 1].source_content if matched else 0
        relative = leading - base

        item = _LIST_ITEM.match(line)
        if item and (_THEMATIC_BREAK.match(line) or relative > 3):
            item = None
        too_deep = bool(item) and matched >= MAX_NESTING
        if too_deep:
            item = None  # text, its marker escaped
        if item and paragraph and matched == len(stack):
            marker = item.group("marker")
            empty = not item.group("text").strip()
            if empty or (marker[-1] in ".)" and int(marker[:-1]) != 1):
                item = None
        new_block = relative <= 3 and (_fence(stripped) or _ATX_HEADING.match(stripped))

        if item:
            del stack[matched:]
            del lists[matched + 1 :]
            marker = item.group("marker")
            kind = _list_kind(marker)
            parent_target = stack[-1].target_content if stack else 0
            if lists[matched] is not None and lists[matched] != kind:
                if out and out[-1]:
                    out.append("")
                separator(parent_target)
            elif out and out[-1] and (previous_kind == "text" or parent_target < blocks.first_indent()):
                # Python-Markdown reads a block relative to its first line: an
                # item left of it would join the wrong list.
                out.append("")
            lists[matched] = kind
            lists.append(None)
            space = len(item.group("space"))
            content_offset = len(marker) + (space if 1 <= space <= 4 else 1)
            text = item.group("text")
            inner = _LIST_ITEM.match(text)
            if text and space > 4:
                # Five or more spaces after the marker: the item starts with indented code.
                pending.append(" " * (leading + len(marker) + space) + text)
                text = ""
            elif inner and not _THEMATIC_BREAK.match(text):
                # ``2. 1) x``: an item that starts with another list's item.
                pending.append(" " * (leading + content_offset) + text)
                text = ""
            shown = marker[:-1] + "." if kind == ")" else marker
            if shown == "-" and not text.strip():
                shown = "*"  # a lone "-" under a line is a setext underline to Python-Markdown
            width = len(shown)
            target_content = parent_target + max(4, width + 1)
            stack.append(_OpenItem(leading + content_offset, target_content))
            pieces = _split_display_math(_keep_backslashes(text)) if text else [""]
            out.append(" " * parent_target + shown + " " * max(1, 4 - width) + pieces[0])
            after_math = _DISPLAY_MATH.fullmatch(pieces[0]) is not None
            previous_kind = "item"
            if len(pieces) > 1:
                emit_paragraph(target_content, pieces[1:], continuation=True)
            paragraph = bool(text.strip()) and not _fence(text) and not _ATX_HEADING.match(text)
            continue

        if paragraph and not new_block:
            # A continuation (possibly lazy) of the open paragraph.
            indent = stack[-1].target_content if stack else 0
            if open_math_block(indent, stripped):
                continue
            if _fence(stripped) and out and out[-1] and not after_math:
                # Too indented to open a fence in CommonMark, so it is text (a code
                # span); on a line of its own Python-Markdown would open a fence.
                extend_last(" " + _keep_backslashes(stripped))
                continue
            emit_paragraph(indent, _split_display_math(_keep_backslashes(_escape_block_start(stripped))), continuation=True)
            continue

        # A new block in the innermost container the line is indented into.
        list_before = lists[matched] is not None
        del stack[matched:]
        del lists[matched:]
        lists.append(None)
        parent_target = stack[-1].target_content if stack else 0
        target = parent_target + relative
        if out and out[-1] and previous_kind != "blank":
            out.append("")
        if relative > 3 and list_before:
            # Python-Markdown would put indented code after a list into its last item.
            separator(parent_target)
        opening = _fence(stripped)
        if opening and relative <= 3:
            fence, fence_container, fence_leading, fence_target = opening, base, leading, target
            # The info string's first word, when superfences surely reads it as the language.
            words = stripped[len(opening) :].split()
            language = words[0] if words and _FENCE_LANGUAGE.fullmatch(words[0]) else ""
            verbatim.add(len(out))
            out.append(" " * target + opening + language)
            paragraph = False
            previous_kind = "text"
            continue
        if relative > 3:
            out.append(" " * target + stripped)
            paragraph = False
            previous_kind = "text"
            continue
        if _ATX_HEADING.match(stripped) or _THEMATIC_BREAK.match(line):
            out.append(" " * parent_target + stripped)
            paragraph = False
            previous_kind = "text"
            continue
        paragraph = True
        if open_math_block(parent_target, stripped):
            continue
        text = _escape_block_start(stripped) if too_deep else stripped
        emit_paragraph(parent_target, _split_display_math(_keep_backslashes(text)), continuation=False)
    if fence is not None:
        close_fence()  # CommonMark closes it at the end of the part
    for index, parts in joined.items():
        out[index] += "".join(parts)
    while out and not out[-1]:
        out.pop()
    return "\n".join(_escape_lines(out, verbatim, math_lines))


def inline_text(text: str) -> str:
    """Free text as literal inline Markdown: no emphasis, links, HTML or math.

    ``<`` becomes the entity ``&lt;``, not ``\\<``: inside an HTML block with
    ``markdown`` (md_in_html: day cards, a paper's metadata) the block is first
    read as HTML, where a backslash does not stop ``<script>`` from opening a tag.
    """
    return _INLINE_SPECIALS.sub(r"\\\1", " ".join(text.split())).replace("<", "&lt;")


_CODE = re.compile(r"`([^`]*)`")
_EMPHASIS_DELIMITERS = ("**", "__", "*", "_")  # tried in this order at each position
_EMPHASIS_CHARACTERS = re.compile(r"[*_]")
_SPACE = re.compile(r"\s")
# A list marker at the start of a line (the spaces before it on that line only:
# the whitespace is normalised afterwards, so the text is the same).
_LIST_MARKER_AT_LINE_START = re.compile(r"^[^\S\n]*(?:[-*+]|\d+[.)])\s+", flags=re.M)


def _links_as_text(text: str) -> str:
    r"""``[text](url)`` and ``![text](url)`` as their text (``!?\[([^\]]*)\]\([^)]*\)``, leftmost first).

    Every ``[`` before a ``]`` ends its text at that ``]``, so the leftmost of them
    is the match if any is: one pass over the text.
    """
    out: list[str] = []
    written = search = 0
    while True:
        close = text.find("]", search)
        if close < 0:
            break
        start = text.find("[", search, close)
        if start >= 0 and text.startswith("(", close + 1):
            end = text.find(")", close + 2)
            if end < 0:
                break  # no ")" after this point: no later link either
            first = start - 1 if start > search and text[start - 1] == "!" else start
            out.append(text[written:first])
            out.append(text[start + 1 : close])
            written = search = end + 1
            continue
        search = close + 1
    out.append(text[written:])
    return "".join(out)


def _emphasis_as_text(text: str) -> str:
    r"""``(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1`` replaced by its content, in n log n.

    The closing delimiter of an opening one is the first occurrence after it
    (past one character, on the same line) that follows a non-space: found by
    binary search in the sorted positions of each delimiter.
    """
    if "*" not in text and "_" not in text:
        return text
    positions = [m.start() for m in _EMPHASIS_CHARACTERS.finditer(text)]
    closers: dict[str, list[int]] = {delimiter: [] for delimiter in _EMPHASIS_DELIMITERS}
    for position in positions:
        if position and not _SPACE.match(text, position - 1):
            closers[text[position]].append(position)
            if text.startswith(text[position] * 2, position):
                closers[text[position] * 2].append(position)
    out: list[str] = []
    written = 0
    line_end = -1  # the end of the line of the current position
    for start in positions:
        if start < written:
            continue
        if line_end < start:
            line_end = text.find("\n", start)
            if line_end < 0:
                line_end = len(text)
        for delimiter in _EMPHASIS_DELIMITERS:
            size = len(delimiter)
            if not text.startswith(delimiter, start) or start + size >= len(text) or _SPACE.match(text, start + size):
                continue
            candidates = closers[delimiter]
            index = bisect_left(candidates, start + size + 1)
            if index < len(candidates) and candidates[index] < line_end:
                close = candidates[index]
                out.append(text[written:start])
                out.append(text[start + size : close])
                written = close + size
                break
    out.append(text[written:])
    return "".join(out)


def _tags_removed(text: str) -> str:
    """``<[^>]*>`` removed: each ``<`` up to the next ``>``."""
    out: list[str] = []
    position = 0
    while True:
        start = text.find("<", position)
        if start < 0:
            break
        end = text.find(">", start + 1)
        if end < 0:
            break
        out.append(text[position:start])
        position = end + 1
    out.append(text[position:])
    return "".join(out)


def plain_text(markdown_text: str) -> str:
    """A Markdown snippet as plain text (for descriptions, feeds and search)."""
    text = _CODE.sub(r"\1", markdown_text)
    text = _links_as_text(text)
    text = _emphasis_as_text(text)
    text = _tags_removed(text)
    text = _LIST_MARKER_AT_LINE_START.sub("", text)
    return " ".join(text.split())


_URL = re.compile(r"https?://\S+")
_PROTECTED_START = re.compile(r"[`$!\[<h]")


class _NextFinder:
    """``text.find(char, position)`` for positions that only grow: each character is read once."""

    def __init__(self, text: str, char: str):
        self.text, self.char, self.found = text, char, -1

    def __call__(self, position: int) -> int:
        if self.found == len(self.text):
            return -1
        if self.found < position:
            found = self.text.find(self.char, position)
            self.found = len(self.text) if found < 0 else found
        return -1 if self.found == len(self.text) else self.found


def _protected_spans(line: str) -> list[tuple[int, int]]:
    """Regions of a Markdown line where a name must not become a link, leftmost first.

    Code spans (a backtick run up to the next run of its length), math
    (``$$...$$``, ``$...$``), links and images, bracketed text, ``<...>`` and
    bare URLs. Each kind finds its end with a search that only moves forward,
    so the whole line is read a bounded number of times.
    """
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    run_starts = [start for start, _ in runs]
    by_length: dict[int, list[int]] = {}
    for start, end in runs:
        by_length.setdefault(end - start, []).append(start)
    next_bracket, next_paren, next_angle, next_dollar = (_NextFinder(line, c) for c in "])>$")
    no_double_dollar = False
    spans: list[tuple[int, int]] = []
    position = 0
    while True:
        match = _PROTECTED_START.search(line, position)
        if match is None:
            break
        start = match.start()
        char = line[start]
        end = -1
        if char == "`":
            run_end = runs[bisect_right(run_starts, start) - 1][1]
            closers = by_length.get(run_end - start, ())
            index = bisect_right(closers, start)
            if index < len(closers):
                end = closers[index] + run_end - start
            else:
                position = run_end
                continue
        elif char == "$":
            if line.startswith("$$", start) and not no_double_dollar:
                close = line.find("$$", start + 2)
                if close >= 0:
                    end = close + 2
                else:
                    no_double_dollar = True
            if end < 0 and not (start and line[start - 1] == "\\") and start + 1 < len(line) and not _SPACE.match(line, start + 1):
                close = next_dollar(start + 1)
                if close >= 0 and (close == start + 1 or not _SPACE.match(line, close - 1)):
                    end = close + 1
        elif char in "![":
            bracket = start + 1 if char == "!" else start
            if line.startswith("[", bracket):
                close = next_bracket(bracket + 1)
                if close >= 0 and line.startswith("(", close + 1):
                    paren = next_paren(close + 2)
                    if paren >= 0:
                        end = paren + 1
                if end < 0 and char == "[" and close >= 0:
                    end = close + 1
        elif char == "<":
            close = next_angle(start + 1)
            if close >= 0:
                end = close + 1
        else:
            url = _URL.match(line, start)
            if url:
                end = url.end()
        if end < 0:
            position = start + 1
            continue
        spans.append((start, end))
        position = end
    return spans


@lru_cache(maxsize=4096)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern:
    """Any of ``names``, word-bounded, the longest first."""
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=lambda n: (-len(n), n)))
    return re.compile(rf"(?<![A-Za-z0-9_\-^.])(?:{alternatives})(?![A-Za-z0-9_\-^+])")


def link_names(markdown_text: str, targets: dict[str, str]) -> str:
    """Turn each exact, word-bounded occurrence of a name into a link to its target.

    Names in code, math, links, HTML and fenced code blocks are left alone.
    """
    # Only the names the text holds at all can be linked: most parts hold none.
    present = tuple(sorted(name for name in targets if name in markdown_text))
    if not present:
        return markdown_text
    names = _names_pattern(present)

    def replace_in(text: str) -> str:
        return names.sub(lambda m: f"[{m.group(0)}]({targets[m.group(0)]})", text)

    out: list[str] = []
    closing: str | None = None  # inside fenced code: its closing line
    for line in markdown_text.split("\n"):
        if closing is not None:
            # for_python_markdown closes a fence with the opening line's indentation and fence.
            if line == closing:
                closing = None
            out.append(line)
            continue
        opening = _FENCE.match(line)
        if opening:
            closing = line[: opening.end()]
            out.append(line)
            continue
        if not any(name in line for name in present):
            out.append(line)
            continue
        pieces: list[str] = []
        position = 0
        for start, end in _protected_spans(line):
            pieces.append(replace_in(line[position:start]))
            pieces.append(line[start:end])
            position = end
        pieces.append(replace_in(line[position:]))
        out.append("".join(pieces))
    return "\n".join(out)
