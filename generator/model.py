"""The immutable data model: diagnostics, parts, papers and digests.

Everything the parser produces and every later stage consumes is a frozen
dataclass defined here, so no stage can change what an earlier one saw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"

# The five parts every report is expected to have, in their fixed order.
PART_KEYS = ("field", "contribution", "usage", "innovations", "results")

# Headings shown on the site for the five parts (issue: clear Chinese headings).
PART_TITLES = {
    "field": "应用领域",
    "contribution": "核心贡献",
    "usage": "使用指南",
    "innovations": "主要创新点",
    "results": "实验效果",
}


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    level: str
    message: str

    def __str__(self) -> str:
        return f"{escape_controls(self.path)}:{self.line}: {self.level}: {escape_controls(self.message)}"


# What a terminal or a CI log would act on in a diagnostic: C0 and C1
# controls, DEL, line and paragraph separators and bidi controls.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def _escape_control(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x100:
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(match.group(), f"\\x{code:02x}")
    return f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with control, separator and bidi characters as escapes (``\\n``, ``\\x1b``, ``\\u202e``)."""
    return _CONTROLS.sub(_escape_control, text) if _CONTROLS.search(text) else text


@dataclass(frozen=True)
class Part:
    """One section of a report: a known part (key set) or an extra one (key empty)."""

    heading: str
    body: str
    line: int
    key: str = ""


@dataclass(frozen=True)
class Paper:
    arxiv_id: str
    title: str
    url: str
    reading_source: str
    report_title: str
    line: int
    parts: tuple[Part, ...]
    extra: tuple[Part, ...] = ()

    def part(self, key: str) -> str:
        for part in self.parts:
            if part.key == key:
                return part.body
        return ""

    @property
    def field_text(self) -> str:
        return self.part("field")

    @property
    def contribution(self) -> str:
        return self.part("contribution")

    @property
    def short_name(self) -> str:
        """The name before the colon of the title (``FlowAct-R1``), or ""."""
        head, sep, _ = self.title.partition(":")
        head = head.strip()
        if not sep or not head or len(head) > 40 or " " in head.strip():
            return ""
        return head


@dataclass(frozen=True)
class Digest:
    path: str
    date: str
    source_url: str
    papers: tuple[Paper, ...] = field(default=())
    date_line: int = 1
    # Papers of the file that were skipped: no link line, no valid arXiv id, or a second copy.
    unreadable: int = 0
