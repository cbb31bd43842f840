"""Related-paper scoring: deterministic, topical, and equal to the pure-Python reference."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from generator.build import gather
from generator.related import related_papers
from reference.related import related_papers_reference

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIGESTS = Path(__file__).resolve().parent / "fixtures" / "samples"
TAXONOMY = ROOT / "taxonomy.yml"


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


def _archive_terms(digests):
    archive, _ = gather([digests], TAXONOMY)
    terms = {i: e.analysis.terms for i, e in archive.entries.items()}
    return terms, {i: e.fields for i, e in archive.entries.items()}, {i: e.tags for i, e in archive.entries.items()}


def test_related_papers_equal_the_pure_python_reference_on_the_sample_archive():
    terms, fields, tags = _archive_terms(SAMPLE_DIGESTS)
    assert dict(related_papers(terms, fields, tags)) == related_papers_reference(terms, fields, tags)


def test_related_papers_equal_the_pure_python_reference_on_the_shared_archive(shared_digests, tmp_path):
    digests = tmp_path / "digests"
    digests.mkdir()
    for source in [*shared_digests.iterdir(), *(SAMPLE_DIGESTS).iterdir()]:
        (digests / source.name).write_bytes(source.read_bytes())
    terms, fields, tags = _archive_terms(digests)
    assert dict(related_papers(terms, fields, tags)) == related_papers_reference(terms, fields, tags)
    # Fewer candidates than wanted: the field and id fallbacks fill the lists the same way.
    assert dict(related_papers(terms, fields, tags, count=40)) == related_papers_reference(terms, fields, tags, count=40)


def test_related_papers_of_an_empty_archive_are_empty():
    assert dict(related_papers({}, {}, {})) == {}
