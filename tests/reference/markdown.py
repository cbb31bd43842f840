"""The regular expressions generator/markdown.py used before its scanners (quadratic on some inputs).

Kept to check that the linear scanners read ordinary text as they did
(tests/test_properties.py); run them only on short inputs.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"`([^`]*)`")
_LINK_OR_IMAGE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_TAG = re.compile(r"<[^>]*>")
_LIST_MARKER_AT_LINE_START = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", flags=re.M)

PROTECTED = re.compile(
    r"(`+).*?(?<!`)\1(?!`)"  # code spans
    r"|\$\$.*?\$\$|(?<!\\)\$(?!\s)[^$\n]*?(?<!\s)\$"  # math
    r"|!?\[[^\]\n]*\]\([^)\n]*\)|\[[^\]\n]*\]"  # links, images, bracketed text
    r"|<[^>\n]*>|https?://\S+"  # raw HTML, autolinks, bare URLs
)
CODE_SPAN = re.compile(r"(`+).*?(?<!`)\1(?!`)")


def plain_text(markdown_text: str) -> str:
    text = _CODE.sub(r"\1", markdown_text)
    text = _LINK_OR_IMAGE.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _TAG.sub("", text)
    text = _LIST_MARKER_AT_LINE_START.sub("", text)
    return " ".join(text.split())


def protected_spans(line: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in PROTECTED.finditer(line)]


def code_spans(line: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in CODE_SPAN.finditer(line)]
