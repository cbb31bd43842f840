"""Terminal search over the prebuilt index (``python -m generator search``).

The same shards the site's search box loads, queried with the Python
``lunr`` package the way the browser worker queries them with lunr.js, so
both give the same papers in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .search_index import SEARCH_DIR, expand_index, read_script
from .tokens import query_terms, unique


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
    for term in unique(latin):
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
    manifest = read_script(search_dir / "manifest.js")
    hits: list[Hit] = []
    for shard in manifest["shards"]:
        payload = read_script(search_dir / shard["file"])
        index = Index.load(expand_index(payload["index"]))
        for ref, score in search_shard(index, query):
            doc = payload["docs"][int(ref)]
            if filters.accept(doc):
                hits.append(Hit(doc[0], doc[1], score, doc[3]))
    hits.sort(key=lambda hit: (-hit.score, hit.date, hit.arxiv_id))
    return hits[:limit]
