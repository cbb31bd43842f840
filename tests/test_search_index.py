"""generator/search_index.py: the term-split lunr index the site and the terminal load."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import numpy as np
import pytest

from generator import search, search_index
from generator.build import build, gather
from generator.tokens import latin_terms, term_bucket, term_key
from reference import search_index as reference

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIGESTS = Path(__file__).resolve().parent / "fixtures" / "samples"
QUERIES = ["GraspFormer", "2601.04387", "TTS-Lite", "语音识别", "触觉", "机器人抓取", "trans", "grasp 触觉", "模型", "a100 训练"]


@pytest.fixture(scope="module")
def samples():
    archive, _ = gather([SAMPLE_DIGESTS], ROOT / "taxonomy.yml")
    return archive, search_index.index_documents(archive)


@pytest.fixture(scope="module")
def sample_docs(tmp_path_factory) -> Path:
    docs = tmp_path_factory.mktemp("docs")
    build(SAMPLE_DIGESTS, docs, ROOT / "taxonomy.yml")
    return docs


def _scores(serialized: dict) -> dict:
    """{field/ref: {term: score}}: comparable whatever term numbering an index uses."""
    terms = {posting["_index"]: term for term, posting in serialized["invertedIndex"]}
    return {
        ref: {terms[vector[i]]: vector[i + 1] for i in range(0, len(vector), 2)}
        for ref, vector in serialized["fieldVectors"]
    }


def test_stored_weights_are_the_python_lunr_builders_field_vectors(samples):
    _, documents = samples
    reference = _scores(search_index.build_lunr_index(documents))
    stored: dict = {}
    for term, postings in search_index.encoded_postings(documents).items():
        for number, field, weight in search_index.decode_postings(postings):
            stored.setdefault(f"{search_index.FIELDS[field]}/{number}", {})[term] = weight / 1000
    assert stored == {ref: vector for ref, vector in reference.items() if vector}


@pytest.mark.parametrize("query", QUERIES)
def test_a_query_scores_as_the_whole_lunr_index_does(samples, sample_docs, query):
    """The index of the query's terms alone, read from the buckets, gives the whole index's scores."""
    from lunr.index import Index
    from lunr.query import Query

    _, documents = samples
    whole = Index.load(search_index.build_lunr_index(documents))
    q = Query(whole.fields)
    for clause in search.query_clauses(query, whole.inverted_index):
        q.term(clause.term, boost=clause.boost, fields=list(clause.fields) if clause.fields else None,
               wildcard=Query.WILDCARD_TRAILING if clause.wildcard else Query.WILDCARD_NONE)
    expected = sorted(((int(r["ref"]), r["score"]) for r in whole.query(q)), key=lambda r: (-round(r[1], 6), -r[0]))
    found = search.rank(search.IndexReader(sample_docs / "search"), query)
    assert found and [n for n, _ in found] == [n for n, _ in expected]
    assert [s for _, s in found] == pytest.approx([s for _, s in expected], rel=1e-12)


def test_postings_round_trip_through_their_encoding():
    rows = [(0, 4, 1234), (0, 2, 17), (5, 0, 0), (70_000, 4, 31), (70_000, 3, 250_000)]
    text = reference.encode_postings(rows)
    assert search_index.decode_postings(text) == rows
    assert '"' not in text and "\\" not in text


def test_a_frequent_term_keeps_its_heaviest_postings():
    rows = [(1, 4, 10), (2, 4, 50), (3, 2, 50), (4, 4, 5), (5, 4, 50)]
    assert reference.kept_postings(rows, 3) == [(2, 4, 50), (3, 2, 50), (5, 4, 50)]
    assert reference.kept_postings(rows, 2) == [(3, 2, 50), (5, 4, 50)]  # equal weights: the newest papers


@pytest.mark.parametrize("limit", [1, 2, 3, 7])
def test_weights_cut_while_computed_keep_what_kept_postings_keeps(samples, limit):
    _, documents = samples
    whole = {term: search_index.decode_postings(text) for term, text in search_index.encoded_postings(documents).items()}
    cut = {term: search_index.decode_postings(text) for term, text in search_index.encoded_postings(documents, limit).items()}
    assert any(len(rows) > limit for rows in whole.values())
    assert cut == {term: reference.kept_postings(rows, limit) for term, rows in whole.items()}


@pytest.mark.parametrize("limit", [None, 1, 3])
def test_encoded_postings_are_the_pure_python_references(samples, limit):
    _, documents = samples
    rows = reference.field_weights(documents, limit)
    encoded = search_index.encoded_postings(documents, limit)
    assert list(encoded) == list(rows)  # terms in order of first appearance
    assert encoded == {term: reference.encode_postings(postings) for term, postings in rows.items()}
    assert search_index.encoded_postings([]) == {} and reference.field_weights([]) == {}


@pytest.mark.parametrize("chunk", [1, 7, 100])
def test_postings_weighed_and_encoded_in_chunks_are_the_same(samples, monkeypatch, chunk):
    _, documents = samples
    whole = search_index.encoded_postings(documents, 3)
    monkeypatch.setattr(search_index, "POSTINGS_CHUNK", chunk)
    assert sum(map(len, whole.values())) > 100 * 2  # more than one chunk of postings at 100
    assert search_index.encoded_postings(documents, 3) == whole


VALUES = [0, 31, 32, 1023, 1024, (1 << 15) - 1, 1 << 15, 560_003, (1 << 30) - 1, 1 << 30, (1 << 40) + 7]


def test_varints_are_encoded_together_as_one_at_a_time():
    text, ends = search_index.varints(np.array(VALUES, dtype=np.int64))
    assert text == "".join(map(reference.varint, VALUES))
    assert ends.tolist() == list(itertools.accumulate(len(reference.varint(value)) for value in VALUES))
    assert search_index.varints(np.zeros(0, dtype=np.int64))[0] == ""


@pytest.mark.parametrize("value", VALUES)
def test_a_varint_decodes_to_its_value(value):
    assert search_index.decode_postings(reference.varint(value) + "0") == [(value >> 3, value & 7, 0)]


def test_term_keys_put_a_runs_words_and_a_wildcards_terms_in_one_bucket():
    assert term_key("口型同步") == term_key("口型") == "口型"
    assert term_key("口") == "口"
    assert term_key("grpo") == term_key("grpo-zero") == "grpo"
    assert term_key("2601.10103") == "2601.10103"
    assert term_bucket("口型同步", 64) == term_bucket("口型", 64)
    assert all(0 <= term_bucket(t, 8) < 8 for t in ["a", "模型", "2601.10103", "gpt-4o"])


def test_files_are_scripts_of_json(sample_docs):
    manifest = (sample_docs / "search" / "manifest.js").read_text(encoding="utf-8")
    assert manifest.startswith("(self.__paperSearchManifest=self.__paperSearchManifest||[]).push({")
    bucket = (sample_docs / "search" / "t" / "0.js").read_text(encoding="utf-8")
    assert bucket.startswith("(self.__paperSearchBucket=self.__paperSearchBucket||[]).push({")
    assert "\\u" not in bucket and "position" not in bucket
    paper = search_index.read_script(sample_docs / "search" / "d" / "0" / "0.js")
    assert paper["n"] == 0 and paper["doc"][0] == "2601.04211"
    assert [heading for heading, _ in paper["doc"][5]][:5] == ["应用领域", "核心贡献", "使用指南", "主要创新点", "实验效果"]


# -- bytes a query reads, at two archive sizes ----------------------------------------------------


def _synthetic_docs(work: Path, days: int, per_day: int) -> Path:
    from bench import synth

    pool = synth.load_pool(sorted(SAMPLE_DIGESTS.glob("*.md")))
    synth.synthesize(work / "digests", pool, days, per_day)
    build(work / "digests", work / "docs", ROOT / "taxonomy.yml")
    return work / "docs"


@pytest.mark.parametrize("days, per_day", [(10, 10), (40, 20)])
def test_a_one_term_query_reads_one_bounded_bucket(tmp_path, days, per_day):
    docs = _synthetic_docs(tmp_path, days, per_day)
    manifest = search_index.read_script(docs / "search" / "manifest.js")
    assert manifest["papers"] > days * per_day * 0.9
    sizes = [p.stat().st_size for p in (docs / "search" / "t").glob("*.js")]
    assert len(sizes) == manifest["buckets"]
    assert max(sizes) <= 3 * search_index.BUCKET_BYTES
    papers = sorted((docs / "search" / "d").rglob("*.js"))
    assert len(papers) == manifest["papers"] and max(p.stat().st_size for p in papers) <= 4_000
    newest = search_index.read_script(docs / search_index.doc_file(manifest["papers"] - 1))["doc"]
    name = newest[1].partition(":")[0]
    for query in [name, newest[0], "触觉", "机器人"]:
        reader = search.IndexReader(docs / "search")
        hits = search.search_with(reader, query, limit=10)
        assert hits, query
        buckets = [path for path in reader.read if path.startswith("search/t/")]
        # a compound name is looked up whole and by its parts: a bucket per key (``ActSage-BP6``: acts, bp6)
        assert len(buckets) == (len({term_key(t) for t in latin_terms(query)}) if query == name else 1), (query, reader.read)
        assert len(reader.read) == 1 + len(buckets) + len(hits)  # manifest, buckets, shown papers
    assert search.search_with(search.IndexReader(docs / "search"), newest[0], limit=1)[0].arxiv_id == newest[0]


def test_postings_cut_by_lexsort_when_the_sort_key_does_not_fit_are_the_same(samples, monkeypatch):
    _, documents = samples
    packed = search_index.encoded_postings(documents, 3)
    monkeypatch.setattr(search_index, "SORT_KEY_BITS", 8)
    assert search_index.encoded_postings(documents, 3) == packed == {
        term: reference.encode_postings(postings) for term, postings in reference.field_weights(documents, 3).items()
    }


@pytest.mark.parametrize("key_bits", [63, 4])  # one packed key; np.lexsort
def test_ranking_orders_by_term_then_heaviest_then_newest_then_field(monkeypatch, key_bits):
    terms, weights, papers, fields = (np.array(v, dtype=np.int32) for v in ([1, 0, 1, 1, 1], [5, 9, 7, 7, 7], [0, 1, 2, 3, 3], [0, 0, 4, 1, 0]))
    expected = [1, 4, 3, 2, 0]  # term 0; then term 1: weight 7 (paper 3 field 0, paper 3 field 1, paper 2), weight 5
    monkeypatch.setattr(search_index, "SORT_KEY_BITS", key_bits)
    assert search_index._ranking(terms, weights, papers, fields, 4).tolist() == expected
