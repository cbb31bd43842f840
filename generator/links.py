"""Links between papers: related papers and mentions across days.

Related papers: the terms of each paper (``paper_terms``: jieba words and
Latin terms of its title, contribution and innovations), scored against
every other paper's in ``related``.

Mentions: a paper's short name (the name before the colon of its title, or
the name its contribution says it proposes) found in another paper's text,
exact, case-sensitive and word-bounded. Names that are ordinary words, or
shorter than 4 characters without a digit or hyphen, are never linked.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from .search import latin_terms
from .words import PaperWords, paper_texts


_NAME_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9^+_.\-]*[A-Za-z0-9+]|[A-Za-z0-9]")
_PROPOSED_NAME = re.compile(r"(?:提出了?|推出了?|名为|称为|构建了?)\s*(?:一种|一个|了)?\s*(?:名为)?\s*[“\"]?([A-Za-z][A-Za-z0-9^+_.\-]*[A-Za-z0-9+])")
# Capitalised words that titles use as names but readers use as words.
ORDINARY_WORDS = frozenset(
    """a an the towards toward beyond rethinking revisiting scaling learning memory attention reasoning
    vision language model models agent agents benchmark dataset survey thinking think generation video image
    unified simple efficient fast large small deep neural diffusion transformer transformers""".split()
)


def is_linkable_name(name: str) -> bool:
    if not name or " " in name or name.lower() in ORDINARY_WORDS:
        return False
    has_digit_or_hyphen = any(c.isdigit() for c in name) or "-" in name
    if len(name) < 4 and not has_digit_or_hyphen:
        return False
    # A plain capitalised word ("Memory") reads as a word; names mix case, digits or hyphens.
    return has_digit_or_hyphen or any(c.isupper() for c in name[1:]) or name.isupper()


def names_of(title: str, contribution: str) -> list[str]:
    names = []
    head, sep, _ = title.partition(":")
    if sep and is_linkable_name(head.strip()):
        names.append(head.strip())
    for match in _PROPOSED_NAME.finditer(contribution):
        if is_linkable_name(match.group(1)) and match.group(1) not in names:
            names.append(match.group(1))
    return names


@dataclass(frozen=True)
class Mention:
    source: str  # the paper whose text names the other
    target: str  # the paper named
    name: str


def find_mentions(tokens: Mapping[str, list[str]], names: Mapping[str, list[str]]) -> tuple[Mention, ...]:
    """Every (source, target, name) where a paper's text names another paper."""
    owner: dict[str, str] = {}
    for arxiv_id in sorted(names):
        for name in names[arxiv_id]:
            owner.setdefault(name, arxiv_id)  # a name two papers share belongs to the older id
    mentions: list[Mention] = []
    for source in sorted(tokens):
        for token in tokens[source]:
            target = owner.get(token)
            if target and target != source:
                mentions.append(Mention(source, target, token))
    return tuple(mentions)


def name_tokens(text: str) -> list[str]:
    """Word-bounded candidate names in a text, once each.

    A token of ``_NAME_TOKEN`` never ends in ``.``, ``-`` or ``_`` (``M^4olGen.`` gives ``M^4olGen``).
    """
    return list(dict.fromkeys(_NAME_TOKEN.findall(text)))


def paper_text(paper) -> str:
    return "\n".join([paper.title, *(part.body for part in paper.parts + paper.extra)])


@dataclass(frozen=True)
class SiteLinks:
    related: Mapping[str, tuple[str, ...]]
    mentions: Mapping[str, tuple[Mention, ...]]  # by the paper whose text names others
    mentioned_by: Mapping[str, tuple[str, ...]]  # by the paper named: who names it, newest first

    @staticmethod
    def empty() -> "SiteLinks":
        return SiteLinks(MappingProxyType({}), MappingProxyType({}), MappingProxyType({}))


def link_archive(archive, related=None) -> SiteLinks:
    """Mentions, and related papers: ``related_from_analyses``, unless ``related``
    has them already (a mapping, or a function that returns it, called only
    after the mentions are found: it may be waiting for another process)."""
    entries = archive.entries
    names = {i: e.analysis.names for i, e in entries.items()}
    tokens = {i: e.analysis.name_tokens for i, e in entries.items()}
    found = find_mentions(tokens, names)
    by_source: dict[str, list[Mention]] = defaultdict(list)
    by_target: dict[str, list[str]] = defaultdict(list)
    for mention in found:
        by_source[mention.source].append(mention)
        if mention.source not in by_target[mention.target]:
            by_target[mention.target].append(mention.source)
    newest = {i: (e.last_date, i) for i, e in entries.items()}
    if related is None:
        from .related import related_from_analyses  # numpy loads only where related papers are scored

        related = related_from_analyses(entries)
    elif callable(related):
        related = related()
    return SiteLinks(
        related=MappingProxyType(dict(related)),
        mentions=MappingProxyType({k: tuple(v) for k, v in by_source.items()}),
        mentioned_by=MappingProxyType({k: tuple(sorted(v, key=lambda s: newest[s], reverse=True)) for k, v in by_target.items()}),
    )


def paper_terms(
    paper, words: PaperWords, texts: tuple[str, str, str] | None = None, title_terms: list[str] | None = None
) -> Counter:
    """Words of the title (counted twice), the summary and the start of the innovations.

    ``texts``, ``title_terms``: the paper's ``paper_texts`` and the
    ``latin_terms`` of its title, when the caller has them already.
    """
    texts = texts or paper_texts(paper)
    title_terms = latin_terms(texts[0]) if title_terms is None else title_terms
    latin = title_terms * 2 + latin_terms(texts[1] + " " + texts[2])
    return Counter([*words.title, *words.title, *words.summary, *words.innovations, *latin])
