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
from dataclasses import dataclass
from functools import lru_cache

_LIST_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?P<space> +|$)(?P<text>.*)$")
_FENCE = re.compile(r"^ *(```+|~~~+)")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
_ATX_HEADING = re.compile(r"^#{1,6}(?: |$)")
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]{}<>#|!$~^&])")
# Text Python-Markdown would read as a list item or heading at the start of a line.
_BLOCK_START = re.compile(r"^(?:(?P<number>\d+)(?P<delimiter>[.)])|(?P<bullet>[-*+])|(?P<hashes>#+))(?= |$)")
_CODE_SPAN = re.compile(r"(`+).*?(?<!`)\1(?!`)")
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


@dataclass
class _OpenItem:
    source_content: int  # column where the item's content starts in the source
    target_content: int  # the same in the output


def _list_kind(marker: str) -> str:
    """Bullet character or ordered delimiter: CommonMark starts a new list when it changes."""
    return marker[-1]


def _split_display_math(text: str) -> list[str]:
    """A paragraph line cut around ``$$...$$`` so each display formula stands alone.

    Python-Markdown's arithmatex reads ``$$...$$`` only as a block of its own;
    inside a line it would leave stray dollar signs. MathJax on a CommonMark
    page shows such a formula as a display block, so it becomes one here.
    """
    masked = _CODE_SPAN.sub(lambda m: "\0" * len(m.group()), text)
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


def _keep_backslashes(text: str) -> str:
    """Double the backslashes CommonMark shows literally (outside code and math)."""
    if "\\" not in text:
        return text
    spans = [(m.start(), m.end()) for m in _CODE_SPAN.finditer(text)]
    masked = _CODE_SPAN.sub(lambda m: "\0" * len(m.group()), text)
    spans += [(m.start(), m.end()) for m in _DISPLAY_MATH.finditer(masked)]
    masked = _DISPLAY_MATH.sub(lambda m: "\0" * len(m.group()), masked)
    spans += [(m.start(), m.end()) for m in _INLINE_MATH.finditer(masked)]
    out: list[str] = []
    position = 0
    for start, end in sorted(spans):
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

    ``pending`` holds the following lines, the next one last.
    """
    for line in reversed(pending):
        stripped = line.strip()
        if "$$" in stripped:
            return True
        if not stripped or _LIST_ITEM.match(stripped) or _ATX_HEADING.match(stripped) or _FENCE.match(stripped):
            return False
    return False


def _block_indent(out: list[str]) -> int:
    """Indentation of the first line of the last blank-separated block of ``out``."""
    index = len(out)
    while index > 0 and out[index - 1]:
        index -= 1
    first = out[index] if index < len(out) else ""
    return len(first) - len(first.lstrip(" "))


# Raw HTML in digest text: a "<" that starts a tag, comment or declaration.
_RAW_HTML_START = re.compile(r"<(?=[A-Za-z/!?])(?!(?:https?|mailto):)")
# Where "<" means what it says and must stay: code spans and math.
_KEEP_LITERAL = re.compile(r"(`+).*?(?<!`)\1(?!`)|\$\$.*?\$\$|(?<!\\)\$(?!\s)[^$\n]*?(?<!\s)\$")


def escape_raw_html(body: str) -> str:
    """Digest text is untrusted: raw HTML shows as text, outside code and math.

    An unclosed ``<div>`` or ``<style>`` would otherwise make Python-Markdown
    read the rest of the page as one HTML block.
    """
    if "<" not in body:
        return body
    out: list[str] = []
    fence: str | None = None
    for line in body.split("\n"):
        fence_match = _FENCE.match(line)
        if fence is not None or fence_match:
            if fence is None:
                fence = fence_match.group(1)
            elif fence_match and fence_match.group(1).startswith(fence) and not line.strip()[len(fence_match.group(1)):].strip():
                fence = None
            out.append(line)
            continue
        pieces, position = [], 0
        for kept in _KEEP_LITERAL.finditer(line):
            pieces.append(_RAW_HTML_START.sub("&lt;", line[position : kept.start()]))
            pieces.append(kept.group(0))
            position = kept.end()
        pieces.append(_RAW_HTML_START.sub("&lt;", line[position:]))
        out.append("".join(pieces))
    return "\n".join(out)


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
    fence: str | None = None
    fence_shift = 0
    paragraph = False  # a paragraph is open: a following text line continues it
    previous_kind = "blank"  # blank | item | text: what the last output block line was
    after_math = False  # the open paragraph last emitted a display formula

    def emit_paragraph(indent: int, pieces: list[str], continuation: bool) -> None:
        """Paragraph text; a display formula gets blank lines around it."""
        nonlocal after_math, previous_kind
        for index, piece in enumerate(pieces):
            math = _DISPLAY_MATH.fullmatch(piece) is not None
            if (index or continuation) and (math or after_math) and out and out[-1]:
                trailing = len(out[-1]) - len(out[-1].rstrip("\\"))
                if trailing % 2:
                    out[-1] = out[-1][:-1]  # a hard line break before the formula, not text
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
        out.append(" " * indent + text)
        math_indent = indent
        after_math = False
        previous_kind = "text"
        return True

    math_indent: int | None = None  # inside a multi-line $$ formula: its indentation
    pending = [raw.expandtabs(4).rstrip() for raw in escape_raw_html(body).split("\n")]
    pending.reverse()
    while pending:
        line = pending.pop()
        if math_indent is not None and line.strip():
            out.append(" " * math_indent + line.strip())
            if "$$" in line:
                math_indent = None
                after_math = True
            continue
        math_indent = None  # a blank line ends the paragraph, closed or not
        if fence is not None:
            leading = len(line) - len(line.lstrip(" "))
            out.append(" " * max(0, leading + fence_shift) + line.lstrip(" ") if line.strip() else "")
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
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
        if item and paragraph and matched == len(stack):
            marker = item.group("marker")
            empty = not item.group("text").strip()
            if empty or (marker[-1] in ".)" and int(marker[:-1]) != 1):
                item = None
        new_block = relative <= 3 and (_FENCE.match(stripped) or _ATX_HEADING.match(stripped))

        if item:
            del stack[matched:]
            del lists[matched + 1 :]
            marker = item.group("marker")
            kind = _list_kind(marker)
            parent_target = stack[-1].target_content if stack else 0
            if lists[matched] is not None and lists[matched] != kind:
                if out and out[-1]:
                    out.append("")
                out.extend([" " * parent_target + LIST_SEPARATOR, ""])
            elif out and out[-1] and (previous_kind == "text" or parent_target < _block_indent(out)):
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
            paragraph = bool(text.strip()) and not _FENCE.match(text) and not _ATX_HEADING.match(text)
            continue

        if paragraph and not new_block:
            # A continuation (possibly lazy) of the open paragraph.
            indent = stack[-1].target_content if stack else 0
            if open_math_block(indent, stripped):
                continue
            if _FENCE.match(stripped) and out and out[-1] and not after_math:
                # Too indented to open a fence in CommonMark, so it is text (a code
                # span); on a line of its own Python-Markdown would open a fence.
                out[-1] += " " + _keep_backslashes(stripped)
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
            out.extend([" " * parent_target + LIST_SEPARATOR, ""])
        fence_match = _FENCE.match(line)
        if fence_match and relative <= 3:
            fence = fence_match.group(1)
            fence_shift = target - leading
            out.append(" " * target + stripped)
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
        emit_paragraph(parent_target, _split_display_math(_keep_backslashes(stripped)), continuation=False)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def inline_text(text: str) -> str:
    """Free text as literal inline Markdown: no emphasis, links, HTML or math."""
    return _INLINE_SPECIALS.sub(r"\\\1", " ".join(text.split()))


_CODE = re.compile(r"`([^`]*)`")
_LINK_OR_IMAGE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_TAG = re.compile(r"<[^>]*>")
_LIST_MARKER_AT_LINE_START = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", flags=re.M)


def plain_text(markdown_text: str) -> str:
    """A Markdown snippet as plain text (for descriptions, feeds and search)."""
    text = _CODE.sub(r"\1", markdown_text)
    text = _LINK_OR_IMAGE.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _TAG.sub("", text)
    text = _LIST_MARKER_AT_LINE_START.sub("", text)
    return " ".join(text.split())


# Regions of a Markdown line where a name must not become a link.
_PROTECTED = re.compile(
    r"(`+).*?(?<!`)\1(?!`)"  # code spans
    r"|\$\$.*?\$\$|(?<!\\)\$(?!\s)[^$\n]*?(?<!\s)\$"  # math
    r"|!?\[[^\]\n]*\]\([^)\n]*\)|\[[^\]\n]*\]"  # links, images, bracketed text
    r"|<[^>\n]*>|https?://\S+"  # raw HTML, autolinks, bare URLs
)


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
    fence: str | None = None
    for line in markdown_text.split("\n"):
        fence_match = _FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1).startswith(fence):
                fence = None
            out.append(line)
            continue
        if fence_match:
            fence = fence_match.group(1)
            out.append(line)
            continue
        if not any(name in line for name in present):
            out.append(line)
            continue
        pieces: list[str] = []
        position = 0
        for protected in _PROTECTED.finditer(line):
            pieces.append(replace_in(line[position : protected.start()]))
            pieces.append(protected.group(0))
            position = protected.end()
        pieces.append(replace_in(line[position:]))
        out.append("".join(pieces))
    return "\n".join(out)
