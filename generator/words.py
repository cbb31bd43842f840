"""Chinese word segmentation of papers, shared by the search index and related papers.

Segmentation is jieba's (its dictionary and search mode) through rjieba,
the Rust port, which gives the same words as the Python package on our
digests at a fifteenth of the cost and without the Python package's
half-second dictionary load. Each paper is segmented once (title, summary
and the start of its innovations) and the result is kept in the memo by the
paper's fingerprint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import rjieba

from .markdown import plain_text

INNOVATIONS_CHARS = 240
TOKEN_SEPARATOR = "\n"  # between the tokens of a list kept as one string: no token holds a line break
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # the ranges of Han characters, for a character class
HAN_RUN = re.compile(f"[{HAN}]+")


def han_words(text: str) -> list[str]:
    """Chinese words of a text, with the longer words' parts as well (jieba's search mode)."""
    runs = HAN_RUN.findall(text)
    if not runs:
        return []
    # One jieba call over the Han runs alone: Latin text is handled elsewhere,
    # and jieba costs per character.
    words = rjieba.cut_for_search("，".join(runs), False)
    # A one-character word only when it stands alone in the text (never the "，" between runs).
    singles = {run for run in runs if len(run) == 1}
    if not singles:
        return [word for word in words if len(word) > 1]
    return [word for word in words if len(word) > 1 or word in singles]


@dataclass(frozen=True)
class PaperWords:
    title: tuple[str, ...]
    summary: tuple[str, ...]  # the one-sentence contribution and the application field
    innovations: tuple[str, ...]  # the start of the innovations part


def paper_texts(paper, contribution_text: str | None = None) -> tuple[str, str, str]:
    """The title, the summary and the start of the innovations, as segmented.

    ``contribution_text``: ``plain_text(paper.contribution)``, when the caller has it already.
    """
    if contribution_text is None:
        contribution_text = plain_text(paper.contribution)
    return (
        paper.title,
        contribution_text + " " + paper.field_text,
        paper.part("innovations")[:INNOVATIONS_CHARS],
    )


def segment_paper(paper) -> PaperWords:
    return segment_texts(paper_texts(paper))


def segment_texts(texts: tuple[str, str, str]) -> PaperWords:
    return PaperWords(*(tuple(han_words(text)) for text in texts))
