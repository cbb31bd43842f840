"""Publishing: link previews, feeds, copy-share text and the offline copy."""

from __future__ import annotations

import html.parser
import os
import subprocess
import time
from pathlib import Path

import pytest

from site_build import build_site, launched_browser

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIGESTS = Path(__file__).resolve().parent / "fixtures" / "samples"
SITE_URL = "https://reader.example.org/papers-archive/"
GRASP = "2601.04211"


class _Meta(html.parser.HTMLParser):
    """Open Graph, Twitter, canonical and alternate links, as a link unfurler reads them."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs.get("name"), attrs.get("content", ""))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def read_meta(page: Path) -> _Meta:
    parser = _Meta()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    built, warnings = build_site(SAMPLE_DIGESTS, tmp_path_factory.mktemp("publish"), site_url=SITE_URL)
    assert warnings == []
    return built


def test_paper_page_preview_tags(site):
    meta = read_meta(site / "papers" / GRASP / "index.html")
    permalink = SITE_URL + f"papers/{GRASP}/"
    assert meta.meta["og:title"].startswith("GraspFormer: ")
    assert meta.meta["og:url"] == permalink
    assert {"rel": "canonical", "href": permalink} in meta.links
    assert meta.meta["og:type"] == "article"
    assert meta.meta["og:site_name"] == "Daily Papers 中文精读"
    assert meta.meta["og:locale"] == "zh_CN"
    assert meta.meta["twitter:card"] == "summary_large_image"
    description = meta.meta["og:description"]
    assert description == meta.meta["description"] and 0 < len(description) <= 200
    assert "*" not in description and "<" not in description


@pytest.mark.parametrize("page, words", [("days/2026-01-12/index.html", "共 6 篇"), ("fields/robotics/index.html", "领域"), ("tags/index.html", "标签")])
def test_listing_pages_describe_what_they_list(site, page, words):
    meta = read_meta(site / page)
    assert words in meta.meta["og:description"]
    assert meta.meta["og:type"] == "website"


def test_every_page_advertises_the_feed(site):
    for page in [site / "index.html", site / "papers" / GRASP / "index.html", site / "about" / "index.html"]:
        links = read_meta(page).links
        assert any(l.get("type") == "application/rss+xml" and l["href"].endswith("feed.xml") for l in links)


def test_feeds_parse_cleanly(site):
    feedparser = pytest.importorskip("feedparser")
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert feed.bozo == 0
    assert len(feed.entries) == 16  # every sample paper (fewer than the 200 newest)
    first = feed.entries[0]
    assert first.link.startswith(SITE_URL + "papers/")
    assert first.published_parsed[:3] == (2026, 1, 14)
    assert first.tags and first.summary
    field_feeds = sorted((site / "feeds" / "fields").glob("*.xml"))
    assert field_feeds
    for path in field_feeds:
        assert feedparser.parse(path.read_bytes()).bozo == 0


# -- in the browser ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    with launched_browser() as launched:
        yield launched


def test_copy_share_button_copies_title_contribution_and_permalink(site, browser):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto((site / "papers" / GRASP / "index.html").as_uri())
    meta = read_meta(site / "papers" / GRASP / "index.html").meta
    expected = f"{meta['og:title']} — {meta['og:description']} — {SITE_URL}papers/{GRASP}/"
    page.click(".share-button")
    page.wait_for_function("() => document.querySelector('.share-button').textContent !== '复制分享'")
    assert page.text_content(".share-button") == "已复制"
    assert page.get_attribute(".share-button", "data-share-text") == expected
    assert page.evaluate("navigator.clipboard.readText()") == expected
    context.close()


def test_offline_copy_searches_from_file_urls_without_network(site, browser):
    """The site opened from disk, as the offline copy is (``make offline`` zips it as it is)."""
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((site / "index.html").as_uri())
    page.click("input.md-search__input")
    page.wait_for_function("() => document.querySelector('.md-search-result__meta')")
    time.sleep(0.5)
    page.fill("input.md-search__input", "语音识别")
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    assert links[0].endswith("/papers/2601.06112/")
    with page.expect_navigation():
        page.click(".md-search-result__item a")  # file-worker.js: the folder's index.html
    assert page.url.endswith("/papers/2601.06112/index.html")
    assert page.text_content("h1").startswith("VoxASR-3B")
    page.close()
    assert requests and [url for url in requests if not url.startswith(("file:", "data:", "blob:"))] == []


# -- make site: the swap ---------------------------------------------------------------------------

# Stands in for `mkdocs build`: writes the page it is given into --site-dir, or fails as a strict build does.
FAKE_MKDOCS = """#!/bin/sh
while [ "$1" != "--site-dir" ]; do shift; done
[ -z "$FAKE_BUILD_FAILS" ] || { echo "Aborted with a warning in strict mode" >&2; exit 1; }
mkdir -p "$2" && printf '%s' "$FAKE_PAGE" > "$2/index.html"
"""


def make_site(cwd: Path, page: str, fails: bool = False) -> subprocess.CompletedProcess:
    """``make site`` in ``cwd`` with ``FAKE_MKDOCS`` building ``page``."""
    bin_dir = cwd / "fake-bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "mkdocs").write_text(FAKE_MKDOCS)
    (bin_dir / "mkdocs").chmod(0o755)
    env = {**os.environ, "FAKE_PAGE": page, "FAKE_BUILD_FAILS": "1" if fails else ""}
    return subprocess.run(
        ["make", "--no-print-directory", "-s", "-f", str(ROOT / "Makefile"), "site", "STAMP=", f"BIN={bin_dir}"],
        cwd=cwd, capture_output=True, text=True, env=env, timeout=60,
    )


def test_make_site_swaps_the_new_site_in_and_leaves_the_replaced_one_to_the_next_build(tmp_path):
    assert make_site(tmp_path, "first").returncode == 0
    assert (tmp_path / "site" / "index.html").read_text() == "first"
    assert not (tmp_path / "site.old").exists() and not (tmp_path / "site.tmp").exists()

    assert make_site(tmp_path, "second").returncode == 0
    assert (tmp_path / "site" / "index.html").read_text() == "second"
    assert (tmp_path / "site.old" / "index.html").read_text() == "first"  # not deleted in the publish's time

    assert make_site(tmp_path, "third").returncode == 0
    assert (tmp_path / "site" / "index.html").read_text() == "third"
    assert (tmp_path / "site.old" / "index.html").read_text() == "second"  # the older one removed first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fake-bin", "site", "site.old"]


def test_make_site_removes_what_an_interrupted_build_left_in_site_tmp(tmp_path):
    (tmp_path / "site.tmp").mkdir()
    (tmp_path / "site.tmp" / "stale.html").write_text("from an interrupted build")
    assert make_site(tmp_path, "fresh").returncode == 0
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["index.html"]
    assert not (tmp_path / "site.tmp").exists()


def test_a_failed_make_site_leaves_the_published_site_as_it_was(tmp_path):
    assert make_site(tmp_path, "published").returncode == 0
    result = make_site(tmp_path, "broken", fails=True)
    assert result.returncode != 0
    assert "strict mode" in result.stderr
    assert (tmp_path / "site" / "index.html").read_text() == "published"
