"""The offline copy and the served site in Chromium: every kind of page loads with no console error.

The offline copy (``make offline``: ``.html`` URLs, opened from ``file://``)
and the site as published (directory URLs, served over HTTP) are opened page
kind by page kind (home, indexes, day, paper, field, tag, trends, about, a
search); any console error, uncaught exception, failed request or HTTP error
fails the test. Material used to ask for a ``sitemap.xml`` beside every
``<link rel=alternate>``, the RSS feeds included: blocked from ``file://`` and
missing under ``feeds/fields/`` when served.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from site_build import build_site, launched_browser, record_problems, served_folder

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIGESTS = Path(__file__).resolve().parent / "fixtures" / "samples"
GRASP = "2601.04211"
DAY = "2026-01-12"
FIELD = "robotics"

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


def page_url(base: str, path: str, tag: str, directory_urls: bool) -> str:
    path = path.format(tag=tag)
    if directory_urls:
        return base + (path.rstrip("/") + "/" if path else "")
    if not path or path.endswith("/"):
        return base + path + "index.html"
    return base + path + ".html"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    offline, warnings = build_site(SAMPLE_DIGESTS, tmp_path_factory.mktemp("offline"), use_directory_urls=False)
    assert warnings == []
    served, warnings = build_site(SAMPLE_DIGESTS, tmp_path_factory.mktemp("served"), site_url="https://reader.example.org/archive/")
    assert warnings == []
    return {"offline": offline, "served": served}


@pytest.fixture(scope="module")
def tag(sites) -> str:
    slugs = sorted(p.stem for p in (sites["offline"] / "tags").glob("*.html") if p.stem != "index")
    assert slugs
    return slugs[0]


@pytest.fixture(scope="module")
def browser():
    with launched_browser() as launched:
        yield launched


@pytest.fixture(scope="module")
def bases(sites):
    """Where each variant is opened: the offline copy from disk and over HTTP, the site over HTTP."""
    with served_folder(sites["offline"]) as offline_http, served_folder(sites["served"]) as served_http:
        yield {
            "offline from file://": (sites["offline"].as_uri() + "/", False),
            "offline over http": (offline_http, False),
            "site over http": (served_http, True),
        }


@contextlib.contextmanager
def watched(browser):
    """A new page and the problems it reports: console errors, exceptions, failed requests, HTTP errors."""
    page = browser.new_page()
    problems = record_problems(page)
    try:
        yield page, problems
    finally:
        page.close()


def settle(page) -> None:
    """Wait until the page and the requests its scripts start are done (MathJax typesets, the theme fetches)."""
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("where", ["offline from file://", "offline over http", "site over http"])
@pytest.mark.parametrize("kind, path", PAGES, ids=[name for name, _ in PAGES])
def test_page_loads_without_console_errors(browser, bases, tag, where, kind, path):
    base, directory_urls = bases[where]
    with watched(browser) as (page, problems):
        page.goto(page_url(base, path, tag, directory_urls))
        settle(page)
        assert page.text_content("h1")
        assert problems == []


@pytest.mark.parametrize("where", ["offline from file://", "offline over http", "site over http"])
def test_search_runs_without_console_errors(browser, bases, where):
    base, directory_urls = bases[where]
    with watched(browser) as (page, problems):
        page.goto(page_url(base, "", "", directory_urls))
        settle(page)
        page.click("input.md-search__input")
        page.wait_for_function("() => document.querySelector('.md-search-result__meta')")
        page.fill("input.md-search__input", "GraspFormer")
        page.keyboard.press("End")
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        link = page.eval_on_selector(".md-search-result__item a", "a => a.href")
        assert GRASP in link
        page.goto(link)
        settle(page)
        assert page.text_content("h1").startswith("GraspFormer")
        assert problems == []


@pytest.mark.parametrize("where", ["offline from file://", "offline over http", "site over http"])
def test_share_button_copies_the_address_the_reader_is_on(browser, bases, where):
    """Served, the permalink is the reader's address (whatever SITE_URL says); from disk, the canonical one."""
    base, directory_urls = bases[where]
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        url = page_url(base, f"papers/{GRASP}", "", directory_urls)
        page.goto(url + "?h=GraspFormer#核心贡献")  # a search highlight and a section: not part of the permalink
        canonical = page.get_attribute('meta[property="og:url"]', "content")
        expected = canonical if url.startswith("file:") else url
        assert canonical.startswith("https://") and canonical != url
        text = page.get_attribute(".share-button", "data-share-text")
        assert text.startswith("GraspFormer") and text.endswith(" — " + expected)
        page.click(".share-button")
        page.wait_for_function("() => document.querySelector('.share-button').textContent === '已复制'")
        assert page.evaluate("navigator.clipboard.readText()") == text
    finally:
        context.close()


# -- the zip -----------------------------------------------------------------------------

FAKE_MKDOCS = """
import sys
from pathlib import Path
site = Path(sys.argv[sys.argv.index("--site-dir") + 1])
(site / "papers").mkdir(parents=True)
(site / "index.html").write_text("home")
(site / "papers" / "2601.04211.html").write_text("paper")
"""


def test_offline_zip_unpacks_into_one_folder(tmp_path):
    """``make offline``'s zip holds one folder, ``daily-papers/`` (the build itself is faked here)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    mkdocs = bin_dir / "mkdocs"
    mkdocs.write_text(f"#!{sys.executable}\n{FAKE_MKDOCS}", encoding="utf-8")
    mkdocs.chmod(0o755)
    (bin_dir / "python").symlink_to(sys.executable)
    subprocess.run(
        ["make", "--no-print-directory", "-s", "-f", str(ROOT / "Makefile"), "offline", "STAMP=", f"BIN={bin_dir}"],
        check=True, cwd=tmp_path,
    )
    with zipfile.ZipFile(tmp_path / "dist" / "site-offline.zip") as archive:
        names = archive.namelist()
    assert names and all(name.startswith("daily-papers/") for name in names)
    assert {"daily-papers/index.html", f"daily-papers/papers/{GRASP}.html"} <= set(names)
    assert not (tmp_path / "site-offline.tmp").exists()
