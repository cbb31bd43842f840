"""The search box in headless Chromium over the real digests: full text, snippets, any input, bytes read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_build import build_site, served_browser
from test_search import HELD_OUT

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIGESTS = Path(__file__).resolve().parent / "fixtures" / "samples"
INPUT_SCRIPT = ROOT / "templates" / "theme" / "assets" / "javascripts" / "search-input.js"
BOX = "input.md-search__input"
ITEM = ".md-search-result__item"


@pytest.fixture(scope="module")
def site(shared_digests_module, tmp_path_factory) -> Path:
    digests = tmp_path_factory.mktemp("digests")
    for source in (shared_digests_module, SAMPLE_DIGESTS):
        for file in source.iterdir():
            shutil.copy(file, digests / file.name)
    site, warnings = build_site(digests, tmp_path_factory.mktemp("build"))
    return site


@pytest.fixture(scope="module")
def shared_digests_module() -> Path:
    from conftest import SHARED_DIGESTS

    if not SHARED_DIGESTS.is_dir():
        pytest.skip("../shared/digests is absent")
    return SHARED_DIGESTS


@pytest.fixture(scope="module")
def browser_base(site):
    with served_browser(site) as served:
        yield served


def open_search(browser_base, requests: list | None = None):
    browser, base = browser_base
    page = browser.new_page()
    page.on("request", lambda request: requests is not None and "/search/" in request.url and requests.append(request.url))
    page.goto(base + "papers/2601.04211/")
    if "search-input.js" not in page.content():
        # Until templates/theme/main.html loads it (see test_pages_load_the_search_input_script).
        page.add_script_tag(path=str(INPUT_SCRIPT))
    page.click(BOX)
    return page


def results(page) -> list[str]:
    page.wait_for_selector(ITEM, timeout=10_000)
    page.wait_for_timeout(300)
    return page.eval_on_selector_all(ITEM + " a", "els => els.map(e => new URL(e.href).pathname.split('/')[2])")


def typed(browser_base, query: str, requests: list | None = None) -> tuple[list[str], str]:
    page = open_search(browser_base, requests)
    try:
        # As a person types: key events, the Chinese inserted as an input method commits, then a key release.
        page.keyboard.type(query)
        page.keyboard.press("End")
        found = results(page)
        return found, page.inner_html(ITEM)
    finally:
        page.close()


def test_a_word_from_a_usage_guide_finds_its_paper_with_the_part_marked(browser_base):
    found, first = typed(browser_base, "口型")
    assert found[0] == "2601.10103"
    assert "使用指南 · " in first and "<mark>口型</mark>" in first


@pytest.mark.parametrize("word", sorted(HELD_OUT))
def test_held_out_words_find_their_paper_in_the_top_three(browser_base, word):
    found, _ = typed(browser_base, word)
    assert HELD_OUT[word] in found[:3]


@pytest.mark.parametrize("how", ["fill", "insert_text", "paste"])
def test_a_query_put_in_without_key_events_is_searched(browser_base, how):
    browser, base = browser_base
    page = open_search(browser_base)
    try:
        page.wait_for_function("() => document.querySelector('.md-search-result__meta')")
        if how == "fill":
            page.fill(BOX, "口型同步")
        elif how == "insert_text":
            page.keyboard.insert_text("口型同步")
        else:
            page.evaluate("""() => {
                const box = document.querySelector('input.md-search__input');
                const data = new DataTransfer();
                data.setData('text/plain', '口型同步');
                box.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
                box.setRangeText('口型同步', box.selectionStart, box.selectionEnd, 'end');
                box.dispatchEvent(new InputEvent('input', {inputType: 'insertFromPaste', data: '口型同步', bubbles: true}));
            }""")
        assert results(page)[0] == "2601.10103"
    finally:
        page.close()


def test_a_query_reads_one_bucket_and_the_papers_it_shows(browser_base):
    requests: list[str] = []
    page = open_search(browser_base, requests)
    try:
        page.keyboard.insert_text("口型")  # one query: typed, "口" would be searched on its own first
        page.keyboard.press("End")
        found = results(page)
    finally:
        page.close()
    buckets = {url for url in requests if "/search/t/" in url}
    papers = {url for url in requests if "/search/d/" in url}
    assert len(buckets) == 1
    assert len(papers) == len(found)


def test_pages_load_the_search_input_script(site):
    html = (site / "papers" / "2601.04211" / "index.html").read_text(encoding="utf-8")
    assert "assets/javascripts/search-input.js" in html
    assert (site / "assets" / "javascripts" / "search-input.js").is_file()
