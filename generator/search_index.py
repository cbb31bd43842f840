"""The prebuilt search index that the site and the terminal load.

Every paper is indexed in full: its arXiv id, short name, title, field and
tag names, and the text of every part of its report (the five parts and any
extra ones), Chinese segmented with jieba's dictionary in search mode
(``tokens.han_words``) and the report's name-like Latin terms (``GRPO``,
``MIMIC-IV``). Scores are lunr's (2.3.9): BM25 per field, boosted per field.

The index is split by term, so what a query reads does not grow with the
archive (README, "Search"):

- ``search/manifest.js``: the number of papers and of buckets, the field
  names and boosts, and the taxonomy's names (a few kilobytes);
- ``search/t/<k>.js``, one bucket of terms: each term with its postings,
  ``(paper, field, weight)``, where the weight is exactly the entry of lunr's
  field vector for that term (``round(score, 3)``, stored in thousandths).
  A term's bucket is a hash of its key (``tokens.term_bucket``): the first two
  characters of a Chinese word, the first four letters of a Latin term, so a
  Han query run is segmented against the words of a bucket or two per word
  and a trailing wildcard (Latin terms of four letters or more) finds every
  term it expands to in one bucket. The
  number of buckets is a power of two chosen so that a bucket averages
  ``BUCKET_BYTES``; a term in more than ``MAX_POSTINGS`` fields of papers keeps
  its ``MAX_POSTINGS`` heaviest postings (ties: the newest papers);
- ``search/d/<n // 1000>/<n>.js``, one paper's metadata: id, title, date,
  fields, tags and the plain text of each part (at most ``PART_CHARS``
  characters a part), read only for the papers a query shows.

Papers are numbered oldest first (first date, then id), so on equal scores
the higher number, the newer paper, comes first. lunr scores a document as
``dot(query vector, field vector) / |query vector|`` summed over fields, so
an index holding only the query's terms, with the stored weights, scores
every paper as the whole index would: the browser worker and the terminal
(``search.search_archive``) build that small lunr index per query
(``lunr_index``) and run the same clauses on it, and a test proves the scores
equal to the Python ``lunr`` builder's over the whole sample archive.

Every file is a script pushing its payload onto a global array, so it loads
from ``file://`` (``importScripts`` in the worker, a ``<script>`` in the
offline frame) as well as over HTTP.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from . import paths
from .archive import Archive, Entry
from .taxonomy import Taxonomy
from .tokens import latin_terms, han_words, term_bucket, unique

SEARCH_DIR = paths.SEARCH
MANIFEST = f"{SEARCH_DIR}/manifest.js"
FIELD_BOOSTS = {"id": 50, "name": 30, "title": 10, "keys": 6, "text": 1}
FIELDS = tuple(FIELD_BOOSTS)
INDEX_VERSION = 2
BUCKET_BYTES = 32_000  # the mean size a bucket is aimed at
MAX_POSTINGS = 500  # postings a term keeps: its heaviest (single-term answers stay exact)
PART_CHARS = 160  # characters of a part's text kept for snippets: a part's opening, where most matches fall
DOCS_PER_FOLDER = 1_000
POSTINGS_CHUNK = 1 << 20  # postings weighed, or encoded, at a time
K1 = 1.2
B = 0.75
# Postings are a string of base-32 varints (5 bits a character, low group first):
# the second half of the alphabet marks a group that more groups follow.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_DIGIT = {c: i for i, c in enumerate(ALPHABET)}
_ALPHABET_BYTES = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)


@dataclass(frozen=True)
class IndexDocument:
    ref: str
    arxiv_id: str
    title: str
    date: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    parts: tuple[tuple[str, str], ...]
    tokens: dict


def document_tokens(entry: Entry, taxonomy: Taxonomy) -> dict[str, Sequence[str]]:
    """A paper's tokens per search field, in ``FIELD_BOOSTS`` order, each token once."""
    paper, analysis = entry.main, entry.analysis
    names = tuple(taxonomy.field(s).zh for s in entry.fields) + tuple(taxonomy.tag(s).zh for s in entry.tags)
    names_en = tuple(taxonomy.field(s).en for s in entry.fields) + tuple(taxonomy.tag(s).en for s in entry.tags)
    return {
        "id": [entry.arxiv_id],
        "name": unique(latin_terms(paper.short_name)) if paper.short_name else [],
        "title": unique([*analysis.title_terms, *analysis.words.title]),
        "keys": _names_tokens(names, names_en),
        "text": analysis.text_tokens,
    }


@lru_cache(maxsize=4096)
def _names_tokens(names: tuple[str, ...], names_en: tuple[str, ...]) -> list[str]:
    """The tokens of a paper's field and tag names; papers share a few hundred combinations."""
    return unique(han_words(" ".join(names)) + latin_terms(" ".join(names_en)) + list(names))


def document_for(entry: Entry, ref: str, taxonomy: Taxonomy) -> IndexDocument:
    parts = tuple((heading, _cut(text, PART_CHARS)) for heading, text in entry.analysis.part_texts if text)
    return IndexDocument(
        ref, entry.arxiv_id, entry.main.title, entry.first_date, entry.fields, entry.tags, parts,
        document_tokens(entry, taxonomy),
    )


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + "…"


def index_documents(archive: Archive) -> list[IndexDocument]:
    """Every paper's index document, numbered oldest first (first date, then arXiv id)."""
    entries = sorted(archive.entries.values(), key=lambda entry: (entry.first_date, entry.arxiv_id))
    return [document_for(entry, str(number), archive.taxonomy) for number, entry in enumerate(entries)]


def encoded_postings(documents: list[IndexDocument], limit: int | None = None) -> dict[str, str]:
    """``{term: postings}``: each term's postings (at most ``limit``) as ``decode_postings`` reads them.

    A posting is ``(paper, field, weight in thousandths)``: lunr's field vector
    entry (every field holds each token once, so every term frequency is 1 and
    the weight is lunr's builder's ``round(idf * (k1 + 1) / norm * boost, 3)``;
    a test compares them with ``build_lunr_index``). A term in more than
    ``limit`` fields keeps its heaviest postings, the newest on ties. They are
    weighed, cut and encoded as numpy arrays: a year holds millions, which as
    tuples would cost more in the garbage collector's passes over the heap than
    in computing them (tests/reference/search_index.py is the tuple version
    this must equal).
    """
    postings = _postings(documents, limit)
    spans = postings.spans()
    if not spans:
        return {}
    first = np.zeros(len(postings.papers), dtype=bool)
    first[[start for _, start, _ in spans]] = True
    previous = np.where(first, 0, np.r_[0, postings.papers[:-1]])
    # Each posting is two values, its code and its weight, encoded side by side.
    values = np.empty(2 * len(postings.papers), dtype=np.int64)
    values[0::2] = (postings.papers - previous) << 3 | postings.fields
    values[1::2] = postings.weights
    encoded = {}
    stops = np.array([stop for _, _, stop in spans])
    begin = 0
    while begin < len(spans):
        # A chunk of terms at a time bounds the arrays of characters.
        low = spans[begin][1]
        end = max(begin + 1, int(np.searchsorted(stops, low + POSTINGS_CHUNK, side="right")))
        high = spans[end - 1][2]
        text, ends = varints(values[2 * low:2 * high])
        for term, start, stop in spans[begin:end]:
            first_char = int(ends[2 * (start - low) - 1]) if start > low else 0
            encoded[term] = text[first_char:int(ends[2 * (stop - low) - 1])]
        begin = end
    return encoded


def varints(values: np.ndarray) -> tuple[str, np.ndarray]:
    """``values`` (none negative) as one string of varints, and where each value's characters end."""
    groups = np.ones(len(values), dtype=np.int64)
    rest = values >> 5
    while rest.any():
        groups += rest > 0
        rest >>= 5
    ends = np.cumsum(groups)
    owner = np.repeat(np.arange(len(values)), groups)
    place = np.arange(int(ends[-1]) if len(ends) else 0) - (ends - groups)[owner]  # the group's place in its value
    digits = (values[owner] >> (5 * place)) & 31
    digits |= np.where(place < groups[owner] - 1, 32, 0)  # more groups follow
    return _ALPHABET_BYTES[digits].tobytes().decode("ascii"), ends


@dataclass(frozen=True)
class _Postings:
    """Postings as arrays, by term (in order of first appearance), each term's by paper then field."""

    names: list[str]  # term names, by term number
    terms: "np.ndarray"
    papers: "np.ndarray"
    fields: "np.ndarray"
    weights: "np.ndarray"

    def spans(self) -> list[tuple[str, int, int]]:
        """(term, start, stop) of each term's postings."""
        if not len(self.terms):
            return []
        bounds = (np.flatnonzero(np.diff(self.terms)) + 1).tolist()
        starts, stops = [0, *bounds], [*bounds, len(self.terms)]
        return list(zip([self.names[term] for term in self.terms[starts].tolist()], starts, stops))


def _postings(documents: list[IndexDocument], limit: int | None) -> _Postings:
    """Every (term, paper, field, weight) of ``documents``, a term's ``limit`` heaviest at most.

    The weight depends only on the term's document frequency, the field and
    the field's length: each such triple is computed once, in Python's
    arithmetic (as lunr's builder rounds), and the postings look theirs up.
    Arrays are as narrow as their values allow and weighed a chunk at a time:
    five years hold tens of millions of postings before the cut.
    """
    count, field_count = len(documents), len(FIELDS)
    tokens: list[str] = []  # per posting, in the order read: by paper, then field
    lengths: list[int] = []  # per field of each paper
    for document in documents:
        for name in FIELDS:
            tokens += document.tokens[name]
            lengths.append(len(document.tokens[name]))
    empty = np.zeros(0, dtype=np.int32)
    if not tokens:
        return _Postings([], empty, empty, empty, empty)
    # Terms numbered in order of first appearance, looked up in C.
    vocabulary = {term: number for number, term in enumerate(dict.fromkeys(tokens))}
    terms = np.fromiter(map(vocabulary.__getitem__, tokens), dtype=np.int32, count=len(tokens))
    del tokens
    slot_lengths = np.array(lengths, dtype=np.int32)  # by paper * field_count + field
    papers = np.repeat(np.arange(count, dtype=np.int32), slot_lengths.reshape(count, field_count).sum(axis=1))
    fields = np.repeat(np.tile(np.arange(field_count, dtype=np.int8), count), slot_lengths)
    # A field's length by its rank among the lengths that occur: the table below stays small whatever one paper's length.
    length_of, length_rank = np.unique(slot_lengths, return_inverse=True)
    length = np.repeat(length_rank.reshape(-1).astype(np.int32), slot_lengths)
    average = [sum(lengths[f::field_count]) / count for f in range(field_count)]
    term_frequency = np.bincount(terms, minlength=len(vocabulary))
    # Each (frequency, field, length) that occurs is weighed once, in a table numbered densely:
    # (rank of the frequency among those that occur, field, rank of the length).
    frequencies, frequency_rank = np.unique(term_frequency, return_inverse=True)
    span = len(length_of)

    def slots(low: int, high: int) -> np.ndarray:
        return (frequency_rank[terms[low:high]].astype(np.int64) * field_count + fields[low:high]) * span + length[low:high]

    occurs = np.zeros(len(frequencies) * field_count * span, dtype=bool)
    for low in range(0, len(terms), POSTINGS_CHUNK):
        occurs[slots(low, low + POSTINGS_CHUNK)] = True
    numbers = np.flatnonzero(occurs)
    del occurs
    frequency_of, length_of = frequencies.tolist(), length_of.tolist()  # Python ints: _weight rounds as Python does
    table = np.zeros(len(frequencies) * field_count * span, dtype=np.int32)
    table[numbers] = [
        _weight(frequency_of[rank], f, length_of[size], average, count)
        for rank, f, size in zip(*(a.tolist() for a in np.unravel_index(numbers, (len(frequencies), field_count, span))))
    ]
    weights = np.empty(len(terms), dtype=np.int32)
    for low in range(0, len(terms), POSTINGS_CHUNK):
        weights[low:low + POSTINGS_CHUNK] = table[slots(low, low + POSTINGS_CHUNK)]
    del table, length

    if limit is None:
        kept = np.arange(len(terms))
    else:
        # Of a term in more than `limit` fields, its heaviest postings, the newest first on ties,
        # then by field; the other terms keep all theirs.
        frequent_term = term_frequency > limit
        is_frequent = frequent_term[terms]
        frequent = np.flatnonzero(is_frequent)
        ranked = frequent[_ranking(terms[frequent], weights[frequent], papers[frequent], fields[frequent], count)]
        del frequent
        ranked_terms = terms[ranked]
        starts = np.searchsorted(ranked_terms, ranked_terms, side="left")
        del ranked_terms
        kept = np.sort(np.r_[np.flatnonzero(~is_frequent), ranked[np.arange(len(ranked)) - starts < limit]])
    kept = kept[np.argsort(terms[kept], kind="stable")]  # by term; a term's in the order read
    return _Postings(list(vocabulary), terms[kept], papers[kept], fields[kept], weights[kept])


SORT_KEY_BITS = 63  # what a composite sort key may use of an int64


def _ranking(terms: np.ndarray, weights: np.ndarray, papers: np.ndarray, fields: np.ndarray, count: int) -> np.ndarray:
    """The order of postings by term, then heaviest, then newest paper, then field.

    One sort of an int64 packing the four (a third of ``np.lexsort``'s time on
    millions of postings) while they fit in ``SORT_KEY_BITS``; ``np.lexsort`` beyond.
    """
    heaviest = int(weights.max()) if len(weights) else 0
    bits = [int(terms.max() if len(terms) else 0).bit_length(), heaviest.bit_length(), count.bit_length(), 3]
    if sum(bits) > SORT_KEY_BITS:
        return np.lexsort((fields, -papers, -weights, terms))
    key = terms.astype(np.int64)
    for values, width in ((heaviest - weights, bits[1]), (count - 1 - papers, bits[2]), (fields, bits[3])):
        key <<= width
        key |= values
    return np.argsort(key, kind="stable")


def _weight(frequency: int, f: int, length: int, average: list[float], count: int) -> int:
    """The weight in thousandths of a term found in ``frequency`` fields of papers, in field ``f`` of ``length`` tokens."""
    # The same operations in the same order as lunr's builder: idf * (k1 + 1) / norm * boost.
    scaled = math.log(1 + abs((count - frequency + 0.5) / (frequency + 0.5))) * (K1 + 1)
    norm = K1 * (1 - B + B * (length / average[f])) + 1
    return round(round(scaled / norm * FIELD_BOOSTS[FIELDS[f]], 3) * 1000)


def decode_postings(text: str) -> list[tuple[int, int, int]]:
    values = []
    value = shift = 0
    for char in text:
        digit = _DIGIT[char]
        value |= (digit & 31) << shift
        if digit & 32:
            shift += 5
        else:
            values.append(value)
            value = shift = 0
    rows = []
    number = 0
    for i in range(0, len(values), 2):
        number += values[i] >> 3
        rows.append((number, values[i] & 7, values[i + 1]))
    return rows


def bucket_count(size: int) -> int:
    """The number of buckets for ``size`` bytes of terms and postings: a power of two, a bucket about ``BUCKET_BYTES``."""
    buckets = 1
    while size / buckets > BUCKET_BYTES:
        buckets *= 2
    return buckets


def bucket_file(bucket: int) -> str:
    return f"{SEARCH_DIR}/t/{bucket}.js"


def doc_file(number: int) -> str:
    return f"{SEARCH_DIR}/d/{number // DOCS_PER_FOLDER}/{number}.js"


def doc_record(document: IndexDocument) -> list:
    """What a result shows: ``[arXiv id, title, date, fields, tags, [[part heading, text], ...]]``."""
    return [document.arxiv_id, document.title, document.date, list(document.fields), list(document.tags),
            [list(part) for part in document.parts]]


def render_search_index(archive: Archive) -> dict[str, str]:
    """The manifest, term buckets and paper files, as ``{docs-relative path: text}``."""
    documents = index_documents(archive)
    encoded = encoded_postings(documents, MAX_POSTINGS)
    size = sum(len(term.encode("utf-8")) + len(postings) + 6 for term, postings in encoded.items())
    buckets = bucket_count(size)
    by_bucket: list[dict[str, str]] = [{} for _ in range(buckets)]
    for term in sorted(encoded):
        by_bucket[term_bucket(term, buckets)][term] = encoded[term]
    files: dict[str, str] = {}
    for bucket, terms in enumerate(by_bucket):
        files[bucket_file(bucket)] = as_script("__paperSearchBucket", {"bucket": bucket, "terms": terms})
    for number, document in enumerate(documents):
        files[doc_file(number)] = as_script("__paperSearchDoc", {"n": number, "doc": doc_record(document)})
    manifest = {
        "version": INDEX_VERSION,
        "papers": len(documents),
        "buckets": buckets,
        "folder": DOCS_PER_FOLDER,
        "index_fields": list(FIELDS),
        "fields": {f.slug: f.zh for f in archive.taxonomy.fields},
        "tags": {t.slug: t.zh for t in archive.taxonomy.tags},
    }
    files[MANIFEST] = as_script("__paperSearchManifest", manifest)
    return files


def utf16_order(term: str) -> bytes:
    """lunr.js sorts terms in UTF-16 order; Python would sort by code point."""
    return term.encode("utf-16-be")


def lunr_index(postings: dict[str, list[tuple[int, int, int]]]) -> dict:
    """A lunr serialization (``Index.load``) holding only ``postings``' terms, with their stored weights.

    For the clauses of a query whose terms (and wildcard expansions) are all
    here, lunr scores every paper as the index of the whole archive does: a
    paper's score is the dot product of the query vector with its field
    vectors, divided by the query vector's length, and the entries of the
    field vectors for other terms add nothing to the dot product.
    """
    terms = sorted(postings, key=utf16_order)
    vectors: dict[tuple[int, int], list] = {}
    inverted = []
    for index, term in enumerate(terms):
        posting: dict = {"_index": index, **{name: {} for name in FIELDS}}
        for number, field, weight in postings[term]:
            posting[FIELDS[field]][str(number)] = {}
            vectors.setdefault((number, field), []).extend((index, weight / 1000))
        inverted.append([term, posting])
    return {
        "version": "2.3.9",
        "fields": list(FIELDS),
        "fieldVectors": [[f"{FIELDS[field]}/{number}", vector] for (number, field), vector in vectors.items()],
        "invertedIndex": inverted,
        "pipeline": [],
    }


def build_lunr_index(documents: list[IndexDocument]) -> dict:
    """The index of all ``documents`` built by the Python lunr package (the reference for the stored weights)."""
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


def as_script(variable: str, payload: dict) -> str:
    """A script that appends ``payload`` to a global array: it loads through
    importScripts in a worker and through a <script> tag from file:// alike.
    The payload is written as JSON, which is a JavaScript literal (U+2028 and
    U+2029 too, since ES2019), so nothing is escaped twice."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"(self.{variable}=self.{variable}||[]).push({body});\n"


def read_script(path: Path) -> dict:
    return parse_script(path.read_text(encoding="utf-8"))


def parse_script(text: str) -> dict:
    """The payload of an ``as_script`` script."""
    start = text.index(").push(") + len(").push(")
    end = text.rindex(");")
    return json.loads(text[start:end])
