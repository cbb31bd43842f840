"""Mentions across days, backlinks, and the related papers a build links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build import build, gather
from generator.links import find_mentions, link_archive

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIGESTS = Path(__file__).resolve().parent / "fixtures" / "samples"
TAXONOMY = ROOT / "taxonomy.yml"


def test_mentions_are_exact_case_sensitive_and_never_self():
    names = {"a": ["FlowAct-R1"], "b": ["MatchTIR"], "c": []}
    tokens = {"a": ["FlowAct-R1", "MatchTIR"], "b": ["matchtir", "FlowAct-R1x"], "c": ["MatchTIR", "FlowAct-R1"]}
    found = find_mentions(tokens, names)
    assert [(m.source, m.target, m.name) for m in found] == [
        ("a", "b", "MatchTIR"), ("c", "b", "MatchTIR"), ("c", "a", "FlowAct-R1"),
    ]


@pytest.fixture(scope="module")
def sample_links():
    archive, _ = gather([SAMPLE_DIGESTS], TAXONOMY)
    return archive, link_archive(archive)


def test_every_paper_has_related_papers_and_no_filler(sample_links):
    archive, links = sample_links
    for arxiv_id in archive.entries:
        assert 1 <= len(links.related[arxiv_id]) <= 5
        assert arxiv_id not in links.related[arxiv_id]
    # The speech recogniser shares words, a field or a tag with two sample papers only (the speech
    # synthesiser and the quantiser): it lists those two, not five with three unrelated ones added.
    assert links.related["2601.06112"] == ("2601.04387", "2601.04805")


def test_sample_mentions_link_both_ways(sample_links):
    archive, links = sample_links
    pairs = {(m.source, m.target, m.name) for ms in links.mentions.values() for m in ms}
    # Later sample days name earlier sample papers (see digests/2026-01-13.md and 2026-01-14.md).
    assert ("2601.06509", "2601.04211", "GraspFormer") in pairs
    assert ("2601.06112", "2601.04387", "TTS-Lite") in pairs
    assert ("2601.05347", "2601.04593", "CodeArena-2") in pairs
    assert "2601.06509" in links.mentioned_by["2601.04211"]


def test_built_pages_link_mentions_and_list_backlinks(tmp_path):
    build(SAMPLE_DIGESTS, tmp_path, TAXONOMY)
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
    for source in (shared_digests, SAMPLE_DIGESTS):
        for file in source.iterdir():
            (digests / file.name).write_bytes(file.read_bytes())
    archive, _ = gather([digests], TAXONOMY)
    links = link_archive(archive)
    named = {m.name for ms in links.mentions.values() for m in ms}
    assert name in named
