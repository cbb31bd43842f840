"""generator/search_index.py: the prebuilt lunr shards the site and the terminal load."""

from __future__ import annotations

from pathlib import Path

from generator import search_index
from generator.build import build, gather

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIGESTS = Path(__file__).resolve().parent / "fixtures" / "samples"


def test_shard_is_the_month():
    assert [search_index.shard_of(d) for d in ("2026-01-01", "2026-01-31", "2026-04-01", "2026-12-31")] == [
        "2026-01", "2026-01", "2026-04", "2026-12",
    ]


def _scores(serialized: dict) -> dict:
    """{field/ref: {term: score}}: comparable whatever term numbering an index uses."""
    terms = {posting["_index"]: term for term, posting in serialized["invertedIndex"]}
    return {
        ref: {terms[vector[i]]: vector[i + 1] for i in range(0, len(vector), 2)}
        for ref, vector in serialized["fieldVectors"]
    }


def test_compact_index_expands_to_what_python_lunr_builds():
    archive, _ = gather([SAMPLE_DIGESTS], ROOT / "taxonomy.yml")
    entries = [archive.entries[i] for i in archive.ids_newest_first()]
    documents = [search_index.document_for(entry, str(n), archive.taxonomy) for n, entry in enumerate(entries)]
    reference = search_index.build_lunr_index(documents)
    expanded = search_index.expand_index(search_index.compact_index(documents))
    assert _scores(expanded) == _scores(reference)
    postings = lambda s: {term: {k: v for k, v in p.items() if k != "_index"} for term, p in s["invertedIndex"]}
    assert postings(expanded) == postings(reference)
    # lunr.js needs terms in UTF-16 order.
    terms = [term for term, _ in expanded["invertedIndex"]]
    assert terms == sorted(terms, key=lambda t: t.encode("utf-16-be"))


def test_shard_script_has_no_unicode_escapes_and_no_positions(tmp_path):
    build(SAMPLE_DIGESTS, tmp_path, ROOT / "taxonomy.yml")
    text = (tmp_path / "search" / "shard-2026-01.js").read_text(encoding="utf-8")
    assert "\\u" not in text
    assert "position" not in text
    assert text.startswith("(self.__paperSearchShard=self.__paperSearchShard||[]).push(JSON.parse(")
