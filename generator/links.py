"""Links between papers: related papers, and mentions across days.

Mentions: a paper's short name (``analysis.names_of``: the name before the
colon of its title, or the name its contribution says it proposes) found
among another paper's name tokens, exact and case-sensitive. A name two
papers share belongs to the older id. Related papers are scored in
``related``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from .archive import Archive
from .related import related_of_archive


@dataclass(frozen=True)
class Mention:
    source: str  # the paper whose text names the other
    target: str  # the paper named
    name: str


@dataclass(frozen=True)
class SiteLinks:
    related: Mapping[str, tuple[str, ...]]
    mentions: Mapping[str, tuple[Mention, ...]]  # by the paper whose text names others
    mentioned_by: Mapping[str, tuple[str, ...]]  # by the paper named: who names it, newest first

    @staticmethod
    def empty() -> "SiteLinks":
        return SiteLinks(MappingProxyType({}), MappingProxyType({}), MappingProxyType({}))


def find_mentions(tokens: Mapping[str, tuple[str, ...]], names: Mapping[str, tuple[str, ...]]) -> tuple[Mention, ...]:
    """Every (source, target, name) where a paper's text names another paper."""
    owner: dict[str, str] = {}
    for arxiv_id in sorted(names):
        for name in names[arxiv_id]:
            owner.setdefault(name, arxiv_id)
    mentions: list[Mention] = []
    for source in sorted(tokens):
        for token in tokens[source]:
            target = owner.get(token)
            if target and target != source:
                mentions.append(Mention(source, target, token))
    return tuple(mentions)


def link_archive(archive: Archive) -> SiteLinks:
    """Related papers and mentions of every paper of the archive."""
    entries = archive.entries
    found = find_mentions({i: e.analysis.name_tokens for i, e in entries.items()}, {i: e.analysis.names for i, e in entries.items()})
    by_source: dict[str, list[Mention]] = defaultdict(list)
    by_target: dict[str, list[str]] = defaultdict(list)
    for mention in found:
        by_source[mention.source].append(mention)
        if mention.source not in by_target[mention.target]:
            by_target[mention.target].append(mention.source)
    newest = {i: (e.last_date, i) for i, e in entries.items()}
    return SiteLinks(
        related=MappingProxyType(dict(related_of_archive(archive))),
        mentions=MappingProxyType({k: tuple(v) for k, v in by_source.items()}),
        mentioned_by=MappingProxyType({k: tuple(sorted(v, key=lambda s: newest[s], reverse=True)) for k, v in by_target.items()}),
    )
