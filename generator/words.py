"""Chinese word segmentation of papers, shared by the search index and related papers.

jieba is the expensive step of a cold build, so each paper is segmented
once (title, summary and the start of its innovations), the result is kept
in the memo by the paper's fingerprint, and a cold build with many new
papers segments them on every core.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from .markdown import plain_text
from .memo import Memo
from .parallel import map_chunks

INNOVATIONS_CHARS = 240
PARALLEL_MINIMUM = 400  # below this, starting processes costs more than it saves
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

_jieba = None


def _segmenter():
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _jieba = jieba
    return _jieba


def han_words(text: str) -> list[str]:
    """Chinese words of a text, with the longer words' parts as well (jieba's search mode)."""
    runs = _HAN_RUN.findall(text)
    if not runs:
        return []
    # One jieba call over the Han runs alone: Latin text is handled elsewhere,
    # and jieba costs per character.
    singles = {run for run in runs if len(run) == 1}
    words = _segmenter().cut_for_search("，".join(runs), HMM=False)
    return [word for word in words if word != "，" and (len(word) > 1 or word in singles)]


@dataclass(frozen=True)
class PaperWords:
    title: tuple[str, ...]
    summary: tuple[str, ...]  # the one-sentence contribution and the application field
    innovations: tuple[str, ...]  # the start of the innovations part


def paper_texts(paper) -> tuple[str, str, str]:
    return (
        paper.title,
        plain_text(paper.contribution) + " " + paper.field_text,
        paper.part("innovations")[:INNOVATIONS_CHARS],
    )


def _segment(texts: tuple[str, str, str]) -> PaperWords:
    return PaperWords(*(tuple(han_words(text)) for text in texts))


def words_of(papers: dict, memo: Memo) -> dict:
    """``{key: PaperWords}`` for ``{key: paper}``, from the memo or segmented now."""
    missing = [(key, paper) for key, paper in papers.items() if ("words", paper.fingerprint) not in memo]
    if missing:
        segmented = _segment_many([paper_texts(paper) for _, paper in missing])
        for (_, paper), words in zip(missing, segmented):
            memo.put(("words", paper.fingerprint), words)
    return {key: memo.get(("words", paper.fingerprint), lambda p=paper: _segment(paper_texts(p))) for key, paper in papers.items()}


def _segment_many(texts: list[tuple[str, str, str]]) -> list[PaperWords]:
    _segmenter()  # load the dictionary once, before any fork
    return map_chunks(_segment_chunk, texts, PARALLEL_MINIMUM)


def _segment_chunk(texts: list[tuple[str, str, str]]) -> list[PaperWords]:
    return [_segment(t) for t in texts]
