"""generator/paths.py: every path and link of the site, and the keys that choose them."""

from __future__ import annotations

import pytest

from generator import paths
from generator.paths import UnsafePathError

BAD_ARXIV_IDS = [
    "../../etc/passwd",
    "2601.10103/../../x",
    "2601.10103\n",
    "2601.10103 ",
    "2601.10103v2",
    "2601.101",
    "2601.101034",
    "26010.10103",
    "2601_10103",
    "",
    None,
    10103,
]
BAD_DATES = [
    "../2026-01-18",
    "2026-01-18/../x",
    "2026-01-18\n",
    "2026-13-01",
    "2026-02-30",
    "2026-1-18",
    "20260118",
    "2026-01-18T00:00",
    "",
    None,
]
BAD_SLUGS = [
    "../nlp",
    "nlp/../x",
    "nlp\n",
    "NLP",
    "computer_vision",
    "computer vision",
    "-nlp",
    "nlp-",
    "a--b",
    "计算机视觉",
    "café",
    "",
    None,
    "a" * 65,
]


@pytest.mark.parametrize("arxiv_id", BAD_ARXIV_IDS)
@pytest.mark.parametrize(
    "builder", [paths.paper_page, paths.arxiv_abs_url, paths.arxiv_pdf_url, paths.hf_paper_url, paths.check_arxiv_id]
)
def test_arxiv_builders_reject_bad_ids(builder, arxiv_id):
    with pytest.raises(UnsafePathError):
        builder(arxiv_id)


@pytest.mark.parametrize("date", BAD_DATES)
@pytest.mark.parametrize("builder", [paths.day_page, paths.month_of, paths.check_date])
def test_date_builders_reject_bad_dates(builder, date):
    with pytest.raises(UnsafePathError):
        builder(date)


@pytest.mark.parametrize("slug", BAD_SLUGS)
@pytest.mark.parametrize("builder", [paths.field_page, paths.tag_page, paths.check_slug, paths.field_feed])
def test_slug_builders_reject_bad_slugs(builder, slug):
    with pytest.raises(UnsafePathError):
        builder(slug)


@pytest.mark.parametrize("section", ["../papers", "about", "", "papers/", "assets"])
def test_section_index_rejects_unknown_sections(section):
    with pytest.raises(UnsafePathError):
        paths.section_index(section)


def test_unsafe_path_error_is_a_value_error():
    assert issubclass(UnsafePathError, ValueError)


def test_builders_with_valid_keys():
    assert paths.paper_page("2601.10103") == "papers/2601.10103.md"
    assert paths.paper_page("2601.0123") == "papers/2601.0123.md"  # four-digit numbers (before 2015)
    assert paths.day_page("2026-01-18") == "days/2026-01-18.md"
    assert paths.field_page("computer-vision") == "fields/computer-vision.md"
    assert paths.tag_page("rl") == "tags/rl.md"
    assert paths.tag_page("a" * 64) == f"tags/{'a' * 64}.md"
    assert paths.section_index("days") == "days/index.md"
    assert paths.month_of("2026-01-18") == "2026-01"
    assert paths.arxiv_abs_url("2601.10103") == "https://arxiv.org/abs/2601.10103"
    assert paths.arxiv_pdf_url("2601.10103") == "https://arxiv.org/pdf/2601.10103"
    assert paths.hf_paper_url("2601.10103") == "https://huggingface.co/papers/2601.10103"


@pytest.mark.parametrize(
    ("source", "target", "anchor", "expected"),
    [
        ("papers/2601.10103.md", "fields/computer-vision.md", "", "../fields/computer-vision.md"),
        ("papers/2601.10103.md", "papers/2601.06378.md", "", "2601.06378.md"),
        ("papers/2601.10103.md", "index.md", "", "../index.md"),
        ("index.md", "days/2026-01-18.md", "", "days/2026-01-18.md"),
        ("index.md", "index.md", "", "index.md"),
        ("days/index.md", "days/2026-01-18.md", "", "2026-01-18.md"),
        ("tags/index.md", "tags/rl.md", "", "rl.md"),
        ("days/2026-01-18.md", "papers/2601.10103.md", "sec", "../papers/2601.10103.md#sec"),
    ],
)
def test_link_is_relative_to_the_source_page(source, target, anchor, expected):
    assert paths.link(source, target, anchor) == expected


@pytest.mark.parametrize(
    ("page", "url"),
    [
        ("index.md", ""),
        ("papers/index.md", "papers/"),
        ("days/index.md", "days/"),
        ("papers/2601.10103.md", "papers/2601.10103/"),
        ("days/2026-01-18.md", "days/2026-01-18/"),
        ("fields/computer-vision.md", "fields/computer-vision/"),
        ("tags/rl.md", "tags/rl/"),
    ],
)
def test_page_url(page, url):
    assert paths.page_url(page) == url


def test_absolute_url():
    assert paths.absolute_url("https://x.org/site/", "papers/2601.10103.md") == "https://x.org/site/papers/2601.10103/"
    assert paths.absolute_url("https://x.org/site", "index.md") == "https://x.org/site/"


@pytest.mark.parametrize(
    "path",
    [
        "index.md",
        "papers/2601.10103.md",
        "papers/index.md",
        "days/2026-01-18.md",
        "fields/nlp.md",
        "tags/rl.md",
        "stats/index.md",
        "search/manifest.js",
    ],
)
def test_is_generated_accepts_generated_paths(path):
    assert paths.is_generated(path)


@pytest.mark.parametrize(
    "path",
    [
        "about.md",
        "assets/stylesheets/extra.css",
        "papers",
        "papers/",
        "papers//x.md",
        "papers/../about.md",
        "papers/./x.md",
        "papers\\x.md",
        "/papers/x.md",
        "papersx/a.md",
        "assets/papers/x.md",
        "../docs/papers/x.md",
        "",
        None,
    ],
)
def test_is_generated_rejects_everything_else(path):
    assert not paths.is_generated(path)


def test_paper_pages_are_told_from_other_pages():
    assert paths.is_paper_page(paths.paper_page("2601.10103"))
    assert not paths.is_paper_page(paths.section_index(paths.PAPERS))
    assert not paths.is_paper_page(paths.day_page("2026-01-12"))
    assert not paths.is_paper_page("papers/x/y.md")
