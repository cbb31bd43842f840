"""The prebuilt search index that the site and the terminal load.

One compact entry per paper: the title, the arXiv id, the short name, the
tags and fields, the Chinese words of the title, field line and contribution
(segmented with jieba's dictionary at build time), and the Latin-script terms of the whole
report (method, model and dataset names such as ``GRPO`` or ``MIMIC-IV``).
The index is lunr's (2.3.9) without position metadata, split into shards by
month, newest first, so the browser can answer from the newest shard while
older ones load. Each shard is a script assigning a global, which loads from
``file://`` as well.

Tokens are produced here (``generator/tokens.py``), not by lunr's tokenizer,
once per field, and both pipelines are empty; so every term frequency is 1
and lunr's field vectors follow from the postings. A shard therefore stores
only the postings (``compact_index``); lunr.js in the browser and the Python
``lunr`` package in the terminal load ``expand_index``'s output with
``Index.load``, and a test proves that output equals what the Python ``lunr``
builder makes of the same documents (``build_lunr_index``). The browser
worker (``templates/theme/assets/javascripts/search-worker.js``) and
``search.search_archive`` normalise queries the same way.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import paths
from .archive import Archive, Entry
from .taxonomy import Taxonomy
from .tokens import han_words, latin_terms, unique

SEARCH_DIR = paths.SEARCH
MANIFEST = f"{SEARCH_DIR}/manifest.js"
FIELD_BOOSTS = {"id": 50, "name": 30, "title": 10, "keys": 6, "text": 1}
INDEX_VERSION = 1


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


def document_tokens(entry: Entry, taxonomy: Taxonomy) -> dict[str, list[str]]:
    """A paper's tokens per search field, in ``FIELD_BOOSTS`` order, each token once."""
    paper, analysis = entry.latest, entry.analysis
    names = tuple(taxonomy.field(s).zh for s in entry.fields) + tuple(taxonomy.tag(s).zh for s in entry.tags)
    names_en = tuple(taxonomy.field(s).en for s in entry.fields) + tuple(taxonomy.tag(s).en for s in entry.tags)
    return {
        "id": [entry.arxiv_id],
        "name": unique(latin_terms(paper.short_name)) if paper.short_name else [],
        "title": unique([*analysis.title_terms, *analysis.words.title]),
        "keys": _names_tokens(names, names_en),
        "text": unique([*analysis.words.summary, *analysis.report_terms]),
    }


@lru_cache(maxsize=4096)
def _names_tokens(names: tuple[str, ...], names_en: tuple[str, ...]) -> list[str]:
    """The tokens of a paper's field and tag names; papers share a few hundred combinations."""
    return unique(han_words(" ".join(names)) + latin_terms(" ".join(names_en)) + list(names))


def document_for(entry: Entry, ref: str, taxonomy: Taxonomy) -> IndexDocument:
    return IndexDocument(
        ref, entry.arxiv_id, entry.latest.title, entry.analysis.snippet, entry.first_date, entry.fields, entry.tags,
        document_tokens(entry, taxonomy),
    )


def shard_of(date: str) -> str:
    """The shard a paper's index entry lives in: its month (``2026-01``)."""
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


def render_search_index(archive: Archive) -> dict[str, str]:
    """The shard scripts, newest month first, and their manifest, as ``{docs-relative path: text}``."""
    by_shard: dict[str, list[Entry]] = {}
    for arxiv_id in archive.ids_newest_first():
        entry = archive.entries[arxiv_id]
        by_shard.setdefault(shard_of(entry.first_date), []).append(entry)
    files: dict[str, str] = {}
    shards = []
    for name in sorted(by_shard, reverse=True):
        entries = by_shard[name]
        shards.append({"name": name, "file": f"shard-{name}.js", "papers": len(entries)})
        documents = [document_for(entry, str(i), archive.taxonomy) for i, entry in enumerate(entries)]
        payload = {
            "version": INDEX_VERSION,
            "shard": name,
            "docs": [[d.arxiv_id, d.title, d.snippet, d.date, list(d.fields), list(d.tags)] for d in documents],
            "index": compact_index(documents),
        }
        files[f"{SEARCH_DIR}/shard-{name}.js"] = as_script("__paperSearchShard", payload)
    manifest = {
        "version": INDEX_VERSION,
        "shards": shards,
        "fields": {f.slug: f.zh for f in archive.taxonomy.fields},
        "tags": {t.slug: t.zh for t in archive.taxonomy.tags},
    }
    files[MANIFEST] = as_script("__paperSearchManifest", manifest)
    return files


def as_script(variable: str, payload: dict) -> str:
    # A script that appends to a global array: loads through importScripts in a
    # worker and through a <script> tag from file:// alike. JSON.parse of a
    # string literal is faster to start than a JavaScript object literal.
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"(self.{variable}=self.{variable}||[]).push(JSON.parse({json.dumps(body, ensure_ascii=False)}));\n"


def read_script(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    start = text.index("JSON.parse(") + len("JSON.parse(")
    end = text.rindex("));")
    return json.loads(json.loads(text[start:end]))
