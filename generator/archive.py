"""Merging parsed digests into one archive: papers by id, days, fields, tags.

A paper that appears in several digests becomes one entry that keeps every
appearance (newest first), so an older, differently worded summary is never
lost; the summary shown first is the one written from the fullest source
(阅读来源: HTML or PDF over ArXiv Abs), the newest among equals. Two digests
of the same date are an error; the first (by path) wins.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from .analysis import AnalysedDigest, PaperAnalysis
from .model import ERROR, WARNING, Diagnostic, Digest, Paper
from .taxonomy import Taxonomy


@dataclass(frozen=True)
class Appearance:
    date: str
    paper: Paper
    digest_path: str


# How full a summary's source is (阅读来源): a summary written from the paper's
# full text (HTML or PDF) says more than one written from its abstract.
SOURCE_FULLNESS = {"html": 2, "pdf": 2, "arxiv abs": 1, "abstract": 1}


def source_fullness(reading_source: str) -> int:
    """2 for the full text, 1 for the abstract or an unknown source, 0 for none."""
    source = " ".join(reading_source.lower().split())
    return SOURCE_FULLNESS.get(source, 1) if source else 0


def main_appearance(newest_first: tuple[Appearance, ...]) -> Appearance:
    """The summary a paper's page shows: written from the fullest source, the newest among equals."""
    return max(newest_first, key=lambda appearance: source_fullness(appearance.paper.reading_source))


@dataclass(frozen=True)
class Entry:
    """One paper of the archive with all its appearances, newest first."""

    arxiv_id: str
    appearances: tuple[Appearance, ...]
    main_appearance: Appearance  # the summary shown (``main_appearance``)
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    keywords: tuple[str, ...]
    analysis: PaperAnalysis  # of the main summary: terms, names and search tokens

    @property
    def main(self) -> Paper:
        """The summary shown: written from the fullest source, the newest among equals."""
        return self.main_appearance.paper

    @property
    def first_date(self) -> str:
        return self.appearances[-1].date

    @property
    def last_date(self) -> str:
        return self.appearances[0].date

    @property
    def dates(self) -> tuple[str, ...]:
        return tuple(appearance.date for appearance in reversed(self.appearances))

    @property
    def older_versions(self) -> tuple[Appearance, ...]:
        """The other appearances, newest first, whose summary differs from the main one and every newer one shown."""
        shown = [_content_key(self.main)]
        kept = []
        for appearance in self.appearances:
            if appearance is self.main_appearance:
                continue
            key = _content_key(appearance.paper)
            if key not in shown:
                shown.append(key)
                kept.append(appearance)
        return tuple(kept)


def _content_key(paper: Paper) -> tuple:
    return (paper.title, tuple((p.key, p.heading, p.body) for p in paper.parts), tuple((p.heading, p.body) for p in paper.extra))


@dataclass(frozen=True)
class Day:
    date: str
    source_url: str
    digest_path: str
    paper_ids: tuple[str, ...]
    unreadable: int = 0  # papers of the digest that could not be read (reported when parsing)


@dataclass(frozen=True)
class Archive:
    taxonomy: Taxonomy
    entries: Mapping[str, Entry]
    days: tuple[Day, ...]  # oldest first
    papers_by_field: Mapping[str, tuple[str, ...]]  # newest day first, digest order within a day
    papers_by_tag: Mapping[str, tuple[str, ...]]

    def day(self, date: str) -> Day:
        return self._day_index[date]

    def __post_init__(self):
        object.__setattr__(self, "_day_index", {day.date: day for day in self.days})

    @property
    def newest_day(self) -> Day | None:
        return self.days[-1] if self.days else None

    def unmapped_phrases(self) -> list[tuple[str, int]]:
        counts = Counter(keyword for entry in self.entries.values() for keyword in entry.keywords)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def ids_newest_first(self) -> list[str]:
        ordered: list[str] = []
        seen: set[str] = set()
        for day in reversed(self.days):
            for arxiv_id in day.paper_ids:
                if arxiv_id not in seen:
                    seen.add(arxiv_id)
                    ordered.append(arxiv_id)
        return ordered


def merge(analysed: list[AnalysedDigest], taxonomy: Taxonomy) -> tuple[Archive, list[Diagnostic]]:
    """One archive of all digests: each paper an entry with its appearances, newest first."""
    diagnostics: list[Diagnostic] = []
    by_date: dict[str, Digest] = {}
    analyses: dict[tuple[str, str], PaperAnalysis] = {}  # (date, arxiv id) -> the analysis of that appearance
    for digest, found in sorted(((a.digest, a.analyses) for a in analysed), key=lambda pair: (pair[0].date, pair[0].path)):
        if digest.date in by_date:
            diagnostics.append(
                Diagnostic(
                    digest.path,
                    digest.date_line,
                    ERROR,
                    f"another digest has the same date {digest.date} ({by_date[digest.date].path}); this one is skipped",
                )
            )
            continue
        by_date[digest.date] = digest
        analyses.update(((digest.date, paper.arxiv_id), analysis) for paper, analysis in zip(digest.papers, found))

    appearances: dict[str, list[Appearance]] = {}
    days: list[Day] = []
    for date in sorted(by_date):
        digest = by_date[date]
        days.append(Day(date, digest.source_url, digest.path, tuple(p.arxiv_id for p in digest.papers), digest.unreadable))
        for paper in digest.papers:
            appearances.setdefault(paper.arxiv_id, []).append(Appearance(date, paper, digest.path))

    entries: dict[str, Entry] = {}
    for arxiv_id, found in appearances.items():
        newest_first = tuple(reversed(found))
        main = main_appearance(newest_first)
        classified = analyses[(main.date, arxiv_id)]
        if not classified.fields and taxonomy.fields:
            diagnostics.append(
                Diagnostic(
                    main.digest_path,
                    main.paper.line,
                    WARNING,
                    f"paper {arxiv_id} maps to no field; add an alias for its 应用领域 to taxonomy.yml",
                )
            )
        entries[arxiv_id] = Entry(arxiv_id, newest_first, main, classified.fields, classified.tags, classified.keywords, classified)

    by_field: dict[str, list[str]] = {}
    by_tag: dict[str, list[str]] = {}
    seen: set[str] = set()
    for day in reversed(days):
        for arxiv_id in day.paper_ids:
            if arxiv_id in seen:
                continue
            seen.add(arxiv_id)
            entry = entries[arxiv_id]
            for slug in entry.fields:
                by_field.setdefault(slug, []).append(arxiv_id)
            for slug in entry.tags:
                by_tag.setdefault(slug, []).append(arxiv_id)

    archive = Archive(
        taxonomy=taxonomy,
        entries=MappingProxyType(entries),
        days=tuple(days),
        papers_by_field=MappingProxyType({k: tuple(v) for k, v in by_field.items()}),
        papers_by_tag=MappingProxyType({k: tuple(v) for k, v in by_tag.items()}),
    )
    return archive, diagnostics
