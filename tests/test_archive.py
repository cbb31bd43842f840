"""generator/archive.py: merging digests into one archive of papers, days, fields and tags."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, SAMPLE_DIGESTS, merge_digests, load_digests
from generator.model import ERROR, WARNING, Digest, Paper, Part
from generator.taxonomy import load_taxonomy

SMALL_TAXONOMY = FIXTURES / "taxonomy" / "small.yml"


@pytest.fixture(scope="module")
def taxonomy():
    loaded, diagnostics = load_taxonomy(SMALL_TAXONOMY)
    assert diagnostics == []
    return loaded


def make_paper(arxiv_id: str, field: str = "NLP", contribution: str = "贡献", title: str = "", results: str = "结果") -> Paper:
    parts = (
        Part("应用领域", field, 10, "field"),
        Part("一句话核心贡献", contribution, 12, "contribution"),
        Part("使用指南", "*   输入：文本", 14, "usage"),
        Part("主要创新点", "1.  创新", 16, "innovations"),
        Part("实验效果", results, 18, "results"),
    )
    return Paper(
        arxiv_id=arxiv_id,
        title=title or f"Paper {arxiv_id}",
        url=f"https://huggingface.co/papers/{arxiv_id}",
        reading_source="HTML",
        report_title="",
        line=7,
        parts=parts,
    )


def make_digest(date: str, *papers: Paper, path: str = "") -> Digest:
    return Digest(
        path=path or f"digests/{date}.md",
        date=date,
        source_url=f"https://huggingface.co/papers/date/{date}",
        papers=papers,
        date_line=2,
    )


def load_dir(folder: Path, taxonomy):
    digests, diagnostics = load_digests(folder)
    archive, merged = merge_digests(digests, taxonomy)
    return archive, diagnostics + merged


# -- multi-day papers ------------------------------------------------------------------


def test_sample_graspformer_is_one_entry_with_the_fuller_summary_first(taxonomy):
    archive, _ = load_dir(SAMPLE_DIGESTS, taxonomy)
    entry = archive.entries["2601.04211"]
    assert [(a.date, Path(a.digest_path).name) for a in entry.appearances] == [
        ("2026-01-13", "2026-01-13.md"),
        ("2026-01-12", "2026-01-12.md"),
    ]
    assert entry.first_date == "2026-01-12"
    assert entry.last_date == "2026-01-13"
    assert entry.dates == ("2026-01-12", "2026-01-13")
    # The 2026-01-12 summary was written from the HTML, the 2026-01-13 one from the abstract.
    assert entry.main is entry.appearances[1].paper and entry.main.reading_source == "HTML"
    assert entry.main.contribution.startswith("提出 GraspFormer")
    # The other, differently worded summary is kept.
    assert [a.date for a in entry.older_versions] == ["2026-01-13"]
    assert entry.older_versions[0].paper.contribution.startswith("用统一的 Token 序列融合视觉、语言与触觉")
    assert len(archive.entries) == 16
    assert sum(len(day.paper_ids) for day in archive.days) == 17


def test_shared_flowact_shows_the_summary_written_from_the_html(taxonomy, shared_digests):
    archive, _ = load_dir(shared_digests, taxonomy)
    entry = archive.entries["2601.10103"]
    assert [a.date for a in entry.appearances] == ["2026-01-19", "2026-01-18"]
    assert entry.first_date == "2026-01-18"
    assert entry.main.reading_source == "HTML"  # the fuller 2026-01-18 report, over the newer one from the abstract
    assert entry.main.contribution.startswith("提出了 FlowAct-R1 框架")
    assert [a.date for a in entry.older_versions] == ["2026-01-19"]
    assert entry.older_versions[0].paper.contribution.startswith("以分块扩散强制与多阶段蒸馏")
    assert [day.date for day in archive.days] == ["2026-01-18", "2026-01-19"]
    assert len(archive.entries) == sum(len(day.paper_ids) for day in archive.days) - 2  # FlowAct-R1 and MatchTIR


def test_identical_summaries_keep_no_older_version(taxonomy):
    same = make_paper("2601.00001")
    archive, diagnostics = merge_digests([make_digest("2026-01-02", same), make_digest("2026-01-01", same)], taxonomy)
    assert diagnostics == []
    entry = archive.entries["2601.00001"]
    assert entry.dates == ("2026-01-01", "2026-01-02")
    assert entry.older_versions == ()


def test_every_differing_older_version_is_kept_once(taxonomy):
    v1 = make_paper("2601.00001", contribution="第一版")
    v2 = make_paper("2601.00001", contribution="第二版")
    v3 = make_paper("2601.00001", contribution="第三版")
    digests = [
        make_digest("2026-01-01", v1),
        make_digest("2026-01-02", v2),
        make_digest("2026-01-03", v1),  # the first wording again
        make_digest("2026-01-04", v3),
    ]
    archive, _ = merge_digests(digests, taxonomy)
    entry = archive.entries["2601.00001"]
    assert entry.main.contribution == "第三版"
    assert [(a.date, a.paper.contribution) for a in entry.older_versions] == [("2026-01-03", "第一版"), ("2026-01-02", "第二版")]


def test_classification_uses_the_newest_summary(taxonomy):
    old = make_paper("2601.00001", field="机器人")
    new = make_paper("2601.00001", field="语音")
    archive, _ = merge_digests([make_digest("2026-01-01", old), make_digest("2026-01-02", new)], taxonomy)
    assert archive.entries["2601.00001"].fields == ("speech-audio",)


# -- two digests of one date -----------------------------------------------------------


def test_same_date_twice_is_an_error_on_the_second_file(taxonomy, tmp_path):
    shutil.copy(SAMPLE_DIGESTS / "2026-01-12.md", tmp_path / "a.md")
    shutil.copy(SAMPLE_DIGESTS / "2026-01-12.md", tmp_path / "b.md")
    archive, diagnostics = load_dir(tmp_path, taxonomy)
    errors = [d for d in diagnostics if d.level == ERROR]
    assert [(d.path, d.line) for d in errors] == [(str(tmp_path / "b.md"), 2)]  # "**Date**: 2026-01-12" is line 2
    assert "2026-01-12" in errors[0].message and str(tmp_path / "a.md") in errors[0].message
    assert [(day.date, Path(day.digest_path).name) for day in archive.days] == [("2026-01-12", "a.md")]
    assert len(archive.entries) == 6


def test_same_date_error_names_the_date_line(taxonomy):
    first = make_digest("2026-01-01", make_paper("2601.00001"), path="x/1.md")
    second = Digest("x/2.md", "2026-01-01", "", (make_paper("2601.00002"),), date_line=5)
    archive, diagnostics = merge_digests([second, first], taxonomy)  # input order does not matter
    assert [(d.path, d.line, d.level) for d in diagnostics] == [("x/2.md", 5, ERROR)]
    assert list(archive.entries) == ["2601.00001"]


# -- days, fields and tags -------------------------------------------------------------


@pytest.fixture
def three_days(taxonomy):
    digests = [
        make_digest("2026-01-03", make_paper("2601.00031", "机器人"), make_paper("2601.00011", "NLP、强化学习")),
        make_digest("2026-01-01", make_paper("2601.00011", "NLP、强化学习"), make_paper("2601.00012", "NLP"), make_paper("2601.00013", "机器人")),
        make_digest("2026-01-02", make_paper("2601.00021", "NLP - 智能体、强化学习"), make_paper("2601.00022", "语音")),
    ]
    archive, diagnostics = merge_digests(digests, taxonomy)
    assert diagnostics == []
    return archive


def test_days_oldest_first_in_digest_order(three_days):
    assert [(d.date, d.paper_ids) for d in three_days.days] == [
        ("2026-01-01", ("2601.00011", "2601.00012", "2601.00013")),
        ("2026-01-02", ("2601.00021", "2601.00022")),
        ("2026-01-03", ("2601.00031", "2601.00011")),
    ]
    assert three_days.newest_day.date == "2026-01-03"
    assert three_days.day("2026-01-02").source_url == "https://huggingface.co/papers/date/2026-01-02"


def test_papers_by_field_newest_day_first_digest_order_within(three_days):
    assert dict(three_days.papers_by_field) == {
        # 2601.00011 is listed at its newest day (01-03), after 2601.00031 there.
        "nlp": ("2601.00011", "2601.00021", "2601.00012"),
        "robotics": ("2601.00031", "2601.00013"),
        "speech-audio": ("2601.00022",),
    }


def test_papers_by_tag_newest_day_first(three_days):
    assert dict(three_days.papers_by_tag) == {
        "reinforcement-learning": ("2601.00011", "2601.00021"),
        "llm-agents": ("2601.00021",),
    }


def test_ids_newest_first(three_days):
    assert three_days.ids_newest_first() == ["2601.00031", "2601.00011", "2601.00021", "2601.00022", "2601.00012", "2601.00013"]


def test_paper_without_field_is_a_warning(taxonomy):
    archive, diagnostics = merge_digests([make_digest("2026-01-01", make_paper("2601.00001", "量子计算"))], taxonomy)
    assert [(d.path, d.line, d.level) for d in diagnostics] == [("digests/2026-01-01.md", 7, WARNING)]
    assert archive.entries["2601.00001"].fields == ()
    assert archive.entries["2601.00001"].keywords == ("量子计算",)
    assert dict(archive.papers_by_field) == {}


def test_unmapped_phrases_most_frequent_first(taxonomy):
    digests = [
        make_digest("2026-01-01", make_paper("2601.00001", "NLP、量子计算、AIGC"), make_paper("2601.00002", "NLP、AIGC")),
        make_digest("2026-01-02", make_paper("2601.00003", "机器人、AIGC、超导")),
    ]
    archive, _ = merge_digests(digests, taxonomy)
    assert archive.unmapped_phrases() == [("AIGC", 3), ("超导", 1), ("量子计算", 1)]


def test_archive_is_read_only(three_days):
    with pytest.raises(TypeError):
        three_days.entries["x"] = None  # type: ignore[index]
    with pytest.raises(TypeError):
        three_days.papers_by_field["x"] = ()  # type: ignore[index]


@pytest.mark.parametrize(
    "sources, main",
    [
        (("ArXiv Abs", "HTML"), 1),  # newest first: the older HTML summary wins
        (("HTML", "ArXiv Abs"), 0),
        (("HTML", "PDF"), 0),  # equally full: the newest
        (("ArXiv Abs", "ArXiv Abs"), 0),
        (("", "ArXiv Abs"), 1),  # no source says least
        ((" html ", "ArXiv Abs"), 0),
    ],
)
def test_the_main_summary_is_the_fullest_then_the_newest(sources, main):
    from generator.archive import Appearance, main_appearance

    appearances = tuple(
        Appearance(f"2026-01-0{9 - n}", Paper("2601.00001", "T", "u", source, "", 1, ()), "d.md") for n, source in enumerate(sources)
    )
    assert main_appearance(appearances) is appearances[main]
