"""The prebuilt search index, shared by the site and the terminal.

One compact entry per paper: the title, the arXiv id, the short name, the
tags and fields, the Chinese words of the title, field line and contribution
(segmented with jieba's dictionary at build time), and the Latin-script terms of the whole
report (method, model and dataset names such as ``GRPO`` or ``MIMIC-IV``).
The index is lunr's (2.3.9) without position metadata, split into shards by
month, newest first, so the browser can answer from the newest shard while
older ones load. Each shard is a script assigning a global, which loads from
``file://`` as well.

Tokens are produced here, not by lunr's tokenizer, once per field, and both
pipelines are empty; so every term frequency is 1 and lunr's field vectors
follow from the postings. A shard therefore stores only the postings
(``compact_index``); lunr.js in the browser and the Python ``lunr`` package
in the terminal load ``expand_index``'s output with ``Index.load``, and a test
proves that output equals what the Python ``lunr`` builder makes of the same
documents (``build_lunr_index``), which would be slower to build. The browser worker
(``templates/theme/assets/javascripts/search-worker.js``) and
``search_archive`` normalise queries the same way (``query_terms``).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths
from .markdown import plain_text
from .words import HAN, HAN_RUN, PaperWords, han_words

if TYPE_CHECKING:  # the archive's entries carry each paper's search tokens (analysis imports this module)
    from .archive import Archive, Entry

SEARCH_DIR = paths.SEARCH
MANIFEST = f"{SEARCH_DIR}/manifest.js"
SNIPPET_LENGTH = 64
FIELD_BOOSTS = {"id": 50, "name": 30, "title": 10, "keys": 6, "text": 1}
INDEX_VERSION = 1

# A letter, or digits then a letter, then letters and digits, then compound
# parts (``DINOv2``, ``3D``, ``MIMIC-IV``). Written to start with a character
# set, which lets the regex engine skip to the next letter or digit in C,
# across the Han text between terms.
_LATIN_TERM = re.compile(r"[0-9A-Za-z](?:(?<=[A-Za-z])|[0-9]*[A-Za-z])[A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*")
_ARXIV_ID = re.compile(r"\d{4}\.\d{4,5}")
# Frequent English words that carry no meaning as search terms.
_STOP_WORDS = frozenset(
    "a an and are as at be by for from in into is it of on or the to via with without towards toward we our this that".split()
)

_COMPOUND_SEPARATOR = re.compile(r"[-_.]")


def _nfkc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFKC", text)  # ASCII is its own NFKC form


# Punctuation Chinese reports are full of that NFKC maps to no letter, digit
# or ``._-`` (fullwidth ``，`` becomes ``,``) and that never combines with a
# neighbour: before and after normalising it ends a Latin term as a space does.
TERM_NEUTRAL = "，。（）：；、“”‘’《》【】「」『』！？—–·→×≈"
_NOT_NEUTRAL = re.compile(f"[^\\x00-\\x7f{HAN}{TERM_NEUTRAL}]")


def _latin_view(text: str) -> str:
    """The text as far as Latin terms go: NFKC (fullwidth ``ＧＲＰＯ`` is ``GRPO``), Han runs as spaces.

    Han characters never belong to a Latin term and end one as a space does;
    dropping them first makes the normalisation of a Chinese report a
    fraction of the work. A text of ASCII, Han and ``TERM_NEUTRAL``
    punctuation alone (most reports) has the same Latin terms as its view and
    is read as it is.
    """
    if text.isascii() or not _NOT_NEUTRAL.search(text):
        return text
    return unicodedata.normalize("NFKC", HAN_RUN.sub(" ", text))


def latin_terms(text: str) -> list[str]:
    """Latin-script terms, lowercased, with compound names and their parts."""
    return _normalised_terms(_LATIN_TERM.findall(_latin_view(text)))


def _normalised_terms(matches) -> list[str]:
    """Matches of ``_LATIN_TERM`` lowercased, without stop words, compounds followed by their parts.

    A match starts and ends with a letter or digit, holds no space and only
    ASCII: the matches are lowercased together, and only a match with a
    separator in it (``mimic-iv``) is split.
    """
    terms: list[str] = []
    for word in " ".join(matches).lower().split(" "):
        if word in _STOP_WORDS or not word:
            continue
        terms.append(word)
        if not word.isalnum():
            terms += [part for part in _COMPOUND_SEPARATOR.split(word) if part not in _STOP_WORDS]
    return terms


# A term that looks like a name: two characters or more, with a capital after
# the first, or a digit, or a hyphen (``GRPO``, ``DINOv2``, ``MIMIC-IV``, ``A100``).
_NAME_LIKE = re.compile(r"(?=..)(?:.+[A-Z]|.*[0-9-])")


def name_like_terms(text: str) -> list[str]:
    """Latin terms that look like names (``GRPO``, ``DINOv2``, ``MIMIC-IV``, ``A100``), lowercased."""
    return _normalised_terms(filter(_NAME_LIKE.match, _LATIN_TERM.findall(_latin_view(text))))


def query_terms(query: str) -> tuple[list[str], list[str], list[str]]:
    """Split a query into arXiv ids, Latin terms and Han runs (segmented later against the index)."""
    query = _nfkc(query)
    ids = _ARXIV_ID.findall(query)
    rest = _ARXIV_ID.sub(" ", query)
    return ids, latin_terms(rest), HAN_RUN.findall(rest)


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


@dataclass(frozen=True)
class IndexDocument:
    ref: str
    arxiv_id: str
    title: str
    snippet: str
    date: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    tokens: dict


def paper_search_tokens(
    paper, words: PaperWords, fields: tuple[str, ...], tags: tuple[str, ...], taxonomy, title_terms: list[str] | None = None
) -> tuple[tuple[str, ...], ...]:
    """A paper's tokens per search field, in ``FIELD_BOOSTS`` order, each token once.

    ``title_terms``: ``latin_terms(paper.title)``, when the caller has them already.
    """
    body = "\n".join(part.body for part in paper.parts + paper.extra)
    names = tuple(taxonomy.field(s).zh for s in fields) + tuple(taxonomy.tag(s).zh for s in tags)
    names_en = tuple(taxonomy.field(s).en for s in fields) + tuple(taxonomy.tag(s).en for s in tags)
    tokens = {
        "id": [paper.arxiv_id],
        "name": _unique(latin_terms(paper.short_name)) if paper.short_name else [],
        "title": _unique((latin_terms(paper.title) if title_terms is None else title_terms) + list(words.title)),
        "keys": _names_tokens(names, names_en),
        "text": _unique(list(words.summary) + name_like_terms(body + " " + paper.report_title)),
    }
    return tuple(tuple(tokens[name]) for name in FIELD_BOOSTS)


@lru_cache(maxsize=4096)
def _names_tokens(names: tuple[str, ...], names_en: tuple[str, ...]) -> list[str]:
    """The tokens of a paper's field and tag names; papers share a few hundred combinations."""
    return _unique(_names_words(names) + latin_terms(" ".join(names_en)) + list(names))


def snippet_of(paper, contribution_text: str | None = None) -> str:
    """The start of the contribution as plain text (``contribution_text``, when the caller has it)."""
    contribution = plain_text(paper.contribution) if contribution_text is None else contribution_text
    return contribution if len(contribution) <= SNIPPET_LENGTH else contribution[:SNIPPET_LENGTH] + "…"


def document_for(entry: Entry, ref: str) -> IndexDocument:
    paper = entry.latest
    analysis = entry.analysis
    tokens = {name: list(values) for name, values in zip(FIELD_BOOSTS, analysis.search_tokens)}
    return IndexDocument(ref, entry.arxiv_id, paper.title, analysis.snippet, entry.first_date, entry.fields, entry.tags, tokens)


@lru_cache(maxsize=4096)
def _names_words(names: tuple[str, ...]) -> list[str]:
    return han_words(" ".join(names))


def shard_of(date: str) -> str:
    """The shard a paper's index entry lives in: its month (``2026-01``).

    A month (about 1,200 papers) loads in a few hundred milliseconds, so the
    newest shard answers the first query quickly while older ones follow.
    """
    return paths.month_of(date)


K1 = 1.2
B = 0.75


def compact_index(documents: list[IndexDocument]) -> dict:
    """The shard's lunr index without what can be derived from it.

    Every field holds each token once, so a term's frequency is always 1 and
    lunr's field vectors follow from the postings and the field lengths:
    ``expand_index`` recomputes them exactly as lunr's builder does. What is
    stored is only the sorted terms with, per field, the documents holding
    them, and each document's field lengths.
    """
    fields = list(FIELD_BOOSTS)
    # One posting table a field: a shard's hundred thousand tokens are each one lookup.
    postings: list[defaultdict[str, list[int]]] = [defaultdict(list) for _ in fields]
    lengths = []
    for number, document in enumerate(documents):
        row = []
        for name, field_postings in zip(fields, postings):
            tokens = document.tokens[name]
            row.append(len(tokens))
            for token in tokens:
                field_postings[token].append(number)
        lengths.append(row)
    # lunr.js inserts terms in UTF-16 order; Python would sort by code point.
    terms = sorted(set().union(*postings), key=lambda term: term.encode("utf-16-be"))
    return {
        "fields": fields,
        "boosts": [FIELD_BOOSTS[name] for name in fields],
        "lengths": lengths,
        "terms": [[term, *[field_postings.get(term) or 0 for field_postings in postings]] for term in terms],
    }


def expand_index(compact: dict) -> dict:
    """A compact shard index as the lunr serialization ``Index.load`` reads."""
    fields, boosts, lengths = compact["fields"], compact["boosts"], compact["lengths"]
    count = len(lengths)
    average = [sum(row[i] for row in lengths) / count if count else 0 for i in range(len(fields))]
    inverted = []
    vectors: dict[tuple[int, int], list] = {(d, f): [] for d in range(count) for f in range(len(fields))}
    for term_index, (term, *per_field) in enumerate(compact["terms"]):
        posting: dict = {"_index": term_index}
        frequency = sum(len(refs) for refs in per_field if refs)
        idf = math.log(1 + abs((count - frequency + 0.5) / (frequency + 0.5)))
        for f, refs in enumerate(per_field):
            posting[fields[f]] = {str(ref): {} for ref in refs or ()}
            for ref in refs or ():
                norm = K1 * (1 - B + B * (lengths[ref][f] / average[f])) + 1
                vectors[(ref, f)].extend((term_index, round(idf * (K1 + 1) / norm * boosts[f], 3)))
        inverted.append([term, posting])
    return {
        "version": "2.3.9",
        "fields": fields,
        "fieldVectors": [[f"{fields[f]}/{d}", vectors[(d, f)]] for d in range(count) for f in range(len(fields))],
        "invertedIndex": inverted,
        "pipeline": [],
    }


def build_lunr_index(documents: list[IndexDocument]) -> dict:
    """The same index built by the Python lunr package (the reference for ``expand_index``)."""
    from lunr import lunr
    from lunr.builder import Builder

    index = lunr(
        ref="ref",
        fields=[
            dict(field_name=name, boost=boost, extractor=(lambda doc, name=name: doc["tokens"][name]))
            for name, boost in FIELD_BOOSTS.items()
        ],
        documents=[{"ref": d.ref, "tokens": d.tokens} for d in documents],
        builder=Builder(),  # empty pipelines: tokens are already normalised
    )
    return index.serialize()


def render_search_files(archive: Archive, reusable: dict[str, str] | None = None, part: tuple[int, int] = (0, 1)):
    """Shard scripts and a manifest, as a ``Rendered`` (``{docs-relative path: text}``).

    A shard whose papers did not change (same key in ``reusable``) is kept,
    not rebuilt: adding a day rebuilds the newest month only. ``part=(k, n)``:
    only every n-th shard from the k-th, newest first, and the manifest only
    with k = 0, so that n processes can share the work.
    """
    from .render import Rendered

    reusable = reusable or {}
    result = Rendered()
    by_shard: dict[str, list[Entry]] = {}
    for arxiv_id in archive.ids_newest_first():
        entry = archive.entries[arxiv_id]
        by_shard.setdefault(shard_of(entry.first_date), []).append(entry)
    shards = []
    share, parts = part
    for position, name in enumerate(sorted(by_shard, reverse=True)):
        entries = by_shard[name]
        shards.append({"name": name, "file": f"shard-{name}.js", "papers": len(entries)})
        if position % parts != share:
            continue
        path = f"{SEARCH_DIR}/shard-{name}.js"
        key = hashlib.sha1(
            repr((INDEX_VERSION, archive.taxonomy.fingerprint, [(e.arxiv_id, e.latest.fingerprint, e.fields, e.tags, e.first_date) for e in entries])).encode()
        ).hexdigest()
        result.keys[path] = key
        if reusable.get(path) == key:
            result.kept.add(path)
        else:
            documents = [document_for(entry, str(i)) for i, entry in enumerate(entries)]
            payload = {
                "version": INDEX_VERSION,
                "shard": name,
                "docs": [[d.arxiv_id, d.title, d.snippet, d.date, list(d.fields), list(d.tags)] for d in documents],
                "index": compact_index(documents),
            }
            result.pages[path] = _as_script("__paperSearchShard", payload)
    if share != 0:
        return result
    manifest = {
        "version": INDEX_VERSION,
        "shards": shards,
        "fields": {f.slug: f.zh for f in archive.taxonomy.fields},
        "tags": {t.slug: t.zh for t in archive.taxonomy.tags},
    }
    result.pages[MANIFEST] = _as_script("__paperSearchManifest", manifest)
    return result


def _as_script(variable: str, payload: dict) -> str:
    # A script that appends to a global array: loads through importScripts in a
    # worker and through a <script> tag from file:// alike. JSON.parse of a
    # string literal is faster to start than a JavaScript object literal.
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"(self.{variable}=self.{variable}||[]).push(JSON.parse({json.dumps(body, ensure_ascii=False)}));\n"


# -- reading the index back (terminal search) ---------------------------------------


def _read_script(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    start = text.index("JSON.parse(") + len("JSON.parse(")
    end = text.rindex("));")
    return json.loads(json.loads(text[start:end]))


@dataclass(frozen=True)
class SearchFilters:
    field: str | None = None
    tag: str | None = None
    since: str | None = None
    until: str | None = None

    def accept(self, doc: list) -> bool:
        _, _, _, date, fields, tags = doc
        if self.field and self.field not in fields:
            return False
        if self.tag and self.tag not in tags:
            return False
        if self.since and date < self.since:
            return False
        if self.until and date > self.until:
            return False
        return True


@dataclass(frozen=True)
class Hit:
    arxiv_id: str
    title: str
    score: float
    date: str


def segment(run: str, vocabulary) -> list[str]:
    """Longest match of a Han run against the index's words; unknown characters are dropped."""
    words: list[str] = []
    i = 0
    while i < len(run):
        for j in range(min(len(run), i + 12), i, -1):
            if run[i:j] in vocabulary:
                words.append(run[i:j])
                i = j
                break
        else:
            i += 1
    return words


def search_shard(index, query: str) -> list[tuple[str, float]]:
    from lunr.query import Query

    ids, latin, han = query_terms(query)
    vocabulary = index.inverted_index
    q = Query(index.fields)
    for arxiv_id in ids:
        q.term(arxiv_id, fields=["id"], boost=100)
    for term in _unique(latin):
        q.term(term, boost=10)
        if len(term) >= 3:
            q.term(term, wildcard=Query.WILDCARD_TRAILING, boost=1)
    for run in han:
        for word in segment(run, vocabulary):
            q.term(word, boost=5)
    if not q.clauses:
        return []
    return [(r["ref"], r["score"]) for r in index.query(q)]


def search_archive(docs: Path, query: str, limit: int = 10, filters: SearchFilters = SearchFilters()) -> list[Hit]:
    from lunr.index import Index

    search_dir = docs / SEARCH_DIR
    manifest = _read_script(search_dir / "manifest.js")
    hits: list[Hit] = []
    for shard in manifest["shards"]:
        payload = _read_script(search_dir / shard["file"])
        index = Index.load(expand_index(payload["index"]))
        for ref, score in search_shard(index, query):
            doc = payload["docs"][int(ref)]
            if filters.accept(doc):
                hits.append(Hit(doc[0], doc[1], score, doc[3]))
    hits.sort(key=lambda hit: (-hit.score, hit.date, hit.arxiv_id))
    return hits[:limit]
