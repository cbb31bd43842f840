"""The offline copy and the served site in Chromium: every kind of page loads, links and search lead to pages.

The offline copy is what ``make offline`` ships: the site as published (directory URLs), zipped by
``generator/offline.py`` into ``daily-papers/``, unzipped here and opened from ``file://``. There a
link to a folder (``papers/2601.04211/``, ``..``) would open a file listing; ``file-worker.js``
points such links at the folder's ``index.html``. The copy from disk and the site served over HTTP
are opened page kind by page kind (home, indexes, day, paper, field, tag, trends, about); any
console error, uncaught exception, failed request or HTTP error fails the test, and so does any
request to another place than the site itself (from disk: anything but a file). Links are followed
as a reader follows them (a paper in a day page, a tab, the logo, a link under a chart, a search
result clicked or chosen with Enter, a middle click) and must land on the page, named by its
title. Material used to ask for a ``sitemap.xml`` beside every ``<link rel=alternate>``, the RSS
feeds included: blocked from ``file://`` and missing under ``feeds/fields/`` when served.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator.offline import zip_site
from site_build import build_site, launched_browser, record_problems, served_folder

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIGESTS = Path(__file__).resolve().parent / "fixtures" / "samples"
GRASP = "2601.04211"
GRASP_TITLE = "GraspFormer: Language-Conditioned Dexterous Grasping with Tactile Tokens - Daily Papers 中文精读"
DAY = "2026-01-12"
FIELD = "robotics"
DISK, HTTP = "offline from file://", "site over http"

# Page kinds, as (name, path without the URL suffix); "{tag}" is a tag the samples have.
PAGES = [
    ("home", ""),
    ("day", f"days/{DAY}"),
    ("paper", f"papers/{GRASP}"),
    ("field", f"fields/{FIELD}"),
    ("tag", "tags/{tag}"),
    ("trends", "stats/"),
    ("days index", "days/"),
    ("fields index", "fields/"),
    ("tags index", "tags/"),
    ("papers index", "papers/"),
    ("about", "about"),
]


def page_url(base: str, path: str, from_disk: bool, tag: str = "") -> str:
    """A page's address: its folder when served, the folder's index.html from disk."""
    path = path.format(tag=tag)
    url = base + (path.rstrip("/") + "/" if path else "")
    return url + "index.html" if from_disk else url


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    built, warnings = build_site(SAMPLE_DIGESTS, tmp_path_factory.mktemp("site"), site_url="https://reader.example.org/archive/")
    assert warnings == []
    return built


@pytest.fixture(scope="module")
def offline(site, tmp_path_factory) -> Path:
    """The offline copy as a reader gets it: the zip ``make offline`` writes, unzipped."""
    work = tmp_path_factory.mktemp("offline")
    zip_site(site, work / "site-offline.zip")
    with zipfile.ZipFile(work / "site-offline.zip") as archive:
        assert {name.split("/", 1)[0] for name in archive.namelist()} == {"daily-papers"}
        archive.extractall(work / "unzipped")
    return work / "unzipped" / "daily-papers"


@pytest.fixture(scope="module")
def tag(site) -> str:
    slugs = sorted(p.parent.name for p in (site / "tags").glob("*/index.html"))
    assert slugs
    return slugs[0]


@pytest.fixture(scope="module")
def browser():
    with launched_browser() as launched:
        yield launched


@pytest.fixture(scope="module")
def bases(site, offline):
    """Where each variant is opened, and whether from disk: the offline copy from file://, the site over HTTP."""
    with served_folder(site) as served_http:
        yield {DISK: (offline.as_uri() + "/", True), HTTP: (served_http, False)}


@contextlib.contextmanager
def watched(browser, base: str, context=None):
    """A new page and the problems it reports: console errors, exceptions, failed requests, HTTP
    errors, and requests that leave the site (from disk, that is any request for another thing than
    a file of the copy: the network)."""
    page = (context or browser).new_page()
    problems = record_problems(page)
    page.on("request", lambda request: request.url.startswith((base, "data:", "blob:"))
            or problems.append(f"outside the site: {request.url}"))
    try:
        yield page, problems
    finally:
        page.close()


def settle(page) -> None:
    """Wait until the page and the requests its scripts start are done (MathJax typesets, the theme fetches)."""
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")


# Links of the page that still name a folder ("x/", "..", "x/#y"): from disk, each opens a file listing.
FOLDER_LINKS = """() => Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href'))
  .filter(href => !/^[a-z][a-z0-9+.-]*:/i.test(href) || /^file:/i.test(href))
  .filter(href => /(^|\\/)(\\.\\.?)?$/.test(href.split(/[?#]/)[0]) && !/^[?#]/.test(href))"""


@pytest.mark.parametrize("where", [DISK, HTTP])
@pytest.mark.parametrize("kind, path", PAGES, ids=[name for name, _ in PAGES])
def test_page_loads_without_console_errors(browser, bases, tag, where, kind, path):
    base, from_disk = bases[where]
    with watched(browser, base) as (page, problems):
        page.goto(page_url(base, path, from_disk, tag))
        settle(page)
        assert page.text_content("h1")
        folder_links = page.evaluate(FOLDER_LINKS)
        if from_disk:
            assert folder_links == []  # hovering or copying a link shows the page it opens
        else:
            assert folder_links  # served, the links stay as built
        assert problems == []


# (name, page, link clicked, where it leads, the title there)
LINKS = [
    ("paper in a day page", f"days/{DAY}", f'.md-content a[href*="papers/{GRASP}/"]', f"papers/{GRASP}", GRASP_TITLE),
    ("tab", f"papers/{GRASP}", '.md-tabs__link:text-is("领域")', "fields/", "研究领域 - Daily Papers 中文精读"),
    ("logo", f"papers/{GRASP}", ".md-header a.md-logo", "", "Daily Papers 中文精读"),
    ("day in a chart's data table", "stats/", f'.md-content a[href*="days/{DAY}/"]', f"days/{DAY}", f"{DAY} 每日论文 - Daily Papers 中文精读"),
    ("field of a paper", f"papers/{GRASP}", f'.md-content a[href*="fields/{FIELD}/"]', f"fields/{FIELD}", None),
]


@pytest.mark.parametrize("where", [DISK, HTTP])
@pytest.mark.parametrize("name, start, link, target, title", LINKS, ids=[case[0] for case in LINKS])
def test_clicked_links_lead_to_the_page(browser, bases, where, name, start, link, target, title):
    base, from_disk = bases[where]
    with watched(browser, base) as (page, problems):
        page.goto(page_url(base, start, from_disk))
        settle(page)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")  # data tables
        with page.expect_navigation():
            page.locator(link).first.click()
        settle(page)
        assert page.url == page_url(base, target, from_disk)
        assert page.title() == title if title else page.title().endswith(" - Daily Papers 中文精读")
        assert problems == []


@pytest.mark.parametrize("where", [DISK, HTTP])
def test_middle_click_opens_the_page_in_a_new_tab(browser, bases, where):
    """A link drawn after the page loaded (as search results are) is fixed when it is middle-clicked."""
    base, from_disk = bases[where]
    context = browser.new_context()
    try:
        with watched(browser, base, context) as (page, problems):
            page.goto(page_url(base, f"days/{DAY}", from_disk))
            settle(page)
            page.evaluate(f"""() => {{
                const link = document.createElement('a');
                link.id = 'late';
                link.href = '../../papers/{GRASP}/';
                link.textContent = 'GraspFormer';
                document.querySelector('.md-content h1').after(link);
            }}""")
            with context.expect_page() as opened:
                page.click("#late", button="middle")
            tab = opened.value
            tab.wait_for_load_state("load")
            assert tab.url == page_url(base, f"papers/{GRASP}", from_disk)
            assert tab.title() == GRASP_TITLE
            assert problems == []
    finally:
        context.close()


@pytest.mark.parametrize("where", [DISK, HTTP])
@pytest.mark.parametrize("how", ["click", "Enter"])
def test_search_result_leads_to_the_paper(browser, bases, where, how):
    """Typed key by key; the result is clicked, or chosen with Enter (Material then clicks the best one)."""
    base, from_disk = bases[where]
    with watched(browser, base) as (page, problems):
        page.goto(page_url(base, "", from_disk))
        settle(page)
        page.click("input.md-search__input")
        page.wait_for_function("() => document.querySelector('.md-search-result__meta')")
        page.keyboard.type("GraspFormer", delay=20)
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        # As Material draws it: the paper's folder (from disk, pointed at its index.html when clicked).
        assert page.eval_on_selector(".md-search-result__item a", "a => a.href") == base + f"papers/{GRASP}/"
        with page.expect_navigation():
            if how == "click":
                page.click(".md-search-result__item a")
            else:
                page.keyboard.press("Enter")
        settle(page)
        assert page.url == page_url(base, f"papers/{GRASP}", from_disk)
        assert page.title() == GRASP_TITLE
        assert problems == []


# What file-worker.js makes of a link when it is clicked: (href, from disk). Served, nothing changes.
REWRITES = [
    (f"papers/{GRASP}/", f"papers/{GRASP}/index.html"),
    (f"../../papers/{GRASP}/#核心贡献", f"../../papers/{GRASP}/index.html#核心贡献"),
    ("days/?x=1#y", "days/index.html?x=1#y"),
    (".", "./index.html"),
    ("..", "../index.html"),
    ("../..", "../../index.html"),
    ("../#p-1", "../index.html#p-1"),
    ("#p-2601-04211", "#p-2601-04211"),
    ("?h=x", "?h=x"),
    ("../../feed.xml", "../../feed.xml"),
    (f"papers/{GRASP}/index.html", f"papers/{GRASP}/index.html"),
    ("https://arxiv.org/abs/2601.04211/", "https://arxiv.org/abs/2601.04211/"),
    ("http://example.org/", "http://example.org/"),
    ("mailto:reader@example.org", "mailto:reader@example.org"),
    ("file:///srv/daily-papers/days/", "file:///srv/daily-papers/days/index.html"),
]

# Each href on a new link (an HTML one, and an SVG one clicked on its text), clicked with the
# default action cancelled; returns what the links' hrefs became.
CLICK_LINKS = """(hrefs) => hrefs.map((href) => {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  const svgLink = document.createElementNS('http://www.w3.org/2000/svg', 'a');
  const text = document.createElementNS('http://www.w3.org/2000/svg', 'text');
  const link = document.createElement('a');
  link.setAttribute('href', href);
  svgLink.setAttribute('href', href);
  svgLink.appendChild(text).textContent = 'x';
  svg.appendChild(svgLink);
  document.body.append(link, svg);
  const results = [link, text].map((target) => {
    target.addEventListener('click', (event) => event.preventDefault());
    target.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
    return target.closest('a').getAttribute('href');
  });
  link.remove();
  svg.remove();
  return results;
})"""


@pytest.mark.parametrize("where", [DISK, HTTP])
def test_links_to_folders_are_pointed_at_their_index_from_disk_only(browser, bases, where):
    base, from_disk = bases[where]
    with watched(browser, base) as (page, problems):
        page.goto(page_url(base, f"days/{DAY}", from_disk))
        settle(page)
        results = page.evaluate(CLICK_LINKS, [href for href, _ in REWRITES])
        expected = [[fixed, fixed] if from_disk else [href, href] for href, fixed in REWRITES]
        assert results == expected
        assert problems == []


@pytest.mark.parametrize("where", [DISK, HTTP])
def test_share_button_copies_the_address_the_reader_is_on(browser, bases, where):
    """Served, the permalink is the reader's address (whatever SITE_URL says); from disk, the canonical one."""
    base, from_disk = bases[where]
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        url = page_url(base, f"papers/{GRASP}", from_disk)
        page.goto(url + "?h=GraspFormer#核心贡献")  # a search highlight and a section: not part of the permalink
        canonical = page.get_attribute('meta[property="og:url"]', "content")
        expected = canonical if from_disk else url
        assert canonical.startswith("https://") and canonical != url
        text = page.get_attribute(".share-button", "data-share-text")
        assert text.startswith("GraspFormer") and text.endswith(" — " + expected)
        page.click(".share-button")
        page.wait_for_function("() => document.querySelector('.share-button').textContent === '已复制'")
        assert page.evaluate("navigator.clipboard.readText()") == text
    finally:
        context.close()


# -- the zip -----------------------------------------------------------------------------


def make_offline(cwd: Path) -> subprocess.CompletedProcess:
    """``make offline`` in ``cwd`` with this interpreter's environment (no venv of its own)."""
    return subprocess.run(
        ["make", "--no-print-directory", "-s", "-f", str(ROOT / "Makefile"), "offline", "STAMP=", f"BIN={Path(sys.executable).parent}"],
        cwd=cwd, capture_output=True, text=True,
    )


def test_make_offline_zips_the_built_site_into_one_folder(tmp_path):
    """``make offline`` zips site/ as it is (faked here) under daily-papers/, PNGs stored and text deflated."""
    site = tmp_path / "site"
    (site / "papers" / GRASP).mkdir(parents=True)
    (site / "cards").mkdir()
    (site / "index.html").write_text("<h1>home</h1>" * 100, encoding="utf-8")
    (site / "papers" / GRASP / "index.html").write_text("<h1>paper</h1>" * 100, encoding="utf-8")
    (site / "cards" / "site.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = make_offline(tmp_path)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "dist" / "site-offline.zip") as archive:
        entries = {info.filename: info for info in archive.infolist()}
        assert archive.testzip() is None
        assert archive.read(f"daily-papers/papers/{GRASP}/index.html") == (site / "papers" / GRASP / "index.html").read_bytes()
    assert set(entries) == {"daily-papers/index.html", f"daily-papers/papers/{GRASP}/index.html", "daily-papers/cards/site.png"}
    assert entries["daily-papers/index.html"].compress_type == zipfile.ZIP_DEFLATED
    assert entries["daily-papers/cards/site.png"].compress_type == zipfile.ZIP_STORED
    assert [path.name for path in (tmp_path / "dist").iterdir()] == ["site-offline.zip"]  # no temporary file left


def test_make_offline_without_a_built_site_fails_and_says_why(tmp_path):
    result = make_offline(tmp_path)
    assert result.returncode != 0
    assert "make site" in result.stderr
    assert not (tmp_path / "dist" / "site-offline.zip").exists()
