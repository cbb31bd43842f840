"""What each paper yields on its own: its fields and tags, words, terms and names.

Everything here depends only on the paper's text and the taxonomy, so the
build keeps a digest's analyses in its memo beside the parsed digest (keyed
by the digest's bytes) and adding a day analyses only the new day's papers.
Later stages read ``Entry.analysis`` instead of recomputing it: related
papers its ``terms``, mentions its ``names`` and ``name_tokens``, the search
index its title words, ``title_terms`` and ``text_tokens``, listings its
``item_title`` and ``item_text``.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass

from .markdown import inline_text, plain_text
from .model import PART_TITLES, Digest, Paper
from .taxonomy import Taxonomy
from .text import ITEM_LIMIT, shorten
from .tokens import han_words, latin_terms, name_like_terms, name_tokens, unique

INNOVATIONS_CHARS = 240  # the start of the innovations is segmented: it names the method
SNIPPET_LENGTH = 64
# The proposal verbs of a contribution before the name it proposes ("提出了 FlowAct-R1").
_PROPOSED_NAME = re.compile(
    r"(?:提出了?|推出了?|名为|称为|构建了?)\s*(?:一种|一个|了)?\s*(?:名为)?\s*[“\"]?([A-Za-z][A-Za-z0-9^+_.\-]*[A-Za-z0-9+])"
)
# Capitalised words that titles use as names but readers use as words.
ORDINARY_WORDS = frozenset(
    """a an the towards toward beyond rethinking revisiting scaling learning memory attention reasoning
    vision language model models agent agents benchmark dataset survey thinking think generation video image
    unified simple efficient fast large small deep neural diffusion transformer transformers""".split()
)


def interned(tokens) -> tuple[str, ...]:
    """The tokens as one shared string each: papers share most of their words.

    A year's papers hold millions of tokens from a vocabulary of some
    hundred thousand; a string object per occurrence made the analyses
    two thirds of a full build's memory. The memo pickles a digest's
    analyses together, so a word stays one string within each digest read
    back (re-interning every digest's words on reading saves little more
    and costs seconds).
    """
    return tuple(map(sys.intern, tokens))


@dataclass(frozen=True)
class PaperWords:
    """The Chinese words of a paper, by where they stand."""

    title: tuple[str, ...]
    summary: tuple[str, ...]  # the one-sentence contribution and the application field
    innovations: tuple[str, ...]  # the start of the innovations part


@dataclass(frozen=True)
class PaperAnalysis:
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    keywords: tuple[str, ...]  # field phrases that map to no field or tag
    words: PaperWords
    title_terms: tuple[str, ...]  # Latin terms of the title
    terms: dict[str, int]  # what related papers are scored on: words and Latin terms with counts
    # The search index's text field, each token once: the summary's words, the Chinese words of every
    # part and extra part, and the name-like Latin terms of the report's parts and heading.
    text_tokens: tuple[str, ...]
    part_texts: tuple[tuple[str, str], ...]  # (heading, plain text) of each part and extra part, for search snippets
    names: tuple[str, ...]  # the short names other papers may mention it by
    name_tokens: tuple[str, ...]  # candidate names in its own text
    snippet: str  # the start of the contribution, for search results
    item_title: str  # the title and the contribution as a listing shows them (inline Markdown)
    item_text: str


@dataclass(frozen=True)
class AnalysedDigest:
    """A parsed digest with the analysis of each of its papers, in order."""

    digest: Digest
    analyses: tuple[PaperAnalysis, ...]


def analyze_digest(digest: Digest, taxonomy: Taxonomy) -> AnalysedDigest:
    return AnalysedDigest(digest, tuple(analyze(paper, taxonomy) for paper in digest.papers))


def analyze(paper: Paper, taxonomy: Taxonomy) -> PaperAnalysis:
    classified = taxonomy.classify(paper.field_text, paper.title, paper.contribution, paper.part("innovations"))
    contribution = plain_text(paper.contribution)
    summary = contribution + " " + paper.field_text
    innovations = paper.part("innovations")[:INNOVATIONS_CHARS]
    words = PaperWords(interned(han_words(paper.title)), interned(han_words(summary)), interned(han_words(innovations)))
    title_terms = interned(latin_terms(paper.title))
    body = "\n".join(part.body for part in paper.parts + paper.extra)
    part_texts = tuple(
        (PART_TITLES.get(part.key) or plain_text(part.heading), plain_text(part.body)) for part in paper.parts + paper.extra
    )
    return PaperAnalysis(
        fields=classified.fields,
        tags=classified.tags,
        keywords=classified.keywords,
        words=words,
        title_terms=title_terms,
        part_texts=part_texts,
        terms=_interned_keys(related_terms(words, title_terms, latin_terms(summary + " " + innovations))),
        text_tokens=interned(unique([
            *words.summary,
            *han_words("\n".join(text for _, text in part_texts)),
            *name_like_terms(body + " " + paper.report_title),
        ])),
        names=interned(names_of(paper.title, paper.contribution)),
        name_tokens=interned(name_tokens(paper.title + "\n" + body)),
        snippet=contribution if len(contribution) <= SNIPPET_LENGTH else contribution[:SNIPPET_LENGTH] + "…",
        item_title=inline_text(shorten(paper.title, ITEM_LIMIT)),
        item_text=inline_text(shorten(contribution, ITEM_LIMIT)),
    )


def _interned_keys(counts: dict[str, int]) -> dict[str, int]:
    return dict(zip(interned(counts), counts.values()))


def related_terms(words: PaperWords, title_terms, other_terms) -> Counter:
    """Words and Latin terms of the title (counted twice), the summary and the start of the innovations."""
    return Counter([*words.title, *words.title, *words.summary, *words.innovations, *title_terms, *title_terms, *other_terms])


def is_linkable_name(name: str) -> bool:
    """Whether a name is distinctive enough to link where another paper writes it."""
    if not name or " " in name or name.lower() in ORDINARY_WORDS:
        return False
    has_digit_or_hyphen = any(c.isdigit() for c in name) or "-" in name
    if len(name) < 4 and not has_digit_or_hyphen:
        return False
    # A plain capitalised word ("Memory") reads as a word; names mix case, digits or hyphens.
    return has_digit_or_hyphen or any(c.isupper() for c in name[1:]) or name.isupper()


def names_of(title: str, contribution: str) -> list[str]:
    """The name before the colon of the title, and the name the contribution says it proposes."""
    names = []
    head, sep, _ = title.partition(":")
    if sep and is_linkable_name(head.strip()):
        names.append(head.strip())
    for match in _PROPOSED_NAME.finditer(contribution):
        if is_linkable_name(match.group(1)) and match.group(1) not in names:
            names.append(match.group(1))
    return names
