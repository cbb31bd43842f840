"""Digest Markdown (CommonMark as a language model writes it) to Python-Markdown.

Python-Markdown, which MkDocs uses, differs from CommonMark where digests
rely on it: nested lists must be indented by four spaces per level (digests
use two to four), and a list cannot interrupt a paragraph without a blank
line. ``for_python_markdown`` re-indents list structure as CommonMark reads
it, so both render the same text with the same nesting. ``inline_text``
escapes free text (titles, names) for use inside Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LIST_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?P<space> +|$)(?P<text>.*)$")
_FENCE = re.compile(r"^ *(```+|~~~+)")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]{}<>#|!$~^&])")


@dataclass
class _OpenItem:
    source_content: int  # column where the item's content starts in the source
    target_content: int  # the same in the output


def for_python_markdown(body: str) -> str:
    """Re-indent a part body so Python-Markdown nests lists as CommonMark does."""
    out: list[str] = []
    stack: list[_OpenItem] = []
    fence: str | None = None
    fence_shift = 0
    previous_kind = "blank"  # blank | item | text
    for raw in body.split("\n"):
        line = raw.expandtabs(4).rstrip()
        if fence is not None:
            leading = len(line) - len(line.lstrip(" "))
            out.append(" " * max(0, leading + fence_shift) + line.lstrip(" ") if line.strip() else "")
            if line.strip().startswith(fence):
                fence = None
            continue
        if not line.strip():
            out.append("")
            previous_kind = "blank"
            continue
        leading = len(line) - len(line.lstrip(" "))
        item = _LIST_ITEM.match(line)
        if item and _THEMATIC_BREAK.match(line):
            item = None
        # Close the items this line is not inside of. A non-blank, non-item
        # line right after text is a lazy continuation and stays inside.
        if not (previous_kind == "text" and not item):
            while stack and leading < stack[-1].source_content:
                stack.pop()
        parent_target = stack[-1].target_content if stack else 0
        parent_source = stack[-1].source_content if stack else 0
        if item:
            width = len(item.group("marker"))
            space = len(item.group("space"))
            content_offset = width + (space if 1 <= space <= 4 else 1)
            if previous_kind == "text":
                out.append("")
            new_indent = parent_target
            text = item.group("text")
            out.append(" " * new_indent + item.group("marker") + " " * max(1, 4 - width) + text)
            stack.append(_OpenItem(leading + content_offset, new_indent + max(4, width + 1)))
            previous_kind = "item"
            continue
        relative = max(0, leading - parent_source) if stack else leading
        target = parent_target + relative
        stripped = line.lstrip(" ")
        fence_match = _FENCE.match(line)
        if fence_match:
            fence = fence_match.group(1)
            fence_shift = target - leading
            if previous_kind == "text":
                out.append("")
        out.append(" " * target + stripped)
        previous_kind = "text"
    return "\n".join(out)


def inline_text(text: str) -> str:
    """Free text as literal inline Markdown: no emphasis, links, HTML or math."""
    return _INLINE_SPECIALS.sub(r"\\\1", " ".join(text.split()))


def plain_text(markdown_text: str) -> str:
    """A Markdown snippet as plain text (for descriptions, feeds and search)."""
    text = re.sub(r"`([^`]*)`", r"\1", markdown_text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"<[^>]*>", "", text)
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", text, flags=re.M)
    return " ".join(text.split())
