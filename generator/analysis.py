"""What each paper yields on its own, computed once and kept in the memo.

Classification, related-paper terms, the names a paper is known by, the
tokens of its search entry and the text of its listing item depend only on
the paper's text and the taxonomy.
``analyze`` derives them together, so the words are segmented once, and
``parse_and_analyze`` parses digests and analyses their papers on every core
when there are many (a cold build). Later stages read the result from
``Entry.analysis`` instead of recomputing it, so adding a day analyses only
the new day's papers.
"""

from __future__ import annotations

import hashlib
from array import array
from typing import NamedTuple

from .links import name_tokens, names_of, paper_terms, paper_text
from .markdown import inline_text, plain_text
from .text import ITEM_LIMIT, shorten
from .memo import Memo
from .model import Diagnostic, Digest, Paper
from .parallel import map_chunks
from .parse import parse_bytes, parse_file
from .search import latin_terms, paper_search_tokens, snippet_of
from .taxonomy import Taxonomy
from .words import TOKEN_SEPARATOR, paper_texts, segment_texts

PARALLEL_MINIMUM = 600  # papers; below this, starting processes costs more than it saves
PAPERS_PER_DIGEST = 40  # about; for the same threshold counted in digests


class PaperAnalysis(NamedTuple):
    """What ``analyze`` derives, as few objects as possible.

    Long token lists are kept joined into one string each (and the term
    counts as one ``array('I')`` buffer): a year of papers then loads from
    the memo in a fraction of the time a million small strings would take.
    """

    fields: tuple[str, ...]
    tags: tuple[str, ...]
    keywords: tuple[str, ...]  # field phrases that map to no field or tag
    joined_terms: str  # related-paper terms, joined with TOKEN_SEPARATOR
    term_counts: bytes  # their counts, in the same order, as array('I') bytes
    names: tuple[str, ...]  # the short names other papers may mention it by
    joined_name_tokens: str  # candidate names in its own text, joined with TOKEN_SEPARATOR
    joined_search_tokens: tuple[str, ...]  # per search field (``search.FIELD_BOOSTS`` order), joined
    snippet: str
    item_title: str  # the title and the contribution as a listing page's item shows them
    item_text: str

    @property
    def terms(self) -> dict[str, int]:
        return dict(zip(split_tokens(self.joined_terms), array("I", self.term_counts)))

    @property
    def name_tokens(self) -> list[str]:
        return split_tokens(self.joined_name_tokens)

    @property
    def search_tokens(self) -> list[list[str]]:
        return [split_tokens(joined) for joined in self.joined_search_tokens]


def split_tokens(joined: str) -> list[str]:
    return joined.split(TOKEN_SEPARATOR) if joined else []


def memo_key(paper: Paper, taxonomy: Taxonomy) -> tuple:
    return ("paper", taxonomy.fingerprint, paper.fingerprint)


def analyze(paper: Paper, taxonomy: Taxonomy) -> PaperAnalysis:
    classified = taxonomy.classify(paper.field_text, paper.title, paper.contribution)
    contribution_text = plain_text(paper.contribution)
    texts = paper_texts(paper, contribution_text)
    words = segment_texts(texts)
    title_terms = latin_terms(paper.title)
    terms = paper_terms(paper, words, texts, title_terms)
    return PaperAnalysis(
        fields=classified.fields,
        tags=classified.tags,
        keywords=classified.keywords,
        joined_terms=TOKEN_SEPARATOR.join(terms),
        term_counts=array("I", terms.values()).tobytes(),
        names=tuple(names_of(paper.title, paper.contribution)),
        joined_name_tokens=TOKEN_SEPARATOR.join(name_tokens(paper_text(paper))),
        joined_search_tokens=tuple(
            TOKEN_SEPARATOR.join(tokens) for tokens in paper_search_tokens(paper, words, classified.fields, classified.tags, taxonomy, title_terms)
        ),
        snippet=snippet_of(paper, contribution_text),
        item_title=inline_text(shorten(paper.title, ITEM_LIMIT)),
        item_text=inline_text(shorten(contribution_text, ITEM_LIMIT)),
    )


def parse_input(path, data: bytes | None) -> tuple[Digest | None, list[Diagnostic]]:
    if data is None:
        return parse_file(path)  # unreadable: parse_file reports why, as `check` does
    return parse_bytes(data, str(path))


# What the forked workers read: set before forking, so they inherit it.
_taxonomy: Taxonomy | None = None


def _parse_and_analyze_chunk(inputs: list) -> list:
    out = []
    for path, data in inputs:
        digest, diagnostics = parse_input(path, data)
        papers = digest.papers if digest is not None else ()
        analyses = [analyze(paper, _taxonomy) for paper in papers]
        for paper in papers:
            paper.fingerprint  # noqa: B018 - the memo key, cached on the paper: it travels back computed
        out.append((digest, diagnostics, analyses))
    return out


def _analyze_chunk(papers: list[Paper]) -> list[PaperAnalysis]:
    return [analyze(paper, _taxonomy) for paper in papers]


def parse_and_analyze(inputs: list, taxonomy: Taxonomy, memo: Memo) -> list[tuple[Digest | None, list[Diagnostic]]]:
    """Each input parsed (or taken from the memo), and every paper's analysis put in the memo.

    ``inputs``: ``(path, bytes)`` pairs, bytes None for a file that could not be read.
    """
    global _taxonomy
    keys = [parse_key(path, data) for path, data in inputs]
    todo = [number for number, key in enumerate(keys) if key is None or key not in memo]
    _taxonomy = taxonomy
    try:
        parsed = map_chunks(_parse_and_analyze_chunk, [inputs[number] for number in todo], max(1, PARALLEL_MINIMUM // PAPERS_PER_DIGEST))
        fresh = dict(zip(todo, parsed))
        results = []
        for number, key in enumerate(keys):
            if number not in fresh:
                results.append(memo.get(key, lambda item=inputs[number]: parse_input(*item)))
                continue
            digest, diagnostics, analyses = fresh[number]
            for paper, analysis in zip(digest.papers if digest else (), analyses):
                memo.put(memo_key(paper, taxonomy), analysis)
            if key is not None:
                memo.put(key, (digest, diagnostics))
            results.append((digest, diagnostics))
        # Papers of remembered digests without a remembered analysis (the taxonomy changed).
        missing = {memo_key(p, taxonomy): p for digest, _ in results if digest for p in digest.papers}
        missing = [paper for key, paper in missing.items() if key not in memo]
        for paper, analysis in zip(missing, map_chunks(_analyze_chunk, missing, PARALLEL_MINIMUM)):
            memo.put(memo_key(paper, taxonomy), analysis)
    finally:
        _taxonomy = None
    return results


def parse_key(path, data: bytes | None) -> tuple | None:
    """The memo key of a parsed digest: its path and the hash of its bytes (None: unreadable)."""
    return None if data is None else ("parse", str(path), hashlib.sha1(data).hexdigest())
