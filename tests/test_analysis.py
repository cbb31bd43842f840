"""generator/analysis.py: what each paper yields on its own."""

from __future__ import annotations

import pickle
from collections import Counter

import pytest

from conftest import SAMPLE_DIGESTS, TAXONOMY
from generator import analysis
from generator.markdown import inline_text, plain_text
from generator.parse import parse_bytes
from generator.taxonomy import load_taxonomy
from generator.tokens import han_words, latin_terms, name_like_terms, name_tokens


@pytest.fixture(scope="module")
def taxonomy():
    loaded, diagnostics = load_taxonomy(TAXONOMY)
    assert diagnostics == []
    return loaded


@pytest.fixture(scope="module")
def papers():
    return [paper for path in sorted(SAMPLE_DIGESTS.glob("*.md")) for paper in parse_bytes(path.read_bytes(), str(path))[0].papers]


def test_analysis_is_the_classification_words_terms_and_names_of_the_paper(papers, taxonomy):
    for paper in papers:
        result = analysis.analyze(paper, taxonomy)
        classified = taxonomy.classify(paper.field_text, paper.title, paper.contribution)
        contribution = plain_text(paper.contribution)
        summary = contribution + " " + paper.field_text
        innovations = paper.part("innovations")[:240]
        body = "\n".join(part.body for part in paper.parts + paper.extra)
        assert (result.fields, result.tags, result.keywords) == (classified.fields, classified.tags, classified.keywords)
        assert result.words == analysis.PaperWords(tuple(han_words(paper.title)), tuple(han_words(summary)), tuple(han_words(innovations)))
        assert result.title_terms == tuple(latin_terms(paper.title))
        headings = [analysis.PART_TITLES.get(part.key) or plain_text(part.heading) for part in paper.parts + paper.extra]
        texts = [plain_text(part.body) for part in paper.parts + paper.extra]
        assert result.part_texts == tuple(zip(headings, texts))
        assert result.terms == Counter(
            [*result.words.title * 2, *result.words.summary, *result.words.innovations, *latin_terms(paper.title) * 2,
             *latin_terms(summary + " " + innovations)]
        )
        text = [*han_words(summary), *han_words("\n".join(texts)), *name_like_terms(body + " " + paper.report_title)]
        assert list(result.text_tokens) == list(dict.fromkeys(text))
        assert list(result.names) == analysis.names_of(paper.title, paper.contribution)
        assert list(result.name_tokens) == name_tokens(paper.title + "\n" + body)
        assert result.snippet == (contribution if len(contribution) <= 64 else contribution[:64] + "…")
        assert result.item_title == inline_text(paper.title)
        assert result.item_text == inline_text(contribution)


def test_analysis_survives_pickling_unchanged(papers, taxonomy):
    result = analysis.analyze(papers[0], taxonomy)
    assert pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)) == result


def test_a_digest_is_analysed_paper_by_paper_in_order(taxonomy):
    path = sorted(SAMPLE_DIGESTS.glob("*.md"))[0]
    digest, _ = parse_bytes(path.read_bytes(), str(path))
    analysed = analysis.analyze_digest(digest, taxonomy)
    assert analysed.digest is digest
    assert analysed.analyses == tuple(analysis.analyze(paper, taxonomy) for paper in digest.papers)


@pytest.mark.parametrize(
    "name, linkable",
    [
        ("FlowAct-R1", True), ("MatchTIR", True), ("VQ-Seg", True), ("M^4olGen", True), ("Molmo2", True),
        ("PRL", False),  # shorter than 4 without digit or hyphen
        ("V-DPM", True), ("A1", True),
        ("Memory", False), ("Thinking", False), ("Rewarding the Rare", False), ("", False),
    ],
)
def test_linkable_names(name, linkable):
    assert analysis.is_linkable_name(name) is linkable


def test_names_come_from_the_title_and_the_proposed_name():
    assert analysis.names_of("FlowAct-R1: Towards Interactive Humanoid Video Generation", "提出了 FlowAct-R1 框架") == ["FlowAct-R1"]
    assert analysis.names_of("Transition Matching Distillation for Fast Video Generation", "提出了一种名为 TMD-Flow 的蒸馏方法") == ["TMD-Flow"]
    assert analysis.names_of("Memory: A Study", "我们研究了记忆") == []


def test_papers_share_one_string_for_each_word_and_keep_sharing_it_within_a_digest_read_back(taxonomy):
    digest = parse_bytes(sorted(SAMPLE_DIGESTS.glob("*.md"))[0].read_bytes(), "digest.md")[0]
    analysed = analysis.analyze_digest(digest, taxonomy)

    def occurrences(analysed_digest) -> dict[str, set[int]]:
        objects: dict[str, set[int]] = {}
        for result in analysed_digest.analyses:
            for token in (*result.words.summary, *result.text_tokens, *result.terms):
                objects.setdefault(token, set()).add(id(token))
        return objects

    for read in (analysed, pickle.loads(pickle.dumps(analysed))):  # the memo keeps a digest as one pickle
        objects = occurrences(read)
        assert len(objects["模型"]) == 1 and all(len(ids) == 1 for ids in objects.values())
