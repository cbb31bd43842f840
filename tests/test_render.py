"""generator/render.py and templates/pages: what each page says and links to."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import frontmatter
import pytest

from conftest import FIXTURES, ROOT, SAMPLE_DIGESTS, SHARED_DIGESTS, TAXONOMY, merge_digests, load_digests
from generator import paths
from generator.markdown import plain_text
from generator.model import Digest, Paper, Part
from generator.render import PAPERS_INDEX_SIZE, Renderer, describe
from generator.taxonomy import load_taxonomy

SMALL_TAXONOMY = FIXTURES / "taxonomy" / "small.yml"
SECTIONS = ["应用领域", "核心贡献", "使用指南", "主要创新点", "实验效果"]
LINK = re.compile(r"\]\(([^()\s]+)\)")


def taxonomy_for_pages():
    """The curated taxonomy when it exists (the fixture one otherwise)."""
    taxonomy, _ = load_taxonomy(TAXONOMY if TAXONOMY.is_file() else SMALL_TAXONOMY)
    return taxonomy


def render_folder(folder: Path, taxonomy=None):
    digests, _ = load_digests(folder)
    archive, _ = merge_digests(digests, taxonomy or taxonomy_for_pages())
    return archive, Renderer(archive).render_all()


@pytest.fixture(scope="module")
def samples():
    return render_folder(SAMPLE_DIGESTS)


@pytest.fixture(scope="module")
def shared():
    if not SHARED_DIGESTS.is_dir():
        pytest.skip(f"../shared/digests is absent ({SHARED_DIGESTS})")
    return render_folder(SHARED_DIGESTS)


def make_paper(arxiv_id: str, title: str = "", field: str = "NLP", contribution: str = "", extra=()) -> Paper:
    parts = (
        Part("应用领域", field, 10, "field"),
        Part("一句话核心贡献", contribution or f"贡献 {arxiv_id}", 12, "contribution"),
        Part("使用指南", "*   输入：文本", 14, "usage"),
        Part("主要创新点", "1.  创新", 16, "innovations"),
        Part("实验效果", "*   结果", 18, "results"),
    )
    return Paper(arxiv_id, title or f"Paper {arxiv_id}", f"https://huggingface.co/papers/{arxiv_id}", "HTML", "", 7, parts, tuple(extra))


def make_digest(date: str, *papers: Paper) -> Digest:
    return Digest(f"digests/{date}.md", date, f"https://huggingface.co/papers/date/{date}", papers, 2)


def render_digests(*digests: Digest) -> dict[str, str]:
    taxonomy, _ = load_taxonomy(SMALL_TAXONOMY)
    archive, _ = merge_digests(list(digests), taxonomy)
    return Renderer(archive).render_all()


def body(page: str) -> str:
    return frontmatter.loads(page).content


def h2s(page: str) -> list[str]:
    return [line[3:] for line in body(page).splitlines() if line.startswith("## ")]


def paper_links(page_path: str, page: str) -> list[str]:
    """Targets of links to paper pages, in order, as docs-relative paths."""
    resolved = [posixpath.normpath(posixpath.join(posixpath.dirname(page_path), t)) for t in LINK.findall(body(page))]
    return [t for t in resolved if t.startswith("papers/") and t != "papers/index.md"]


# -- paper pages -----------------------------------------------------------------------


def test_paper_front_matter(samples):
    archive, pages = samples
    entry = archive.entries["2601.04211"]
    post = frontmatter.loads(pages["papers/2601.04211.md"])
    assert post["title"] == "GraspFormer: Language-Conditioned Dexterous Grasping with Tactile Tokens"
    assert post["description"] == plain_text(entry.main.contribution)
    assert "**" not in post["description"] and "`" not in post["description"]
    assert post["date"] == "2026-01-12"  # the first appearance, as a string
    assert post["arxiv_id"] == "2601.04211"
    assert post["fields"] == [archive.taxonomy.field(s).zh for s in entry.fields]
    assert post["tags"] == [archive.taxonomy.tag(s).zh for s in entry.tags]
    assert len(post["fields"]) >= 1


def test_every_paper_has_front_matter(samples):
    archive, pages = samples
    for arxiv_id, entry in archive.entries.items():
        post = frontmatter.loads(pages[paths.paper_page(arxiv_id)])
        assert post["arxiv_id"] == arxiv_id
        assert post["title"] == entry.main.title
        assert post["date"] == entry.first_date
        assert isinstance(post["description"], str) and post["description"]


def test_description_is_plain_and_short():
    assert describe("提出 **X**，用 `y`。") == "提出 X，用 y。"
    long = "这是一个很长的句子，" * 40
    assert len(describe(long)) <= 181 and describe(long).endswith("…")


def test_paper_sections_in_fixed_order_extra_parts_after(samples):
    _, pages = samples
    # SparseThink-like: 2601.05588 in 2026-01-13 has an extra part "局限性".
    for page_path, page in pages.items():
        if page_path.startswith("papers/2") and "局限性" in page:
            headings = h2s(page)
            assert headings[:6] == SECTIONS + ["局限性"], headings
            break
    else:
        pytest.fail("no sample paper with an extra part")
    for page_path, page in pages.items():
        if page_path.startswith("papers/2"):
            assert h2s(page)[:5] == SECTIONS, page_path


def test_missing_part_keeps_its_section():
    pages = render_digests(make_digest("2026-01-01", Paper("2601.00001", "T", "", "", "", 7, (Part("应用领域", "NLP", 9, "field"),))))
    page = pages["papers/2601.00001.md"]
    assert h2s(page) == SECTIONS
    assert page.count("（本期摘要没有这一部分）") == 4


def test_paper_page_links_and_sources(samples):
    archive, pages = samples
    page = body(pages["papers/2601.04211.md"])
    assert page.startswith("# GraspFormer: Language-Conditioned Dexterous Grasping with Tactile Tokens\n")
    assert "**arXiv** [2601.04211](https://arxiv.org/abs/2601.04211)" in page  # the id is a link
    for url in ("https://huggingface.co/papers/2601.04211", "https://arxiv.org/abs/2601.04211", "https://arxiv.org/pdf/2601.04211"):
        assert f"]({url})" in page
    assert " · 阅读来源：HTML\n" in page  # the main summary's reading source
    entry = archive.entries["2601.04211"]
    for slug in entry.fields:
        assert f"](../fields/{slug}.md)" in page
    for slug in entry.tags:
        assert f"](../tags/{slug}.md)" in page
    # Every day it appeared on.
    assert "[2026-01-12](../days/2026-01-12.md) · [2026-01-13](../days/2026-01-13.md)" in page


def test_older_summary_is_readable_below(samples):
    _, pages = samples
    page = body(pages["papers/2601.04211.md"])
    main = page.index("提出 GraspFormer，将视觉、语言指令与指尖触觉信号统一编码为 Token 序列")  # from the HTML
    older_heading = page.index("## 往期摘要")
    other = page.index("用统一的 Token 序列融合视觉、语言与触觉")  # the newer one, from the abstract
    assert main < older_heading < other
    assert '??? note "2026-01-13 的摘要（阅读来源：ArXiv Abs）"' in page


def test_previous_and_next_within_the_newest_day(samples):
    archive, pages = samples
    day = archive.day("2026-01-13")
    ids = day.paper_ids
    for position, arxiv_id in enumerate(ids):
        if archive.entries[arxiv_id].last_date != day.date:
            continue
        page = body(pages[paths.paper_page(arxiv_id)])
        nav = page.rsplit("\n---\n", 1)[1]
        expected = []
        if position > 0:
            expected.append(f"papers/{ids[position - 1]}.md")
        if position + 1 < len(ids):
            expected.append(f"papers/{ids[position + 1]}.md")
        found = [posixpath.normpath(posixpath.join("papers", t)) for t in LINK.findall(nav)]
        assert found == expected, arxiv_id
    first = body(pages[paths.paper_page(ids[0])]).rsplit("\n---\n", 1)[1]
    assert "←" not in first and "→" in first


# -- day pages -------------------------------------------------------------------------


def test_day_page_lists_papers_in_digest_order(samples):
    archive, pages = samples
    for day in archive.days:
        page_path = paths.day_page(day.date)
        assert paper_links(page_path, pages[page_path]) == [paths.paper_page(i) for i in day.paper_ids]
        post = frontmatter.loads(pages[page_path])
        assert post["date"] == day.date
        assert f"]({day.source_url})" in post.content


def test_day_page_shows_field_tags_and_contribution(samples):
    archive, pages = samples
    page = body(pages["days/2026-01-13.md"])
    for arxiv_id in archive.day("2026-01-13").paper_ids:
        entry = archive.entries[arxiv_id]
        assert plain_text(entry.main.contribution)[:20] in page
        for slug in entry.fields:
            assert f"](../fields/{slug}.md)" in page
        for slug in entry.tags[:3]:  # a card shows the first three tags
            assert f"](../tags/{slug}.md)" in page


def test_day_page_is_a_jump_list_and_one_card_per_paper(samples):
    archive, pages = samples
    page = body(pages["days/2026-01-13.md"])
    ids = archive.day("2026-01-13").paper_ids
    assert "\n## " not in page  # no heading per paper
    jump = [line for line in page.splitlines() if line.startswith("    [1. ")][0]
    assert jump.startswith("    [1. DriveVLA-0](#p-2601-05126) · [2. FoldBridge](#p-2601-05239) · ")
    assert page.count('<div class="paper-card" id="p-') == len(ids)
    card = page[page.index('<div class="paper-card" id="p-2601-05126" markdown>') :].split("</div>")[0]
    assert "**1. [DriveVLA-0: End-to-End Driving" in card
    assert "[arXiv 2601.05126](https://arxiv.org/abs/2601.05126) · [PDF](https://arxiv.org/pdf/2601.05126) · [HF](https://huggingface.co/papers/2601.05126)" in card


def test_day_navigation(samples):
    _, pages = samples
    assert "[← 2026-01-12](2026-01-12.md) | [2026-01-14 →](2026-01-14.md)" in pages["days/2026-01-13.md"]
    assert "←" not in pages["days/2026-01-12.md"]
    assert "→" not in pages["days/2026-01-14.md"]


def test_days_index_by_month_newest_first():
    pages = render_digests(
        make_digest("2025-12-31", make_paper("2512.00001")),
        make_digest("2026-01-02", make_paper("2601.00002"), make_paper("2601.00003")),
        make_digest("2026-01-01", make_paper("2601.00001")),
    )
    page = body(pages["days/index.md"])
    assert [line for line in page.splitlines() if line.startswith("## ")] == ["## 2026-01", "## 2025-12", "## 按月浏览"]
    items = [line for line in page.splitlines() if line.startswith("- ")]
    assert items == [
        "- [2026-01-02](2026-01-02.md) · 2 篇",
        "- [2026-01-01](2026-01-01.md) · 1 篇",
        "- [2025-12-31](2025-12-31.md) · 1 篇",
        "- [2026-01](2026-01.md) · 2 天 · 3 篇",
        "- [2025-12](2025-12.md) · 1 天 · 1 篇",
    ]
    month = body(pages["days/2026-01.md"])
    assert month.splitlines()[2:] == [
        "[全部日期](index.md) · 2026-01 共 2 天", "",
        "- [2026-01-02](2026-01-02.md) · 2 篇",
        "- [2026-01-01](2026-01-01.md) · 1 篇",
    ]


# -- field and tag pages ---------------------------------------------------------------


@pytest.fixture(scope="module")
def three_days():
    return render_digests(
        make_digest("2026-01-01", make_paper("2601.00011", field="NLP、强化学习"), make_paper("2601.00012", field="机器人")),
        make_digest("2026-01-02", make_paper("2601.00021", field="NLP - 智能体")),
        make_digest("2026-01-03", make_paper("2601.00031", field="NLP、强化学习"), make_paper("2601.00011", field="NLP、强化学习")),
    )


def test_field_page_groups_by_day_newest_first(three_days):
    page = three_days["fields/nlp.md"]
    post = frontmatter.loads(page)
    assert post["title"] == "自然语言处理（Natural Language Processing）"
    assert h2s(page) == ["2026-01-03", "2026-01-02", "按月浏览"]  # 2601.00011 is listed at its newest day
    assert paper_links("fields/nlp.md", page) == ["papers/2601.00031.md", "papers/2601.00011.md", "papers/2601.00021.md"]
    assert "共 3 篇论文" in page
    assert "Natural Language Processing" in page
    assert "贡献 2601.00021" in page
    assert "](../tags/reinforcement-learning.md) (2)" in page  # related tags with counts


def test_tag_page_groups_by_day_and_names_fields(three_days):
    page = three_days["tags/reinforcement-learning.md"]
    assert frontmatter.loads(page)["title"] == "强化学习（Reinforcement Learning）"
    assert h2s(page) == ["2026-01-03", "按月浏览"]
    assert paper_links("tags/reinforcement-learning.md", page) == ["papers/2601.00031.md", "papers/2601.00011.md"]
    assert "](../fields/nlp.md) (2)" in page


def test_only_terms_with_papers_get_pages(three_days):
    assert sorted(p for p in three_days if p.startswith("fields/")) == [
        "fields/index.md", "fields/nlp.md", "fields/nlp/2026-01.md", "fields/robotics.md", "fields/robotics/2026-01.md",
    ]
    assert sorted(p for p in three_days if p.startswith("tags/")) == [
        "tags/index.md",
        "tags/llm-agents.md",
        "tags/llm-agents/2026-01.md",
        "tags/reinforcement-learning.md",
        "tags/reinforcement-learning/2026-01.md",
    ]


# -- every link resolves ---------------------------------------------------------------


def _check_links(pages: dict[str, str]) -> int:
    hand_written = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md") if not paths.is_generated(p.relative_to(ROOT / "docs").as_posix())}
    checked = 0
    for page_path, page in pages.items():
        if not page_path.endswith(".md"):
            continue
        for target in LINK.findall(body(page)):
            if re.match(r"https?://", target):
                continue
            if target.startswith("#"):
                assert f'id="{target[1:]}"' in page, f"{page_path} -> {target}"
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), target.split("#")[0]))
            if resolved.startswith(paths.FEEDS_DIR + "/"):
                continue  # feeds are written by the build next to the pages (tests/test_build.py)
            assert resolved in pages or resolved in hand_written, f"{page_path} -> {target}"
            checked += 1
    return checked


def test_every_link_resolves_samples(samples):
    assert _check_links(samples[1]) > 100


def test_every_link_resolves_shared(shared):
    assert _check_links(shared[1]) > 300


def test_each_paper_links_to_its_fields_tags_and_days(shared):
    archive, pages = shared
    for arxiv_id, entry in archive.entries.items():
        page_path = paths.paper_page(arxiv_id)
        targets = {posixpath.normpath(posixpath.join("papers", t)) for t in LINK.findall(body(pages[page_path]))}
        expected = {paths.field_page(s) for s in entry.fields} | {paths.tag_page(s) for s in entry.tags}
        expected |= {paths.day_page(d) for d in entry.dates}
        assert expected <= targets, arxiv_id
        assert expected <= set(pages)


def test_page_counts(shared):
    archive, pages = shared
    assert sum(1 for p in pages if p.startswith("papers/") and p != "papers/index.md") == len(archive.entries)
    assert sum(1 for p in pages if re.fullmatch(r"days/\d{4}-\d\d-\d\d\.md", p)) == len(archive.days)
    assert sum(1 for p in pages if re.fullmatch(r"days/\d{4}-\d\d\.md", p)) == len({day.date[:7] for day in archive.days})
    assert sum(1 for p in pages if p.startswith("fields/") and p.count("/") == 1 and p != "fields/index.md") == len(archive.papers_by_field)
    assert sum(1 for p in pages if p.startswith("tags/") and p.count("/") == 1 and p != "tags/index.md") == len(archive.papers_by_tag)
    for index in ("index.md", "papers/index.md", "days/index.md", "fields/index.md", "tags/index.md"):
        assert index in pages


# -- index pages and home --------------------------------------------------------------


def _synthetic(days: int, per_day: int) -> dict[str, str]:
    fields = ["NLP、强化学习", "机器人 - 灵巧手", "语音合成", "计算机视觉、扩散", "AI4Science、评测基准"]
    digests = []
    for day in range(days):
        date = f"2026-01-{day + 1:02d}"
        papers = [make_paper(f"2601.{day:02d}{n:03d}", field=fields[n % len(fields)]) for n in range(per_day)]
        digests.append(make_digest(date, *papers))
    return render_digests(*digests)


def test_index_sizes_do_not_grow_with_papers():
    small, large = _synthetic(3, 5), _synthetic(3, 60)
    for index in ("fields/index.md", "tags/index.md"):
        assert len(small[index].splitlines()) == len(large[index].splitlines()), index
        assert LINK.findall(small[index]) == LINK.findall(large[index])
    assert len(large["papers/index.md"]) < 2 * len(_synthetic(3, 20)["papers/index.md"])
    assert len(paper_links("papers/index.md", large["papers/index.md"])) == PAPERS_INDEX_SIZE
    # The days index grows with days, not papers.
    assert len(small["days/index.md"].splitlines()) == len(large["days/index.md"].splitlines())


def test_fields_and_tags_index_list_every_term_with_counts(three_days):
    fields = body(three_days["fields/index.md"])
    assert "| [自然语言处理](nlp.md) | Natural Language Processing | 3 |" in fields
    assert "| [机器人](robotics.md) | Robotics | 1 |" in fields
    tags = body(three_days["tags/index.md"])
    assert "- [强化学习](reinforcement-learning.md) · Reinforcement Learning · 2 篇" in tags
    assert "- [大模型智能体](llm-agents.md) · LLM Agents · 1 篇" in tags


def test_home_shows_the_newest_day_and_totals(three_days):
    page = body(three_days["index.md"])
    assert "## 最新：[2026-01-03](days/2026-01-03.md)" in page
    assert paper_links("index.md", three_days["index.md"]) == ["papers/2601.00031.md", "papers/2601.00011.md"]
    assert "共 **4** 篇论文、**3** 天" in page
    for index in ("days/index.md", "fields/index.md", "tags/index.md", "papers/index.md"):
        assert f"]({index})" in page


# -- text that YAML or Markdown would misread ------------------------------------------

TRICKY_TITLES = ["NO", "yes", "2024-05-01", "null", "a: b", "- x", "#x", "~", "1e3", "0x1F", "'q'", "[a]", "{b}", "@c", "on"]


def test_tricky_titles_round_trip_as_strings():
    papers = [make_paper(f"2601.{i:05d}", title=title, contribution=title) for i, title in enumerate(TRICKY_TITLES)]
    pages = render_digests(make_digest("2026-01-01", *papers))
    for i, title in enumerate(TRICKY_TITLES):
        post = frontmatter.loads(pages[f"papers/2601.{i:05d}.md"])
        assert post["title"] == title and isinstance(post["title"], str)
        assert post["description"] == plain_text(title) and isinstance(post["description"], str)
        assert post["arxiv_id"] == f"2601.{i:05d}" and isinstance(post["arxiv_id"], str)
        assert post["date"] == "2026-01-01" and isinstance(post["date"], str)


def test_markdown_in_titles_is_literal():
    title = "Q&A-Bench: Evaluating *Long-Context* Retrieval with <Needle> [Questions](x)"
    pages = render_digests(make_digest("2026-01-01", make_paper("2601.00001", title=title)))
    assert frontmatter.loads(pages["papers/2601.00001.md"])["title"] == title
    heading = body(pages["papers/2601.00001.md"]).splitlines()[0]
    assert heading == "# Q\\&A-Bench: Evaluating \\*Long-Context\\* Retrieval with &lt;Needle\\> \\[Questions\\](x)"


def test_rendering_is_pure_and_sorted(samples):
    archive, pages = samples
    again = Renderer(archive).render_all()
    assert again == pages
    assert list(pages) == sorted(pages)
    assert all(page.endswith("\n") and not page.endswith("\n\n\n") for page in pages.values())


@pytest.mark.parametrize("text", ["", "a", "a\nb", "a\n\nb\n", "\nx", "a\u2028b\rc\r\nd", "  x\n", "a\n\n\n"])
def test_indent_is_jinjas_indent(text):
    from jinja2.filters import do_indent

    from generator.render import _indent

    assert _indent(text, 4) == do_indent(text, 4, first=True)


# -- hostile one-line text: bounded listings, escaped source links, valid feeds ------------


def test_listing_items_carry_a_bounded_prefix_of_a_runaway_contribution():
    long = "很长的贡献" * 100_000  # 500,000 characters on one line
    pages = render_digests(make_digest("2026-01-12", make_paper("2601.00001", contribution=long)))
    day = body(pages[paths.day_page("2026-01-12")])
    assert "很长的贡献" * 60 + "…" in day
    assert len(day) < 2_000


def test_day_page_source_link_cannot_end_early_or_start_markup():
    digest = Digest("digests/x.md", "2026-01-12", "https://huggingface.co/papers/date/X)<details>(x", (make_paper("2601.00001"),), 2)
    pages = render_digests(digest)
    assert "[Hugging Face 原始页面](https://huggingface.co/papers/date/X%29%3Cdetails%3E%28x)" in body(pages[paths.day_page("2026-01-12")])


def test_day_page_says_how_many_papers_could_not_be_read():
    from generator import archive as archive_module

    taxonomy, _ = load_taxonomy(SMALL_TAXONOMY)
    archive, _ = merge_digests([make_digest("2026-01-12", make_paper("2601.00001"))], taxonomy)
    day = archive.days[0]
    archive = archive_module.Archive(
        archive.taxonomy, archive.entries, (archive_module.Day(day.date, day.source_url, day.digest_path, day.paper_ids, 2),),
        archive.papers_by_field, archive.papers_by_tag,
    )
    page = body(Renderer(archive).render_all()[paths.day_page("2026-01-12")])
    assert '!!! warning "2 篇论文未能收录"\n    这一天的摘要中有 2 篇论文因格式问题未能读取，本页只列出其余的论文。\n' in page
    clean = body(render_digests(make_digest("2026-01-12", make_paper("2601.00001")))[paths.day_page("2026-01-12")])
    assert "未能收录" not in clean


def test_home_page_of_an_empty_archive_says_there_are_no_digests_yet():
    pages = render_digests()
    assert "还没有摘要：把每日摘要文件放进 `digests/` 文件夹，再运行 `make site`。" in body(pages[paths.HOME])


def test_feeds_stay_valid_xml_whatever_the_text():
    import xml.etree.ElementTree as ET

    from generator.feeds import render_feeds

    paper = make_paper("2601.00001", title="Title\x0bwith\x1b[2J VT", contribution="贡献\ufffe" + "长" * 1000)
    taxonomy, _ = load_taxonomy(SMALL_TAXONOMY)
    archive, _ = merge_digests([make_digest("2026-01-12", paper)], taxonomy)
    feeds = render_feeds(archive, "https://example.org/", "Site")
    assert feeds
    for path, text in feeds.items():
        if not path.endswith(".xml"):
            continue
        item = ET.fromstring(text.encode("utf-8")).find("channel/item")
        assert item.findtext("title") == "Title\ufffdwith\ufffd[2J VT"
        assert item.findtext("description") == "贡献\ufffd" + "长" * 297 + "…"


# -- bounded listings: every page stays small, every paper stays reachable ----------------


def test_listings_stay_bounded_and_every_paper_stays_reachable(monkeypatch):
    from generator import render

    monkeypatch.setattr(render, "RECENT_MONTHS", 1)
    monkeypatch.setattr(render, "RECENT_LIMIT", 3)
    monkeypatch.setattr(render, "MONTH_PAGE_SIZE", 2)
    monkeypatch.setattr(render, "DAYS_INDEX_MONTHS", 1)
    digests = []
    for month in (1, 2, 3, 4):
        for day in (1, 2, 3):
            ids = [f"26{month:02d}.{day}{n:04d}" for n in (1, 2)]
            digests.append(make_digest(f"2026-{month:02d}-{day:02d}", *(make_paper(i) for i in ids)))
    pages = render_digests(*digests)
    every_id = {paper.arxiv_id for digest in digests for paper in digest.papers}

    main = paper_links("fields/nlp.md", pages["fields/nlp.md"])
    assert main == ["papers/2604.30001.md", "papers/2604.30002.md", "papers/2604.20001.md"]  # the newest month, at most 3
    months = sorted(p for p in pages if p.startswith("fields/nlp/"))
    assert months == sorted(f"fields/nlp/2026-{m:02d}{part}.md" for m in (1, 2, 3, 4) for part in ("", "-2", "-3"))
    listed = [link for page in months for link in paper_links(page, pages[page])]
    assert sorted(listed) == sorted(f"papers/{i}.md" for i in every_id)  # each paper on exactly one month page
    assert max(len(paper_links(page, pages[page])) for page in months) == 2
    # A month is cut oldest first, so the pages of a past month never change as later days arrive.
    assert paper_links("fields/nlp/2026-01.md", pages["fields/nlp/2026-01.md"]) == ["papers/2601.10001.md", "papers/2601.10002.md"]
    assert paper_links("fields/nlp/2026-01-3.md", pages["fields/nlp/2026-01-3.md"]) == ["papers/2601.30001.md", "papers/2601.30002.md"]
    assert "[4](2026-04-3.md)" not in pages["fields/nlp.md"] and "- [2026-04](nlp/2026-04.md) · 6 篇（分页：[1](nlp/2026-04.md) · [2](nlp/2026-04-2.md) · [3](nlp/2026-04-3.md)）" in pages["fields/nlp.md"]
    days_index = body(pages["days/index.md"])
    assert [line for line in days_index.splitlines() if line.startswith("- [2026-0")] == [
        "- [2026-04-03](2026-04-03.md) · 2 篇", "- [2026-04-02](2026-04-02.md) · 2 篇", "- [2026-04-01](2026-04-01.md) · 2 篇",
        "- [2026-04](2026-04.md) · 3 天 · 6 篇", "- [2026-03](2026-03.md) · 3 天 · 6 篇",
        "- [2026-02](2026-02.md) · 3 天 · 6 篇", "- [2026-01](2026-01.md) · 3 天 · 6 篇",
    ]


def test_related_papers_show_their_one_sentence_contribution():
    from generator.build import gather
    from generator.links import link_archive

    archive, _ = gather([SAMPLE_DIGESTS], TAXONOMY)
    links = link_archive(archive)
    page = body(Renderer(archive, links).render_all()["papers/2601.04211.md"])
    section = page[page.index("## 相关论文") : page.index("## 被提及")]
    for related_id in links.related["2601.04211"]:
        other = archive.entries[related_id]
        assert f"- [{other.analysis.item_title}]({related_id}.md) · {other.last_date}\n\n    {other.analysis.item_text}\n" in section
