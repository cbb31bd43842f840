"""Link-preview cards (generator/cards.py): what they show, which page names which, and that they are drawn once."""

from __future__ import annotations

import html
import io
import re
import shutil
from pathlib import Path

import frontmatter
import pytest
from PIL import Image, ImageDraw

from conftest import ROOT, SAMPLE_DIGESTS, TAXONOMY
from generator import cards, paths
from generator.build import build, gather

SITE_NAME = "Daily Papers 中文精读"
# (A title holding "<script>" breaks its day page's anchor in a strict build: reported separately.)
HOSTILE_TITLE = "\"><img src=x onerror=\"alert('og-alt')\"> & <b>Bold</b> 'quoted'"


def paper_text(number: int, title: str, field_line: str, contribution: str) -> str:
    return f"""## 📄 {title}

- **链接**: https://huggingface.co/papers/2602.{10000 + number}
- **阅读来源**: HTML

1. **应用领域**：{field_line}。

2. **一句话核心贡献**：{contribution}

3. **使用指南**：
   *   **输入**：说明。

4. **主要创新点**：
   1.  **模块**：创新。

5. **实验效果**：
   *   指标提升。
"""


def digest_text(date: str, papers: list[tuple[int, str, str, str]]) -> str:
    separator = "\n" + "=" * 60 + "\n\n"
    header = f"# Hugging Face Daily Papers Report\n**Date**: {date}\n**Source URL**: https://huggingface.co/papers/date/{date}\n"
    return header + separator + separator.join(paper_text(*paper) for paper in papers)


def generated(docs: Path) -> dict[str, bytes]:
    return {
        p.relative_to(docs).as_posix(): p.read_bytes()
        for p in sorted(docs.rglob("*"))
        if p.is_file() and ".generator" not in p.relative_to(docs).parts
    }


def front_matter(docs: Path, page: str) -> dict:
    return frontmatter.loads((docs / page).read_text(encoding="utf-8")).metadata


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory) -> Path:
    docs = tmp_path_factory.mktemp("cards") / "docs"
    build(SAMPLE_DIGESTS, docs, TAXONOMY)
    return docs


# -- the image ---------------------------------------------------------------------------------


def test_a_card_is_a_small_1200_by_630_palette_png_carrying_its_key(sample_build):
    data = (sample_build / "cards/papers/2601.04211.png").read_bytes()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (cards.WIDTH, cards.HEIGHT) == (1200, 630)
    assert image.mode == "P" and len(image.getcolors(256)) <= 16
    assert len(data) < 35_000
    archive, _ = gather([SAMPLE_DIGESTS], TAXONOMY)
    card = cards.cards_of(archive, SITE_NAME)["cards/papers/2601.04211.png"]
    assert cards.stored_key(data[:4096]) == cards.card_key(card)
    meta = front_matter(sample_build, "papers/2601.04211.md")
    assert (card.title, card.summary) == (meta["title"], meta["description"])  # what og:title and og:description say
    assert image.text[cards.KEY_CHUNK] == cards.card_key(card)


def test_every_kind_of_card_is_written_for_the_samples(sample_build):
    archive, _ = gather([SAMPLE_DIGESTS], TAXONOMY)
    written = {page for page in generated(sample_build) if page.startswith("cards/")}
    expected = {paths.site_card()}
    expected |= {paths.paper_card(i) for i in archive.entries}  # three days: every paper is recent
    expected |= {paths.day_card(day.date) for day in archive.days}
    expected |= {paths.field_card(slug) for slug in archive.papers_by_field}
    expected |= {paths.tag_card(slug) for slug in archive.papers_by_tag}
    assert written == expected


def test_different_papers_get_different_cards(sample_build):
    images = [Image.open(p).convert("RGB").tobytes() for p in sorted((sample_build / "cards/papers").glob("*.png"))]
    assert len(images) == 16 and len(set(images)) == len(images)


def test_every_page_names_its_card_and_the_card_exists(sample_build):
    for page in generated(sample_build):
        if page.endswith(".md"):
            image = front_matter(sample_build, page)["image"]
            assert (sample_build / image).is_file(), page
    assert front_matter(sample_build, "papers/2601.04211.md")["image"] == "cards/papers/2601.04211.png"
    assert front_matter(sample_build, "days/2026-01-13.md")["image"] == "cards/days/2026-01-13.png"
    assert front_matter(sample_build, "fields/robotics.md")["image"] == "cards/fields/robotics.png"
    assert front_matter(sample_build, "fields/robotics/2026-01.md")["image"] == "cards/fields/robotics.png"
    assert front_matter(sample_build, "tags/robot-manipulation.md")["image"] == "cards/tags/robot-manipulation.png"
    for page in ("index.md", "papers/index.md", "days/index.md", "days/2026-01.md", "stats/index.md"):
        assert front_matter(sample_build, page)["image"] == paths.site_card()


def glyph(font, char: str) -> bytes:
    image = Image.new("L", (80, 80), 0)
    ImageDraw.Draw(image).text((10, 0), char, font=font, fill=255)
    return image.tobytes()


def test_chinese_is_drawn_with_real_glyphs_not_tofu():
    font = cards._font(cards.TITLE_SIZE, "Bold")
    assert font.getname()[0] == "Noto Sans CJK SC"
    tofu = glyph(font, "\U00010900")  # Phoenician, which the font does not cover: its .notdef box
    assert glyph(font, "\U00010901") == tofu
    drawn = [glyph(font, char) for char in "论文精读中每日领域标签"]
    assert len(set(drawn)) == len(drawn) and tofu not in drawn
    assert all(any(drawn_glyph) for drawn_glyph in drawn)
    # And on a card: Chinese text draws something other than boxes.
    chinese = cards.draw_card(cards.Card(SITE_NAME, "论文", "中文标题", "一句话核心贡献"))
    boxes = cards.draw_card(cards.Card(SITE_NAME, "论文", "\U00010900" * 4, "\U00010900" * 7))
    difference = sum(a != b for a, b in zip(Image.open(io.BytesIO(chinese)).tobytes(), Image.open(io.BytesIO(boxes)).tobytes()))
    assert difference > 2000


# -- text layout -------------------------------------------------------------------------------


def test_long_text_is_wrapped_into_the_lines_allowed_and_ends_with_an_ellipsis():
    font = cards._font(cards.SUMMARY_SIZE, "Regular")
    text = "提出 GraspFormer，将视觉、语言指令与指尖触觉信号统一编码为 Token 序列。" * 10
    lines = cards.wrap(text, font, 1040, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1040 for line in lines)
    assert not any(line[0] in "，。、）”" for line in lines)  # closing punctuation never starts a line
    words = {word for line in lines for word in re.findall(r"[A-Za-z]+", line)}
    assert words <= {"GraspFormer", "Token"}  # Latin words are not cut
    short = cards.wrap("短标题", font, 1040, 3)
    assert short == ["短标题"]


def test_a_word_wider_than_a_line_is_broken_and_control_characters_are_dropped():
    font = cards._font(cards.TITLE_SIZE, "Bold")
    lines = cards.wrap("A" * 200, font, 600, 2)
    assert len(lines) == 2 and all(font.getlength(line) <= 600 for line in lines) and lines[-1].endswith("…")
    assert cards.clean("a\x1b[2J\u202eb\u2028c\n d") == "a[2Jb c d"
    assert cards.wrap("", font, 600, 2) == []


class CountingFont:
    """A font that counts how often a line is measured."""

    def __init__(self, font):
        self.font, self.calls = font, 0

    def getlength(self, text: str) -> float:
        self.calls += 1
        return self.font.getlength(text)


class KerningFont:
    """20 px a character, and 15 px more for each "A中" pair: a line is wider measured whole than its units added up."""

    def getlength(self, text: str) -> float:
        return 20.0 * len(text) + 15.0 * text.count("A中")


def test_wrapping_adds_up_the_widths_of_words_and_characters_instead_of_measuring_every_candidate_line():
    font = cards._font(cards.SUMMARY_SIZE, "Regular")
    texts = [
        "提出 GraspFormer，将视觉、语言指令与指尖触觉信号统一编码为 Token 序列。" * 10,
        "Scaling Laws for Mixture-of-Experts Vision-Language-Action Models (MoE-VLA): a 3.5B-parameter study, "
        "with Supercalifragilisticexpialidociously-long-hyphenated-identifiers-and-more and “quoted” words.",
        "在 1,024 张 H100 上训练 70B 模型，推理延迟降低 37%；代码见 github.com/example/repo。" * 4,
    ]
    for text in texts:
        for width, lines in ((1040, 4), (600, 3), (300, 2)):
            units = cards._units(cards.clean(text))
            exact, overflow = cards._lay_out(units, font, width, lines, exact=True)
            assert cards._lay_out(units, font, width, lines, exact=False) == (exact, overflow)
            assert all(font.getlength(line) <= width for line in cards.wrap(text, font, width, lines))
    counting = CountingFont(font)
    assert cards.wrap(texts[0], counting, 1040, 4) == cards.wrap(texts[0], font, 1040, 4)
    assert counting.calls < 40  # measuring each growing candidate line took ~100


def test_a_line_never_exceeds_the_width_when_a_font_kerns_across_words():
    font = KerningFont()
    text = "A中" * 30
    added_up, _ = cards._lay_out(cards._units(text), font, 200, 10, exact=False)
    assert any(font.getlength(line) > 200 for line in added_up)  # so wrap measures every candidate line instead
    lines = cards.wrap(text, font, 200, 10)
    assert "".join(lines) == text and all(font.getlength(line) <= 200 for line in lines)
    lines = cards.wrap("A中" * 30, font, 200, 2)
    assert len(lines) == 2 and lines[-1].endswith("…") and all(font.getlength(line) <= 200 for line in lines)


def test_a_long_word_is_broken_where_the_line_is_full():
    font = CountingFont(cards._font(cards.TITLE_SIZE, "Bold"))
    word = "Supercalifragilisticexpialidocious" * 6
    lines = cards.wrap(word, font, 600, 20)
    assert "".join(lines) == word and all(font.getlength(line) <= 600 for line in lines)
    assert all(font.getlength(line + next_line[0]) > 600 for line, next_line in zip(lines, lines[1:]))
    font.calls = 0
    cards.wrap("A" * 200, font, 600, 2)
    assert font.calls < 40  # by bisection, not a character at a time (~900)


# -- which page shows which card ---------------------------------------------------------------


def test_a_paper_older_than_the_newest_days_points_at_its_first_field_s_card(tmp_path):
    digests, docs = tmp_path / "digests", tmp_path / "docs"
    digests.mkdir()
    dates = [f"2026-02-{day:02d}" for day in range(1, 10)]  # nine days
    for number, date in enumerate(dates):
        papers = [(number, f"Paper {number}", "机器人 - 具身智能、模仿学习", f"提出方法 {number}。")]
        if number == 0:
            papers.append((90, "Fieldless Paper", "园艺与插花", "一篇不属于任何领域的论文。"))
        (digests / f"{date}.md").write_text(digest_text(date, papers), encoding="utf-8")
    build(digests, docs, TAXONOMY)
    archive, _ = gather([digests], TAXONOMY)
    assert not archive.entries["2602.10090"].fields
    old, recent = "2602.10000", "2602.10002"  # 2026-02-01 is older than the newest 7 days; 2026-02-03 is the oldest of them
    field = archive.entries[old].fields[0]
    assert front_matter(docs, paths.paper_page(old))["image"] == paths.field_card(field)
    assert front_matter(docs, paths.paper_page("2602.10001"))["image"] == paths.field_card(field)
    assert front_matter(docs, paths.paper_page(recent))["image"] == paths.paper_card(recent)
    assert front_matter(docs, paths.paper_page("2602.10090"))["image"] == paths.site_card()
    assert not (docs / paths.paper_card(old)).exists() and (docs / paths.paper_card(recent)).is_file()
    assert (docs / paths.field_card(field)).is_file()
    assert len(list((docs / "cards/papers").glob("*.png"))) == cards.RECENT_DAYS
    assert len(list((docs / "cards/days").glob("*.png"))) == len(dates)


# -- drawn once --------------------------------------------------------------------------------


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """The titles of the cards drawn (every card is drawn by ``cards.draw_card``)."""
    titles: list[str] = []
    real = cards.draw_card

    def counting(card, key=None):
        titles.append(card.title)
        return real(card, key)

    monkeypatch.setattr(cards, "draw_card", counting)
    return titles


def test_an_incremental_build_draws_only_new_or_changed_cards_and_equals_a_cold_build(tmp_path, drawn):
    digests, docs = tmp_path / "digests", tmp_path / "docs"
    shutil.copytree(SAMPLE_DIGESTS, digests)
    build(digests, docs, TAXONOMY)
    first = len(drawn)
    assert first == len([p for p in generated(docs) if p.startswith("cards/")])
    before, _ = gather([digests], TAXONOMY)
    before_cards = cards.cards_of(before, SITE_NAME)

    # A new day with one paper, and a changed contribution of an older paper.
    (digests / "2026-01-15.md").write_text(
        digest_text("2026-01-15", [(1, "NewPaper: A Fresh Result", "机器人 - 具身智能、模仿学习", "提出 NewPaper，一个新结果。")]),
        encoding="utf-8",
    )
    sample = digests / "2026-01-12.md"
    text = sample.read_text(encoding="utf-8")
    assert "首包延迟低于 150ms" in text
    sample.write_text(text.replace("首包延迟低于 150ms", "首包延迟低于 120ms"), encoding="utf-8")
    del drawn[:]
    build(digests, docs, TAXONOMY)
    after, _ = gather([digests], TAXONOMY)
    changed = {page: card for page, card in cards.cards_of(after, SITE_NAME).items() if before_cards.get(page) != card}
    assert paths.paper_card("2602.10001") in changed and paths.day_card("2026-01-15") in changed
    assert sorted(drawn) == sorted(card.title for card in changed.values())
    assert len(drawn) <= 4  # the new paper and day, the edited paper: not the other ~70 cards

    # A card file spoilt on disk is drawn again.
    spoilt = docs / paths.field_card("robotics")
    spoilt.write_bytes(b"\x89PNG\r\n\x1a\nnot a card")
    del drawn[:]
    build(digests, docs, TAXONOMY)
    assert drawn == ["机器人与具身智能（Robotics & Embodied AI）"]

    cold = tmp_path / "cold"
    build(digests, cold, TAXONOMY)
    assert generated(docs) == generated(cold)


def test_cards_drawn_in_worker_processes_are_the_bytes_drawn_here(tmp_path, monkeypatch):
    pools = []

    class Pool(cards.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(cards, "ProcessPoolExecutor", Pool)
    digests = tmp_path / "digests"
    digests.mkdir()
    papers = [
        (1, "GraspFormer: Unified Visuo-Tactile-Language Tokens for Dexterous Manipulation", "机器人 - 具身智能、模仿学习",
         "提出 GraspFormer，将视觉、语言指令与指尖触觉信号统一编码为 Token 序列。"),
        (2, "长上下文视频生成", "视频生成", "一个新结果。"),
    ]
    (digests / "2026-02-01.md").write_text(digest_text("2026-02-01", papers), encoding="utf-8")
    archive, _ = gather([digests], TAXONOMY)
    serial = cards.render_cards(archive, None, SITE_NAME, workers=1)
    assert 4 <= len(serial) <= 12 and pools == []
    parallel = cards.render_cards(archive, None, SITE_NAME, workers=2)
    assert pools == [(2,)]
    assert list(parallel) == list(serial) and parallel == serial


def test_a_key_is_read_only_from_a_png_s_leading_text_chunk(tmp_path):
    data = cards.draw_card(cards.Card(SITE_NAME, "", "标题", "摘要"), key="k" * 40)
    assert cards.stored_key(data[:200]) == "k" * 40
    assert cards.stored_key(data[:30]) is None  # cut inside the chunk
    assert cards.stored_key(b"GIF89a" + data[6:]) is None
    target = tmp_path / "card.png"
    assert cards.existing_card(target, "k" * 40) is None
    target.write_bytes(data)
    assert cards.existing_card(target, "k" * 40) == data
    assert cards.existing_card(target, "j" * 40) is None


def test_the_key_changes_with_any_text_of_the_card():
    card = cards.Card(SITE_NAME, "论文", "标题", "摘要", "脚注")
    keys = {cards.card_key(card)}
    for changed in ("site_name", "label", "title", "summary", "footer"):
        keys.add(cards.card_key(cards.Card(**{**card.__dict__, changed: "另一个"})))
    assert len(keys) == 6


def test_card_paths_are_generated_and_validated():
    for page in (paths.site_card(), paths.paper_card("2601.10103"), paths.day_card("2026-01-18"),
                 paths.field_card("robotics"), paths.tag_card("video-generation")):
        assert paths.is_generated(page) and page.startswith("cards/") and page.endswith(".png")
    for bad in (lambda: paths.paper_card("../x"), lambda: paths.day_card("2026-13-01"), lambda: paths.tag_card("A/b")):
        with pytest.raises(paths.UnsafePathError):
            bad()


def test_the_theme_names_the_site_card_and_the_primary_colour():
    theme = (ROOT / "templates/theme/main.html").read_text(encoding="utf-8")
    assert f'"{paths.site_card()}"' in theme
    assert f'<meta name="theme-color" content="{cards.PRIMARY}">' in theme
    assert "primary: indigo" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8") and cards.PRIMARY == "#4051b5"


# -- the built site ----------------------------------------------------------------------------


SITE_URL = "https://cards.example.org/archive/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from site_build import build_site

    root = tmp_path_factory.mktemp("card-site")
    digests, work = root / "digest-files", root / "work"
    shutil.copytree(SAMPLE_DIGESTS, digests)
    (digests / "2026-01-15.md").write_text(
        digest_text("2026-01-15", [(7, HOSTILE_TITLE, "机器人 - 具身智能", "提出一种方法。")]), encoding="utf-8"
    )
    # Hand-written pages of the project (the nav names them); the generated ones come from the build.
    (work / "docs").mkdir(parents=True)
    for page in (ROOT / "docs").glob("*.md"):
        if not paths.is_generated(page.name):
            shutil.copy(page, work / "docs" / page.name)
    built, warnings = build_site(digests, work, strict=True, site_url=SITE_URL)
    assert warnings == []
    return built


def head_meta(page: str) -> dict[str, str]:
    head = page.split("</head>", 1)[0]
    found = {}
    for attribute, name, content in re.findall(r'<meta (property|name)="([^"]+)" content="([^"]*)"', head):
        found[name] = content
    return found


def test_built_pages_carry_absolute_card_urls_and_large_image_tags(site):
    paper = head_meta((site / "papers/2601.04211/index.html").read_text(encoding="utf-8"))
    assert paper["og:image"] == SITE_URL + "cards/papers/2601.04211.png"
    assert "twitter:image" not in paper  # X reads og:image
    assert paper["og:image:width"] == "1200" and paper["og:image:height"] == "630"
    assert paper["twitter:card"] == "summary_large_image"
    assert paper["theme-color"] == cards.PRIMARY
    assert paper["og:image:alt"] == paper["og:title"] != ""
    for page, card in (
        ("days/2026-01-13/index.html", "cards/days/2026-01-13.png"),
        ("fields/robotics/index.html", "cards/fields/robotics.png"),
        ("index.html", "cards/site.png"),
        ("about/index.html", "cards/site.png"),  # a hand-written page
    ):
        assert head_meta((site / page).read_text(encoding="utf-8"))["og:image"] == SITE_URL + card, page
    for card in ("cards/site.png", "cards/papers/2601.04211.png", "cards/days/2026-01-13.png", "cards/fields/robotics.png"):
        assert Image.open(site / card).size == (1200, 630)


def test_a_hostile_title_is_escaped_in_the_image_alt(site):
    page = (site / "papers/2602.10007/index.html").read_text(encoding="utf-8")
    head = page.split("</head>", 1)[0]
    assert "<img" not in head and "<b>Bold" not in head
    alt = re.search(r'<meta property="og:image:alt" content="([^"]*)"', head).group(1)
    assert html.unescape(alt) == HOSTILE_TITLE
    assert head_meta(page)["og:image"] == SITE_URL + "cards/papers/2602.10007.png"
