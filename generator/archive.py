"""Merging parsed digests into one archive: papers by id, days, fields, tags.

A paper that appears in several digests becomes one entry that keeps every
appearance (newest first), so an older, differently worded summary is never
lost. Two digests of the same date are an error; the first (by path) wins.
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


@dataclass(frozen=True)
class Entry:
    """One paper of the archive with all its appearances, newest first."""

    arxiv_id: str
    appearances: tuple[Appearance, ...]
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    keywords: tuple[str, ...]
    analysis: PaperAnalysis  # of the latest appearance: terms, names and search tokens

    @property
    def latest(self) -> Paper:
        return self.appearances[0].paper

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
        """Earlier appearances whose summary differs from every newer one."""
        shown = [_content_key(self.latest)]
        kept = []
        for appearance in self.appearances[1:]:
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
        latest = newest_first[0].paper
        classified = analyses[(newest_first[0].date, arxiv_id)]
        if not classified.fields and taxonomy.fields:
            diagnostics.append(
                Diagnostic(
                    newest_first[0].digest_path,
                    latest.line,
                    WARNING,
                    f"paper {arxiv_id} maps to no field; add an alias for its 应用领域 to taxonomy.yml",
                )
            )
        entries[arxiv_id] = Entry(arxiv_id, newest_first, classified.fields, classified.tags, classified.keywords, classified)

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
