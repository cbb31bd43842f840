"""generator/analysis.py: what each paper yields on its own, parsed and analysed once."""

from __future__ import annotations

import pickle
from collections import Counter

import pytest

from conftest import SAMPLE_DIGESTS, TAXONOMY
from generator import analysis, parallel
from generator.markdown import inline_text, plain_text
from generator.links import name_tokens, names_of, paper_terms, paper_text
from generator.memo import Memo
from generator.parse import parse_bytes
from generator.search import FIELD_BOOSTS, paper_search_tokens, snippet_of
from generator.taxonomy import load_taxonomy
from generator.words import segment_paper


@pytest.fixture(scope="module")
def taxonomy():
    loaded, diagnostics = load_taxonomy(TAXONOMY)
    assert diagnostics == []
    return loaded


@pytest.fixture(scope="module")
def inputs():
    return [(path, path.read_bytes()) for path in sorted(SAMPLE_DIGESTS.glob("*.md"))]


@pytest.fixture(scope="module")
def papers(inputs):
    return [paper for path, data in inputs for paper in parse_bytes(data, str(path))[0].papers]


def test_analysis_is_the_classification_terms_names_and_search_tokens_of_the_paper(papers, taxonomy):
    for paper in papers:
        result = analysis.analyze(paper, taxonomy)
        classified = taxonomy.classify(paper.field_text, paper.title, paper.contribution)
        words = segment_paper(paper)
        assert (result.fields, result.tags, result.keywords) == (classified.fields, classified.tags, classified.keywords)
        assert result.terms == dict(paper_terms(paper, words))
        assert list(result.names) == names_of(paper.title, paper.contribution)
        assert result.name_tokens == name_tokens(paper_text(paper))
        expected = paper_search_tokens(paper, words, classified.fields, classified.tags, taxonomy)
        assert result.search_tokens == [list(tokens) for tokens in expected]
        assert len(result.search_tokens) == len(FIELD_BOOSTS)
        assert result.snippet == snippet_of(paper)
        assert result.item_title == inline_text(paper.title)
        assert result.item_text == inline_text(plain_text(paper.contribution))


def test_analysis_survives_pickling_unchanged(papers, taxonomy):
    result = analysis.analyze(papers[0], taxonomy)
    assert pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)) == result


def test_term_counts_keep_counts_above_one_byte(taxonomy, papers):
    paper = papers[0]
    many = Counter({"grpo": 300, "视频": 2})
    packed = analysis.PaperAnalysis((), (), (), "grpo\n视频", analysis.array("I", many.values()).tobytes(), (), "", ("",) * 5, "", "", "")
    assert packed.terms == {"grpo": 300, "视频": 2}
    assert packed.name_tokens == [] and packed.search_tokens == [[]] * 5
    assert analysis.analyze(paper, taxonomy).terms  # a real paper has terms


def test_parallel_and_single_process_parse_and_analyse_alike(inputs, taxonomy, monkeypatch):
    monkeypatch.setattr(analysis, "PAPERS_PER_DIGEST", 10_000)  # every input list is worth forking
    forked_memo = Memo()
    forked = analysis.parse_and_analyze(inputs, taxonomy, forked_memo)
    monkeypatch.setattr(parallel, "worth_forking", lambda count, minimum: 1)
    single_memo = Memo()
    single = analysis.parse_and_analyze(inputs, taxonomy, single_memo)
    assert forked == single
    assert forked_memo.used() == single_memo.used()
    for digest, _ in single:
        for paper in digest.papers:
            assert single_memo.used()[analysis.memo_key(paper, taxonomy)] == analysis.analyze(paper, taxonomy)


def test_a_second_run_with_the_memo_parses_and_analyses_nothing(inputs, taxonomy, monkeypatch):
    memo = Memo()
    first = analysis.parse_and_analyze(inputs, taxonomy, memo)
    saved = memo.used()

    def fail(*args, **kwargs):
        raise AssertionError("parsed or analysed again")

    monkeypatch.setattr(analysis, "parse_bytes", fail)
    monkeypatch.setattr(analysis, "analyze", fail)
    again = Memo(saved)
    assert analysis.parse_and_analyze(inputs, taxonomy, again) == first
    # The analyses stay in the memo for the merge, which looks them up.
    assert set(again.used()) == {key for key in saved if key[0] == "parse"}


def test_an_unreadable_input_is_reported_and_the_others_parse(inputs, taxonomy, tmp_path):
    missing = tmp_path / "2026-02-01.md"
    results = analysis.parse_and_analyze([*inputs, (missing, None)], taxonomy, Memo())
    assert [digest is None for digest, _ in results] == [False] * len(inputs) + [True]
    (diagnostic,) = results[-1][1]
    assert diagnostic.path == str(missing) and diagnostic.line == 1 and "cannot read file" in diagnostic.message
