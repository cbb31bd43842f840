"""Terminal search over the prebuilt index (``python -m generator search``).

The same files the site's search box loads, read the same way: the buckets
of the query's terms (Han runs segmented against the words of their buckets),
a small lunr index of those terms queried with the Python ``lunr`` package as
the browser worker queries it with lunr.js, then the metadata of the papers
shown; so both give the same papers in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .search_index import SEARCH_DIR, bucket_file, decode_postings, doc_file, lunr_index, read_script
from .tokens import WILDCARD_LENGTH, query_terms, term_bucket, unique

MAX_WORD = 12  # the longest word a Han query run is matched against


@dataclass(frozen=True)
class SearchFilters:
    field: str | None = None
    tag: str | None = None
    since: str | None = None
    until: str | None = None

    def accept(self, doc: list) -> bool:
        _, _, date, fields, tags = doc[:5]
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
        for j in range(min(len(run), i + MAX_WORD), i, -1):
            if run[i:j] in vocabulary:
                words.append(run[i:j])
                i = j
                break
        else:
            i += 1
    return words


@dataclass
class IndexReader:
    """The index files under ``docs/search``, each read once, when first needed."""

    folder: Path
    manifest: dict = field(init=False)
    buckets: dict[int, dict[str, str]] = field(default_factory=dict)
    read: list[str] = field(default_factory=list)  # docs-relative files read, in order

    def __post_init__(self):
        self.manifest = self._load(f"{SEARCH_DIR}/manifest.js")

    def _load(self, path: str) -> dict:
        self.read.append(path)
        return read_script(self.folder.parent / path)

    def bucket(self, term: str) -> dict[str, str]:
        number = term_bucket(term, self.manifest["buckets"])
        if number not in self.buckets:
            self.buckets[number] = self._load(bucket_file(number))["terms"]
        return self.buckets[number]

    def __contains__(self, term: str) -> bool:
        return term in self.bucket(term)

    def doc(self, number: int) -> list:
        return self._load(doc_file(number))["doc"]


@dataclass(frozen=True)
class Clause:
    term: str
    boost: int
    fields: tuple[str, ...] | None = None
    wildcard: bool = False


def query_clauses(query: str, vocabulary) -> list[Clause]:
    """The lunr clauses of a query, as the worker's ``queryClauses`` makes them."""
    ids, latin, han = query_terms(query)
    clauses = [Clause(arxiv_id, 100, ("id",)) for arxiv_id in ids]
    for term in unique(latin):
        clauses.append(Clause(term, 10))
        if len(term) >= WILDCARD_LENGTH:
            clauses.append(Clause(term, 1, wildcard=True))
    for run in han:
        clauses += [Clause(word, 5) for word in segment(run, vocabulary)]
    return clauses


def clause_postings(clauses: list[Clause], reader: IndexReader) -> dict[str, list[tuple[int, int, int]]]:
    """The postings of every index term the clauses name or expand to."""
    postings = {}
    for clause in clauses:
        bucket = reader.bucket(clause.term)
        if clause.wildcard:
            names = [term for term in bucket if term.startswith(clause.term)]
        else:
            names = [clause.term] if clause.term in bucket else []
        for term in names:
            if term not in postings:
                postings[term] = decode_postings(bucket[term])
    return postings


def rank(reader: IndexReader, query: str) -> list[tuple[int, float]]:
    """``[(paper number, score)]``, best first; equal scores (to 1e-6) newest first."""
    from lunr.index import Index
    from lunr.query import Query

    clauses = query_clauses(query, reader)
    if not clauses:
        return []
    index = Index.load(lunr_index(clause_postings(clauses, reader)))
    q = Query(index.fields)
    for clause in clauses:
        q.term(
            clause.term, boost=clause.boost, fields=list(clause.fields) if clause.fields else None,
            wildcard=Query.WILDCARD_TRAILING if clause.wildcard else Query.WILDCARD_NONE,
        )
    results = [(int(r["ref"]), r["score"]) for r in index.query(q)]
    results.sort(key=lambda result: (-round(result[1], 6), -result[0]))
    return results


def search_archive(docs: Path, query: str, limit: int = 10, filters: SearchFilters = SearchFilters()) -> list[Hit]:
    return search_with(IndexReader(docs / SEARCH_DIR), query, limit, filters)


def search_with(reader: IndexReader, query: str, limit: int = 10, filters: SearchFilters = SearchFilters()) -> list[Hit]:
    hits: list[Hit] = []
    for number, score in rank(reader, query):
        if len(hits) >= limit:
            break
        doc = reader.doc(number)
        if filters.accept(doc):
            hits.append(Hit(doc[0], doc[1], score, doc[2]))
    return hits
