"""Related papers, mentions across days and backlinks."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from generator.build import build, gather
from generator.links import (
    find_mentions,
    is_linkable_name,
    link_archive,
    name_tokens,
    names_of,
    paper_terms,
    related_papers,
)
from generator.words import segment_paper
from reference.related import related_papers_reference

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = ROOT / "taxonomy.yml"


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
    assert is_linkable_name(name) is linkable


def test_names_come_from_the_title_and_the_proposed_name():
    assert names_of("FlowAct-R1: Towards Interactive Humanoid Video Generation", "提出了 FlowAct-R1 框架") == ["FlowAct-R1"]
    assert names_of("Transition Matching Distillation for Fast Video Generation", "提出了一种名为 TMD-Flow 的蒸馏方法") == ["TMD-Flow"]
    assert names_of("Memory: A Study", "我们研究了记忆") == []


def test_name_tokens_are_word_bounded():
    assert name_tokens("相比 FlowAct-R1，FlowAct-R1-v2 与 M^4olGen. 以及 (VQ-Seg)") == ["FlowAct-R1", "FlowAct-R1-v2", "M^4olGen", "VQ-Seg"]


def test_mentions_are_exact_case_sensitive_and_never_self():
    names = {"a": ["FlowAct-R1"], "b": ["MatchTIR"], "c": []}
    tokens = {"a": ["FlowAct-R1", "MatchTIR"], "b": ["matchtir", "FlowAct-R1x"], "c": ["MatchTIR", "FlowAct-R1"]}
    found = find_mentions(tokens, names)
    assert [(m.source, m.target, m.name) for m in found] == [
        ("a", "b", "MatchTIR"), ("c", "b", "MatchTIR"), ("c", "a", "FlowAct-R1"),
    ]


def test_related_papers_rank_by_shared_words_and_topics_deterministically():
    terms = {
        "p1": Counter({"视频": 2, "生成": 1, "扩散": 1}),
        "p2": Counter({"视频": 1, "生成": 1, "实时": 1}),
        "p3": Counter({"分子": 2, "药物": 1}),
        "p4": Counter({"分子": 1, "生成": 1}),
        "p5": Counter({"语音": 1}),
    }
    fields = {"p1": ("cv",), "p2": ("cv",), "p3": ("science",), "p4": ("science",), "p5": ("speech",)}
    tags = {k: () for k in terms}
    related = related_papers(terms, fields, tags, count=3)
    assert related["p1"][0] == "p2"
    assert related["p3"][0] == "p4"
    assert len(related["p5"]) == 3 and "p5" not in related["p5"]
    assert related == related_papers(terms, fields, tags, count=3)


@pytest.fixture(scope="module")
def sample_links():
    archive, _ = gather(ROOT / "digests", TAXONOMY)
    return archive, link_archive(archive)


def test_every_paper_has_at_least_three_related(sample_links):
    archive, links = sample_links
    for arxiv_id in archive.entries:
        assert 3 <= len(links.related[arxiv_id]) <= 5
        assert arxiv_id not in links.related[arxiv_id]


def test_sample_mentions_link_both_ways(sample_links):
    archive, links = sample_links
    pairs = {(m.source, m.target, m.name) for ms in links.mentions.values() for m in ms}
    # Later sample days name earlier sample papers (see digests/2026-01-13.md and 2026-01-14.md).
    assert ("2601.06509", "2601.04211", "GraspFormer") in pairs
    assert ("2601.06112", "2601.04387", "TTS-Lite") in pairs
    assert ("2601.05347", "2601.04593", "CodeArena-2") in pairs
    assert "2601.06509" in links.mentioned_by["2601.04211"]


def test_built_pages_link_mentions_and_list_backlinks(tmp_path):
    build(ROOT / "digests", tmp_path, TAXONOMY)
    source = (tmp_path / "papers" / "2601.06509.md").read_text(encoding="utf-8")
    assert "[GraspFormer](2601.04211.md)" in source
    target = (tmp_path / "papers" / "2601.04211.md").read_text(encoding="utf-8")
    backlinks = target[target.index("## 被提及"):]
    assert "(2601.06509.md)" in backlinks.split("\n##")[0]
    related = target[target.index("## 相关论文"):].split("\n## ")[0]
    assert 3 <= len(re.findall(r"^- \[", related, flags=re.M)) <= 5


@pytest.mark.parametrize("name", ["MatchTIR", "SparseThink", "CoF-T2I", "Action100M"])
def test_sample_papers_link_to_shared_papers_by_name(shared_digests, tmp_path, name):
    digests = tmp_path / "digests"
    digests.mkdir()
    for source in (shared_digests, ROOT / "digests"):
        for file in source.iterdir():
            (digests / file.name).write_bytes(file.read_bytes())
    archive, _ = gather(digests, TAXONOMY)
    links = link_archive(archive)
    named = {m.name for ms in links.mentions.values() for m in ms}
    assert name in named


def _archive_terms(digests):
    archive, _ = gather(digests, TAXONOMY)
    words = {i: segment_paper(e.latest) for i, e in archive.entries.items()}
    terms = {i: paper_terms(e.latest, words[i]) for i, e in archive.entries.items()}
    return terms, {i: e.fields for i, e in archive.entries.items()}, {i: e.tags for i, e in archive.entries.items()}


def test_related_papers_equal_the_pure_python_reference_on_the_sample_archive():
    terms, fields, tags = _archive_terms(ROOT / "digests")
    assert dict(related_papers(terms, fields, tags)) == related_papers_reference(terms, fields, tags)


def test_related_papers_equal_the_pure_python_reference_on_the_shared_archive(shared_digests, tmp_path):
    digests = tmp_path / "digests"
    digests.mkdir()
    for source in [*shared_digests.iterdir(), *(ROOT / "digests").iterdir()]:
        (digests / source.name).write_bytes(source.read_bytes())
    terms, fields, tags = _archive_terms(digests)
    assert dict(related_papers(terms, fields, tags)) == related_papers_reference(terms, fields, tags)
    # Fewer candidates than wanted: the field and id fallbacks fill the lists the same way.
    assert dict(related_papers(terms, fields, tags, count=40)) == related_papers_reference(terms, fields, tags, count=40)


def test_related_papers_of_an_empty_archive_are_empty():
    assert dict(related_papers({}, {}, {})) == {}
