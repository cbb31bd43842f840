"""Links between papers: related papers and mentions across days.

Related papers: each paper is a sparse tf-idf vector of jieba words and
Latin terms from its title, contribution and innovations; candidates come
from inverted lists truncated to the strongest postings per term (so the work
stays linear in the archive size), are scored by cosine similarity blended
with shared fields and tags, and the best five are kept, ties broken by id.

Mentions: a paper's short name (the name before the colon of its title, or
the name its contribution says it proposes) found in another paper's text,
exact, case-sensitive and word-bounded. Names that are ordinary words, or
shorter than 4 characters without a digit or hyphen, are never linked.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from .memo import Memo
from .parallel import map_chunks
from .search import latin_terms
from .words import PaperWords, paper_texts, words_of

RELATED_COUNT = 5
POSTINGS_PER_TERM = 20  # strongest papers kept per term
TERMS_PER_PAPER = 14  # strongest terms of a paper
FIELD_WEIGHT = 0.06
TAG_WEIGHT = 0.05

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
    """Word-bounded candidate names in a text, once each, trailing punctuation removed."""
    return list(dict.fromkeys(token.rstrip(".-_") for token in _NAME_TOKEN.findall(text)))


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


def link_archive(archive, memo: Memo | None = None) -> SiteLinks:
    memo = memo or Memo()
    entries = archive.entries
    words = words_of({i: e.latest for i, e in entries.items()}, memo)
    terms = {
        i: memo.get(("terms", e.latest.fingerprint), lambda e=e, i=i: paper_terms(e.latest, words[i]))
        for i, e in entries.items()
    }
    related = related_papers(terms, {i: e.fields for i, e in entries.items()}, {i: e.tags for i, e in entries.items()})
    names = {i: names_of(e.latest.title, e.latest.contribution) for i, e in entries.items()}
    tokens = {i: memo.get(("names", e.latest.fingerprint), lambda e=e: name_tokens(paper_text(e.latest))) for i, e in entries.items()}
    found = find_mentions(tokens, names)
    by_source: dict[str, list[Mention]] = defaultdict(list)
    by_target: dict[str, list[str]] = defaultdict(list)
    for mention in found:
        by_source[mention.source].append(mention)
        if mention.source not in by_target[mention.target]:
            by_target[mention.target].append(mention.source)
    newest = {i: (e.last_date, i) for i, e in entries.items()}
    return SiteLinks(
        related=related,
        mentions=MappingProxyType({k: tuple(v) for k, v in by_source.items()}),
        mentioned_by=MappingProxyType({k: tuple(sorted(v, key=lambda s: newest[s], reverse=True)) for k, v in by_target.items()}),
    )


def paper_terms(paper, words: PaperWords) -> Counter:
    """Words of the title (counted twice), the summary and the start of the innovations."""
    texts = paper_texts(paper)
    latin = latin_terms(texts[0]) * 2 + latin_terms(texts[1] + " " + texts[2])
    return Counter([*words.title, *words.title, *words.summary, *words.innovations, *latin])


def related_papers(
    terms: Mapping[str, Counter],
    fields: Mapping[str, tuple[str, ...]],
    tags: Mapping[str, tuple[str, ...]],
    count: int = RELATED_COUNT,
) -> Mapping[str, tuple[str, ...]]:
    """The ``count`` most related papers of each paper, deterministic.

    Similarity is the dot product of normalised tf-idf vectors accumulated
    over inverted lists that keep, per term, only its strongest papers, and
    only each paper's strongest terms: linear in the archive size. Shared
    fields and tags add a little, so papers of one topic rank together.
    """
    ids = sorted(terms)
    document_frequency = Counter(term for arxiv_id in ids for term in terms[arxiv_id])
    total = len(ids)
    strongest: dict[str, list[tuple[str, float]]] = {}
    postings: dict[str, list[tuple[float, str]]] = defaultdict(list)
    idf = {term: math.log((1 + total) / (1 + frequency)) for term, frequency in document_frequency.items()}
    for arxiv_id in ids:
        weights = {term: (1 + math.log(tf)) * idf[term] if tf > 1 else idf[term] for term, tf in terms[arxiv_id].items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vector = [(t, w / norm) for t, w in weights.items() if w > 0]
        strongest[arxiv_id] = heapq.nlargest(TERMS_PER_PAPER, vector, key=lambda kv: (kv[1], kv[0]))
        for term, weight in vector:
            postings[term].append((weight, arxiv_id))
    for term, posting in postings.items():
        if len(posting) > POSTINGS_PER_TERM:
            # Ties go to the older id, so a new day does not reshuffle old papers' lists.
            postings[term] = heapq.nsmallest(POSTINGS_PER_TERM, posting, key=lambda item: (-item[0], item[1]))

    by_field: dict[str, list[str]] = defaultdict(list)
    by_tag: dict[str, list[str]] = defaultdict(list)
    for arxiv_id in ids:
        for tag in tags.get(arxiv_id, ()):
            by_tag[tag].append(arxiv_id)
        for field in fields.get(arxiv_id, ()):
            by_field[field].append(arxiv_id)

    global _scoring
    _scoring = (ids, strongest, postings, fields, tags, by_field, by_tag, count)
    try:
        related = dict(map_chunks(_score_chunk, ids, PARALLEL_MINIMUM))
    finally:
        _scoring = None
    return MappingProxyType(related)


PARALLEL_MINIMUM = 2000  # papers; below this, one process is faster
_scoring = None  # what _score_chunk reads: set before forking, so workers inherit it


def _score_chunk(chunk: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    ids, strongest, postings, fields, tags, by_field, by_tag, count = _scoring
    out = []
    for arxiv_id in chunk:
        scores: dict[str, float] = defaultdict(float)
        for term, weight in strongest[arxiv_id]:
            for other_weight, other in postings[term]:
                scores[other] += weight * other_weight
        # Papers that share a rare tag are candidates even without shared words.
        for tag in sorted(tags.get(arxiv_id, ()), key=lambda t: (len(by_tag[t]), t))[:2]:
            for other in by_tag[tag][:POSTINGS_PER_TERM]:
                scores[other] += 0.0
        scores.pop(arxiv_id, None)
        own_fields = set(fields.get(arxiv_id, ()))
        own_tags = set(tags.get(arxiv_id, ()))
        scored = []
        for other, similarity in scores.items():
            similarity += FIELD_WEIGHT * len(own_fields.intersection(fields.get(other, ())))
            similarity += TAG_WEIGHT * len(own_tags.intersection(tags.get(other, ())))
            if similarity > 0:
                scored.append((-round(similarity, 9), other))
        chosen = [other for _, other in heapq.nsmallest(count, scored)]
        if len(chosen) < count:
            # Too few papers share words: fall back to papers of the same fields, then any.
            pool = [o for f in sorted(own_fields) for o in by_field[f][: count * 4]] + ids[: count * 4]
            for other in pool:
                if len(chosen) >= count:
                    break
                if other != arxiv_id and other not in chosen:
                    chosen.append(other)
        out.append((arxiv_id, tuple(chosen)))
    return out
