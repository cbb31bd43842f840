"""关注, 收藏, 已读 and the 我的 page (docs/assets/javascripts/personal.js), with no server.

The sample site is built once and opened as published (served over HTTP) and as the offline copy
(the same pages, opened from ``file://``), and driven in Chromium: follow a tag
with the keyboard, bookmark a paper with a click, open another paper (marked read), then the
我的 page lists the followed tag's papers and the bookmark; the export is a JSON file holding
them, and importing that file in a fresh browser context restores them. Without storage the
buttons still render and say 无法保存, and nothing reaches the console. ``feeds/recent.js``
(generator/feeds.py), the data the 我的 page reads, is checked here too.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

import pytest

from site_build import build_site, launched_browser, record_problems, served_folder

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIGESTS = Path(__file__).resolve().parent / "fixtures" / "samples"
TAG = "diffusion-models"  # FoldBridge, PixelMuse (2026-01-13) and AtomDiff (2026-01-12)
TAG_PAPERS = {"2601.05239", "2601.05410", "2601.04718"}
BOOKMARK = "2601.04211"  # GraspFormer, on 2026-01-12 and 2026-01-13
OPENED = "2601.05410"  # PixelMuse
DAY = "2026-01-13"
WHERE = ["offline from file://", "site over http"]


def build(work: Path, **overrides) -> Path:
    (work / "docs").mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "me.md", work / "docs" / "me.md")  # in case site_build copies only about.md
    site, warnings = build_site(SAMPLE_DIGESTS, work, **overrides)
    assert warnings == []
    return site


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("personal"))


@pytest.fixture(scope="module")
def bases(site):
    """Where the site is opened, and whether from disk."""
    with served_folder(site) as served_http:
        yield {"offline from file://": (site.as_uri() + "/", True), "site over http": (served_http, False)}


def url(base: str, path: str, from_disk: bool) -> str:
    """A page's address: its folder when served, the folder's index.html from disk."""
    address = base + (path.rstrip("/") + "/" if path else "")
    return address + "index.html" if from_disk else address


@pytest.fixture(scope="module")
def browser():
    with launched_browser() as launched:
        yield launched


@contextlib.contextmanager
def context_page(browser, init_script: str | None = None):
    """A fresh context (its own storage) with one page, and the problems the page reports."""
    context = browser.new_context(accept_downloads=True)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    problems = record_problems(page, ("error", "warning"))
    try:
        yield page, problems
    finally:
        context.close()


def open_page(page, address: str) -> None:
    page.goto(address)
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")


def open_me(page, base, from_disk) -> None:
    open_page(page, url(base, "me", from_disk))
    page.wait_for_selector("#personal h2")


def linked_ids(page, selector: str) -> set[str]:
    hrefs = page.eval_on_selector_all(selector + " a[href]", "links => links.map(a => a.href)")
    return {href.removesuffix("index.html").rstrip("/").rsplit("/", 1)[1] for href in hrefs if "/papers/" in href}


def stored(page) -> dict:
    return page.evaluate("""() => {
        const key = Object.keys(localStorage).find(k => k.endsWith('.daily-papers.personal'));
        return key ? JSON.parse(localStorage.getItem(key)) : null;
    }""")


@pytest.mark.parametrize("where", WHERE)
def test_follow_bookmark_read_me_export_and_import(browser, bases, tmp_path, where):
    base, from_disk = bases[where]
    with context_page(browser) as (page, problems):
        # Follow the tag with the keyboard: Tab until the 关注 button has focus, then Enter.
        open_page(page, url(base, f"tags/{TAG}", from_disk))
        follow = page.locator("button.personal-button")
        assert follow.text_content() == "关注" and follow.get_attribute("aria-pressed") == "false"
        assert "关注" in follow.get_attribute("aria-label")
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.classList.contains('personal-button')"):
                break
        else:
            pytest.fail("the 关注 button is not reachable with Tab")
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("", "none")  # focus is visible
        page.keyboard.press("Enter")
        assert follow.get_attribute("aria-pressed") == "true"
        assert "已关注" in page.text_content(".personal-actions .personal-status")

        # Bookmark a paper with a click; opening it marks it read.
        open_page(page, url(base, f"papers/{BOOKMARK}", from_disk))
        bookmark = page.locator("button.personal-button")
        assert bookmark.text_content() == "收藏" and bookmark.get_attribute("aria-pressed") == "false"
        bookmark.click()
        assert bookmark.get_attribute("aria-pressed") == "true"
        assert page.text_content(".share-button")  # beside the share button, which still works
        open_page(page, url(base, f"papers/{BOOKMARK}", from_disk))
        assert page.get_attribute("button.personal-button", "aria-pressed") == "true"  # remembered

        # Open another paper: read. Listings then mark both, and only those.
        open_page(page, url(base, f"papers/{OPENED}", from_disk))
        open_page(page, url(base, f"days/{DAY}", from_disk))
        cards = page.eval_on_selector_all(".paper-card.is-read", "cards => cards.map(c => c.id)")
        assert sorted(cards) == sorted(["p-" + BOOKMARK.replace(".", "-"), "p-" + OPENED.replace(".", "-")])
        marked = page.eval_on_selector_all(".read-mark", "marks => marks.map(m => m.previousElementSibling.href)")
        assert len(marked) == 2 and all(OPENED in href or BOOKMARK in href for href in marked)
        open_page(page, url(base, f"tags/{TAG}", from_disk))
        assert page.locator(".read-mark").count() == 1  # PixelMuse in the tag's listing
        assert page.get_attribute("button.personal-button", "aria-pressed") == "true"

        # 我的: the followed tag's papers (first visit: the recent window) and the bookmark.
        open_me(page, base, from_disk)
        assert linked_ids(page, ".personal-new") == TAG_PAPERS
        assert page.locator(".personal-new .read-mark").count() == 1
        assert linked_ids(page, ".personal-bookmarks") == {BOOKMARK}
        item = page.text_content(".personal-bookmarks li")
        assert "GraspFormer" in item and "2026-01-13" in item
        for href in page.eval_on_selector_all("#personal a[href*='/papers/']", "links => links.map(a => a.href)"):
            assert href.endswith("/index.html" if from_disk else "/")  # from disk, the folder's page
        # The links lead to the papers.
        page.click(f".personal-bookmarks a")
        page.wait_for_load_state("load")
        assert page.text_content("h1").startswith("GraspFormer")
        # A second visit with no newer papers shows the same list (the window moves with the data).
        open_me(page, base, from_disk)
        assert linked_ids(page, ".personal-new") == TAG_PAPERS

        # Export: a JSON file with the follow, the bookmark and the read marks.
        with page.expect_download() as download:
            page.click(".personal-export")
        exported = tmp_path / "export.json"
        download.value.save_as(exported)
        data = json.loads(exported.read_text(encoding="utf-8"))
        assert data["version"] == 1
        assert {(f["kind"], f["slug"]) for f in data["follows"]} == {("tag", TAG)}
        assert [b["id"] for b in data["bookmarks"]] == [BOOKMARK]
        assert data["bookmarks"][0]["date"] == "2026-01-13" and data["bookmarks"][0]["title"].startswith("GraspFormer")
        assert set(data["read"]) == {BOOKMARK, OPENED}
        assert data["seen"] == "2026-01-14"
        assert problems == []

    # Import into a fresh context (empty storage): everything comes back.
    with context_page(browser) as (page, problems):
        open_me(page, base, from_disk)
        assert page.locator(".personal-bookmarks").count() == 0
        assert "还没有关注" in page.text_content("#personal")
        page.set_input_files("input.personal-file", str(exported))
        page.wait_for_selector(".personal-bookmarks")
        assert "已导入" in page.text_content(".personal-tools .personal-status")
        assert linked_ids(page, ".personal-new") == TAG_PAPERS
        assert linked_ids(page, ".personal-bookmarks") == {BOOKMARK}
        assert set(stored(page)["read"]) == {BOOKMARK, OPENED}
        open_page(page, url(base, f"tags/{TAG}", from_disk))
        assert page.get_attribute("button.personal-button", "aria-pressed") == "true"
        assert problems == []


@pytest.mark.parametrize("where", WHERE)
def test_new_papers_are_those_after_the_last_visit(browser, bases, where):
    """The window of "new" starts at the newest day the 我的 page had shown before newer papers came."""
    base, from_disk = bases[where]
    with context_page(browser) as (page, problems):
        open_me(page, base, from_disk)  # sets the storage key's scope
        page.evaluate(f"""() => {{
            const key = Object.keys(localStorage).find(k => k.endsWith('.daily-papers.personal'));
            localStorage.setItem(key, JSON.stringify({{version: 1, follows: [{{kind: 'tag', slug: '{TAG}', name: 'x'}}],
                bookmarks: [], read: [], seen: '2026-01-12', since: ''}}));
        }}""")
        open_me(page, base, from_disk)
        assert linked_ids(page, ".personal-new") == TAG_PAPERS - {"2601.04718"}  # 2026-01-12's paper is not new
        assert "自 2026-01-12 以来" in page.text_content("#personal")
        assert stored(page)["seen"] == "2026-01-14" and stored(page)["since"] == "2026-01-12"
        assert problems == []


# Storage that cannot be used: full (or Safari's old private mode), and refused altogether.
QUOTA = """Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };"""
REFUSED = """Object.defineProperty(window, 'localStorage', { configurable: true,
    get() { throw new DOMException('Access is denied for this document.', 'SecurityError'); } });"""


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("storage", ["full", "refused"])
def test_without_storage_the_buttons_say_they_cannot_save(browser, bases, where, storage):
    base, from_disk = bases[where]
    with context_page(browser, QUOTA if storage == "full" else REFUSED) as (page, problems):
        open_page(page, url(base, f"tags/{TAG}", from_disk))
        button = page.locator("button.personal-button")
        assert button.text_content() == "关注"
        assert "无法保存" in page.text_content(".personal-actions .personal-status")
        button.focus()
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-pressed") == "false"  # nothing was saved, nothing pretends it was
        open_page(page, url(base, f"papers/{BOOKMARK}", from_disk))
        page.click("button.personal-button")
        assert page.get_attribute("button.personal-button", "aria-pressed") == "false"
        assert "无法保存" in page.text_content(".personal-actions .personal-status")
        open_me(page, base, from_disk)
        assert "无法保存" in page.text_content("#personal .personal-warning")
        assert page.locator(".personal-export").count() == 1
        if storage == "refused":
            # The theme's own scripts read localStorage unguarded (the palette) and fail: exactly as
            # they do on the same pages without personal.js.
            assert problems == theme_problems_without_storage(browser, base, from_disk)
        else:
            assert problems == []


def theme_problems_without_storage(browser, base, from_disk) -> list[str]:
    with context_page(browser, REFUSED) as (page, problems):
        page.route("**/personal.js", lambda route: route.fulfill(status=200, content_type="text/javascript", body=""))
        open_page(page, url(base, f"tags/{TAG}", from_disk))
        open_page(page, url(base, f"papers/{BOOKMARK}", from_disk))
        open_page(page, url(base, "me", from_disk))
        assert page.locator("button.personal-button").count() == 0
        return problems


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("path", ["", "days/", f"days/{DAY}", f"papers/{BOOKMARK}", "fields/robotics", f"tags/{TAG}",
                                  f"tags/{TAG}/2026-01", "papers/", "stats/", "about", "me"])
def test_every_page_kind_loads_without_console_errors(browser, bases, where, path):
    base, from_disk = bases[where]
    with context_page(browser) as (page, problems):
        open_page(page, url(base, path, from_disk))
        open_page(page, url(base, path, from_disk))  # again, with storage written by the first visit
        assert page.text_content("h1")
        kind = path.split("/")[0]
        buttons = page.locator("button.personal-button").count()
        if path in (f"papers/{BOOKMARK}", "fields/robotics", f"tags/{TAG}"):
            assert buttons == 1
        else:
            assert buttons == 0, kind
        assert problems == []


HOSTILE = {
    "version": 1,
    "follows": [{"kind": "tag", "slug": TAG, "name": "<img src=x onerror=alert(1)>"}, {"kind": "tag", "slug": "../x"},
                {"kind": "script", "slug": "a"}, {"kind": "field", "slug": "A B"}, "tag:x", None]
    + [{"kind": "field", "slug": f"f{n}"} for n in range(500)],
    "bookmarks": [{"id": BOOKMARK, "title": "<img src=x onerror=alert(1)>" * 100, "date": "2026-01-13"},
                  {"id": "javascript:alert(1)", "title": "x"}, {"id": "2601.1", "title": "short id"},
                  {"id": "2601.00001", "title": {"toString": 1}, "date": "<b>"}],
    "read": ["2601.05410", "x" * 10_000, 7, None] + [f"2601.{n:05d}" for n in range(20_000)],
    "seen": "tomorrow", "__proto__": {"polluted": True},
}


@pytest.mark.parametrize("where", WHERE)
def test_imported_files_are_checked_and_capped(browser, bases, tmp_path, where):
    base, from_disk = bases[where]
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(HOSTILE), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with context_page(browser) as (page, problems):
        page.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}"))
        open_me(page, base, from_disk)
        page.set_input_files("input.personal-file", str(broken))
        page.wait_for_function("() => document.querySelector('.personal-tools .personal-status').textContent.includes('导入失败')")
        page.set_input_files("input.personal-file", str(hostile))
        page.wait_for_selector(".personal-bookmarks")
        data = stored(page)
        assert len(data["follows"]) == 200 and data["follows"][0] == {"kind": "tag", "slug": TAG, "name": "<img src=x onerror=alert(1)>"}
        assert all(f["kind"] in ("field", "tag") for f in data["follows"])
        assert [b["id"] for b in data["bookmarks"]] == [BOOKMARK, "2601.00001"]
        assert len(data["bookmarks"][0]["title"]) <= 300 and data["bookmarks"][1] == {"id": "2601.00001", "title": "", "date": "", "added": ""}
        assert len(data["read"]) == 5000 and "2601.05410" not in data["read"]  # the newest 5000 kept
        assert data["seen"] == "2026-01-14" and "polluted" not in data
        assert page.locator("#personal img").count() == 0  # titles are text
        assert "<img src=x onerror=alert(1)>" in page.text_content(".personal-bookmarks")
        assert page.evaluate("() => ({}).polluted") is None
        assert problems == []


# -- feeds/recent.js -----------------------------------------------------------------------------


def recent_data(site: Path) -> dict:
    return parse_recent((site / "feeds" / "recent.js").read_text(encoding="utf-8"))


def test_recent_papers_data(site):
    data = recent_data(site)
    assert data["newest"] == "2026-01-14" and data["days"] == 30
    tags = [slug for slug, _ in data["tags"]]
    ids = [paper[0] for paper in data["papers"]]
    assert len(ids) == len(set(ids)) == 16  # every sample paper, once, by the last day it appeared
    dates = [paper[1] for paper in data["papers"]]
    assert dates == sorted(dates, reverse=True)
    assert {p[0] for p in data["papers"] if tags.index(TAG) in p[4]} == TAG_PAPERS
    assert dict(p[:2] for p in data["papers"])[BOOKMARK] == "2026-01-13"


def test_recent_papers_are_the_newest_days_only(monkeypatch):
    """The window counts back from the archive's newest day (never today), capped in papers too."""
    from conftest import TAXONOMY, load_digests, merge_digests
    from generator import feeds
    from generator.taxonomy import load_taxonomy

    archive, _ = merge_digests(load_digests(SAMPLE_DIGESTS)[0], load_taxonomy(TAXONOMY)[0])
    monkeypatch.setattr(feeds, "RECENT_DAYS", 2)
    dates = {paper[1] for paper in parse_recent(feeds.render_recent(archive))["papers"]}
    assert dates == {"2026-01-13", "2026-01-14"}
    monkeypatch.setattr(feeds, "RECENT_LIMIT", 3)
    assert len(parse_recent(feeds.render_recent(archive))["papers"]) == 3


def parse_recent(text: str) -> dict:
    prefix, suffix = "self.__recentPapers=", ";\n"
    assert text.startswith(prefix) and text.endswith(suffix)
    return json.loads(text[len(prefix):-len(suffix)])


def test_recent_titles_stay_inside_their_strings():
    """Digest titles are JSON strings (separators escaped, long ones shortened): the file stays one assignment."""
    from types import SimpleNamespace

    from generator import feeds
    from generator.text import ITEM_LIMIT

    titles = {"2601.00001": 'a\u2028b\u2029c</script><script>alert(1)</script>"\\', "2601.00002": "长" * 1000}
    entries = {i: SimpleNamespace(last_date="2026-01-14", main=SimpleNamespace(title=t), fields=("nlp", "unknown"), tags=())
               for i, t in titles.items()}
    taxonomy = SimpleNamespace(fields=(SimpleNamespace(slug="nlp", zh="自然语言处理"),), tags=())
    archive = SimpleNamespace(taxonomy=taxonomy, entries=entries, newest_day=SimpleNamespace(date="2026-01-14"),
                              ids_newest_first=lambda: list(titles))
    text = feeds.render_recent(archive)
    assert "\u2028" not in text and "\u2029" not in text and text.count("\n") == 1
    papers = parse_recent(text)["papers"]
    assert papers[0] == ["2601.00001", "2026-01-14", titles["2601.00001"], [0], []]
    assert len(papers[1][2]) <= ITEM_LIMIT + 1  # shortened, with an ellipsis
