"""The built site: strict MkDocs build, math, heading ids, navigation size, search in a browser."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from site_build import build_site, served_browser

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIGESTS = Path(__file__).resolve().parent / "fixtures" / "samples"


@pytest.fixture(scope="module")
def all_digests(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("digests")
    for source in [SAMPLE_DIGESTS, ROOT.parent / "shared" / "digests"]:
        if source.is_dir():
            for file in source.iterdir():
                shutil.copy(file, folder / file.name)
    return folder


@pytest.fixture(scope="module")
def built(all_digests, tmp_path_factory):
    return build_site(all_digests, tmp_path_factory.mktemp("build"))


def test_strict_build_has_no_warnings(built):
    site, warnings = built
    assert warnings == []
    assert (site / "index.html").is_file()


def test_every_paper_has_a_page(built, all_digests):
    site, _ = built
    ids = {p.name for p in (site / "papers").iterdir() if p.is_dir()}
    assert "2601.04211" in ids  # a sample paper
    assert all((site / "papers" / i / "index.html").is_file() for i in ids)


def test_heading_ids_keep_chinese_and_have_permalinks(built):
    site, _ = built
    html = (site / "papers" / "2601.04211" / "index.html").read_text(encoding="utf-8")
    assert 'id="应用领域"' in html
    assert 'class="headerlink" href="#应用领域"' in html


def test_math_is_marked_for_mathjax_from_the_site(built):
    site, _ = built
    html = "".join(p.read_text(encoding="utf-8") for p in (site / "papers").glob("*/index.html"))
    assert re.search(r'<span class="arithmatex">\\\(.+?\\\)</span>', html)
    page = (site / "index.html").read_text(encoding="utf-8")
    assert 'src="assets/mathjax/tex-svg.js"' in page
    assert (site / "assets" / "mathjax" / "tex-svg.js").stat().st_size > 1_000_000


def test_no_network_assets(built):
    site, _ = built
    for page in [site / "index.html", site / "papers" / "2601.04211" / "index.html"]:
        html = page.read_text(encoding="utf-8")
        scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
        styles = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
        assert [u for u in scripts + styles if u.startswith(("http:", "https:", "//"))] == []
        assert "fonts.googleapis" not in html


def test_navigation_lists_only_index_pages(built):
    site, _ = built
    paper = (site / "papers" / "2601.04211" / "index.html").read_text(encoding="utf-8")
    assert "md-nav--primary" not in paper  # generated pages have no nav drawer (templates/theme/main.html)
    html = (site / "about" / "index.html").read_text(encoding="utf-8")
    nav = html[html.index("md-nav--primary"):]
    nav = nav[: nav.index("</nav>")]
    assert "2601." not in nav


def test_search_worker_files_are_built(built):
    site, _ = built
    assert (site / "assets" / "javascripts" / "lunr.js").is_file()
    assert sorted(p.name for p in (site / "search").glob("*.js"))[0] == "manifest.js"


def test_generated_static_files_are_linked_into_the_site_with_their_bytes(built):
    # The hook links docs/search and docs/cards into the site instead of letting MkDocs copy them.
    site, _ = built
    docs = site.parent / "docs"
    generated = sorted(p.relative_to(docs) for folder in ("search", "cards") for p in (docs / folder).rglob("*") if p.is_file())
    assert len(generated) > 50 and Path("search/manifest.js") in generated and Path("cards/site.png") in generated
    for relative in generated:
        assert (site / relative).read_bytes() == (docs / relative).read_bytes()
        assert (site / relative).stat().st_ino == (docs / relative).stat().st_ino
    theirs = sorted(p.relative_to(site) for folder in ("search", "cards") for p in (site / folder).rglob("*") if p.is_file())
    assert sorted(set(theirs) - set(generated)) == [Path("search/search_index.js"), Path("search/search_index.json")]


def test_the_themes_own_search_index_holds_no_page(built):
    # Material fetches it on a page's first search and hands it to the paper search worker, which ignores it.
    site, _ = built
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["docs"] == []
    assert sorted(index["config"]) == ["fields", "lang", "pipeline", "separator"]


def test_every_hand_written_page_stays_out_of_the_themes_search_index():
    import frontmatter

    from generator import paths

    pages = sorted(p for p in (ROOT / "docs").rglob("*.md") if not paths.is_generated(p.relative_to(ROOT / "docs").as_posix()))
    assert [p.name for p in pages] == ["about.md", "me.md"]
    assert [frontmatter.load(p).get("search") for p in pages] == [{"exclude": True}] * len(pages)


# -- the real search box in headless Chromium ------------------------------------------------


@pytest.fixture(scope="module")
def browser_page(built):
    site, _ = built

    with served_browser(site) as served:
        yield served


def search_in_browser(browser_page, query: str) -> list[str]:
    browser, base = browser_page
    page = browser.new_page()
    try:
        page.goto(base + "papers/2601.04211/")
        page.click("input.md-search__input")
        # Material sends queries only once the worker is ready.
        page.wait_for_function("() => document.querySelector('.md-search-result__meta')")
        time.sleep(0.3)
        # Material reads the box on keyboard events; fill() alone sends none for CJK text.
        page.fill("input.md-search__input", query)
        page.keyboard.press("End")
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        time.sleep(0.3)
        return page.eval_on_selector_all(
            ".md-search-result__item a", "els => els.map(e => new URL(e.href).pathname.split('/')[2])"
        )
    finally:
        page.close()


def test_theme_config_points_at_the_paper_search_worker(browser_page):
    """assets/javascripts/config.js writes Material's __config, which the bundle reads when it starts."""
    browser, base = browser_page
    page = browser.new_page()
    try:
        page.goto(base + "papers/2601.04211/")
        config = page.evaluate("() => JSON.parse(document.getElementById('__config').textContent)")
    finally:
        page.close()
    assert config["base"] == base  # the site's root, as seen from the page
    assert config["search"] == base + "assets/javascripts/search-worker.js"  # the bundle starts this worker
    assert config["translations"]["search.result.placeholder"] == "键入以开始搜索"
    assert config["features"] == ["navigation.tabs", "navigation.top", "navigation.footer", "toc.follow"]
    assert set(config) == {"base", "features", "translations", "search"}  # annotate, tags, version: unset


@pytest.mark.parametrize(
    "query, first",
    [("GraspFormer", "2601.04211"), ("2601.04387", "2601.04387"), ("TTS-Lite", "2601.04387")],
)
def test_browser_search_finds_paper_first(browser_page, query, first):
    assert search_in_browser(browser_page, query)[0] == first


def test_browser_search_chinese_topic(browser_page):
    results = search_in_browser(browser_page, "语音识别")
    assert "2601.06112" in results[:10]


def test_trends_page_keeps_its_charts_through_sanitising(built):
    site, _ = built
    html = (site / "stats" / "index.html").read_text(encoding="utf-8")
    assert html.count('<svg class="chart"') == 3
    assert html.count('role="img"') >= 3
    field = (site / "fields" / "robotics" / "index.html").read_text(encoding="utf-8")
    assert '<svg class="sparkline"' in field and "<polyline" in field


_SMALLEST_CHART_TEXT = """() => Math.min(...Array.from(document.querySelectorAll('svg.chart text, svg.sparkline text')).map(
  t => parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a))"""


@pytest.mark.parametrize("page_path", ["stats/", "fields/robotics/", "tags/robot-manipulation/"])
def test_chart_text_reads_on_a_phone(browser_page, page_path):
    """No chart text smaller than 11 CSS px at a 390 px wide viewport (the trends page and sparklines)."""
    browser, base = browser_page
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(base + page_path)
        page.wait_for_selector("svg text")
        assert page.evaluate(_SMALLEST_CHART_TEXT) >= 11
    finally:
        page.close()


def test_titles_at_full_contrast_and_the_contribution_as_the_lead(browser_page):
    browser, base = browser_page
    page = browser.new_page()
    try:
        page.goto(base + "papers/2601.04211/")
        colours = page.evaluate("""() => [getComputedStyle(document.querySelector('.md-typeset h1')).color,
                                          getComputedStyle(document.querySelector('.md-typeset')).color]""")
        assert colours[0] == colours[1]
        lead = page.inner_text(".md-typeset .paper-lead")
        assert lead.startswith("提出 GraspFormer")  # the main summary's contribution
        assert page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.paper-lead')).borderLeftWidth)") > 0
    finally:
        page.close()
