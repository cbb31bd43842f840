"""Incremental site builds (generator/site_cache.py) equal full builds, byte for byte.

Each history is built the way ``make site`` builds it: one docs/ folder that
the generator keeps up to date, every build into a fresh site folder with the
previous one named by ``DAILY_PAPERS_PREVIOUS_SITE`` and the state file by
``DAILY_PAPERS_SITE_STATE``. After each change the incremental site is compared,
file by file (gzip files by their content), with a full build of the same
digests from scratch in folders of its own, and the cache's own count says how
many pages it rendered and how many it copied. The pitfalls of ``mkdocs build
--dirty`` are each checked: the search index and sitemap list every page, a
deleted digest's pages are gone, the navigation is never stale, and file times
play no part.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import shutil
from pathlib import Path

import pytest

from generator import paths, site_cache

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(__file__).resolve().parent / "fixtures" / "samples"

@pytest.fixture(scope="module", autouse=True)
def config_copy(tmp_path_factory):
    """The project's mkdocs.yml as the tests start (its relative paths made absolute)."""
    global CONFIG
    CONFIG = project_config(tmp_path_factory.mktemp("config") / "mkdocs.yml")
    yield
    CONFIG = None


def project_config(target: Path, site_name: str = "") -> Path:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("site_name: ", f"site_name: {site_name}", 1)
    text = text.replace("custom_dir: templates/theme", f"custom_dir: {ROOT / 'templates' / 'theme'}")
    text = text.replace("- generator/mkdocs_hook.py", f"- {ROOT / 'generator' / 'mkdocs_hook.py'}")
    target.write_text(text, encoding="utf-8")
    return target


CONFIG: Path | None = None


class Work:
    """One archive's folders: digests/, docs/, numbered site folders, the state file."""

    def __init__(self, base: Path, **overrides):
        self.base = base
        self.digests = base / "digests"
        self.docs = base / "docs"
        self.state = base / "cache" / "state.json"
        self.overrides = overrides
        self.count = 0
        self.site: Path | None = None
        self.markdown: dict[str, bytes] = {}  # docs/ as the last build left it
        shutil.copytree(SAMPLES, self.digests)
        self.docs.mkdir()
        for page in HAND_WRITTEN_PAGES:
            shutil.copy(ROOT / "docs" / page, self.docs / page)
        shutil.copytree(ROOT / "docs" / "assets", self.docs / "assets")

    def build(self, config_file: Path | None = None) -> dict:
        """An incremental build into a new site folder; the cache's report."""
        self.count += 1
        site = self.base / f"site{self.count}"
        env = {site_cache.STATE_ENV: str(self.state), site_cache.PREVIOUS_SITE_ENV: str(self.site or self.base / "none")}
        warnings = mkdocs_build(self.digests, self.docs, site, config_file or CONFIG, env, **self.overrides)
        assert warnings == []
        self.site = site
        before, self.markdown = self.markdown, {
            p.relative_to(self.docs).as_posix(): p.read_bytes() for p in self.docs.rglob("*.md") if ".generator" not in p.parts
        }
        stats = dict(site_cache.LAST_BUILD)
        stats["changed"] = {uri for uri, data in self.markdown.items() if before.get(uri) != data}
        stats["cacheable"] = set(json.loads(self.state.read_text(encoding="utf-8"))["pages"])
        stats["all"] = set(self.markdown)
        return stats


def mkdocs_build(digests: Path, docs: Path, site: Path, config_file: Path, env: dict[str, str], **overrides) -> list[str]:
    """``mkdocs build --strict`` in this process (as tests/site_build.py does), with ``env`` set."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    saved = {name: os.environ.get(name) for name in [*env, "DAILY_PAPERS_DIGESTS", "NO_MKDOCS_2_WARNING"]}
    os.environ.update(env, DAILY_PAPERS_DIGESTS=str(digests), NO_MKDOCS_2_WARNING="1")
    try:
        config = load_config(config_file=str(config_file), docs_dir=str(docs), site_dir=str(site), strict=True, **overrides)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.removeHandler(collect)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return collect.messages


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


HAND_WRITTEN_PAGES = ("about.md", "me.md")


def full_build(digests: Path, base: Path, hand_written: Path, **overrides) -> Path:
    """The same digests (and hand-written pages) built from scratch, without the cache, in folders of its own."""
    base.mkdir()
    docs = base / "docs"
    docs.mkdir()
    for page in hand_written.glob("*.md"):
        if not paths.is_generated(page.name):
            shutil.copy(page, docs / page.name)
    shutil.copytree(hand_written / "assets", docs / "assets")
    copy = base / "digests"
    shutil.copytree(digests, copy)
    assert mkdocs_build(copy, docs, base / "site", CONFIG, {}, **overrides) == []
    assert site_cache.LAST_BUILD == {}
    return base / "site"


def tree(site: Path) -> dict[str, bytes]:
    """Every file of a site by relative path; gzip files by their content (the header has a time)."""
    files = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            files[path.relative_to(site).as_posix()] = gzip.decompress(data) if path.suffix == ".gz" else data
    return files


def assert_same_site(incremental: Path, full: Path) -> None:
    mine, theirs = tree(incremental), tree(full)
    assert sorted(mine) == sorted(theirs), (sorted(set(mine) - set(theirs)), sorted(set(theirs) - set(mine)))
    differing = [name for name in mine if mine[name] != theirs[name]]
    assert differing == []


def pages(site: Path) -> set[str]:
    """The HTML pages rendered from Markdown (404.html is the theme's)."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - {"404.html"}


NEW_DAY = """# Hugging Face Daily Papers Report
**Date**: 2026-01-15
**Source URL**: https://huggingface.co/papers/date/2026-01-15

============================================================

## 📄 TactileNet: Touch Tokens for Robot Hands

- **链接**: https://huggingface.co/papers/2601.09901
- **阅读来源**: HTML

# TactileNet 研究报告

1. **应用领域**
   机器人学 - 灵巧抓取（Dexterous Grasping）。

2. **一句话核心贡献**
   提出 TactileNet，把触觉信号编码为 Token，与 GraspFormer 相比抓取成功率更高。

3. **使用指南**
   *   **输入数据**：触觉阵列。

4. **主要创新点**
   *   **触觉 Token**：轻量编码器。

5. **实验效果**
   *   **真机**：成功率 **80%**。
"""


def sitemap_urls(site: Path) -> set[str]:
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    return {line.strip()[5:-6] for line in text.splitlines() if line.strip().startswith("<loc>")}


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A first build, then a day added, a paper edited and a digest deleted: each built incrementally and in full."""
    base = tmp_path_factory.mktemp("history")
    work = Work(base / "work")
    steps = {"first": (work.build(), work.site, None)}

    (work.digests / "2026-01-15.md").write_text(NEW_DAY, encoding="utf-8")
    steps["day added"] = (work.build(), work.site, full_build(work.digests, base / "full-added", work.docs))

    digest = work.digests / "2026-01-13.md"
    text = digest.read_text(encoding="utf-8")
    edited = text.replace("2. **一句话核心贡献**\n   ", "2. **一句话核心贡献**\n   （修订）", 1)
    assert edited != text
    digest.write_text(edited, encoding="utf-8")
    steps["paper edited"] = (work.build(), work.site, full_build(work.digests, base / "full-edited", work.docs))

    (work.digests / "2026-01-14.md").unlink()
    steps["digest deleted"] = (work.build(), work.site, full_build(work.digests, base / "full-deleted", work.docs))
    return work, steps


def test_first_build_renders_every_page_and_records_them(history):
    work, steps = history
    stats, site, _ = steps["first"]
    assert stats["mode"] == "full" and stats["reason"] == "no previous build state"
    assert stats["copied"] == 0 and stats["built"] == len(pages(site))
    state = json.loads(work.state.read_text(encoding="utf-8"))
    assert any(uri.startswith("papers/2601.") for uri in state["pages"])


@pytest.mark.parametrize("step", ["day added", "paper edited", "digest deleted"])
def test_incremental_build_equals_a_full_build(history, step):
    _, steps = history
    stats, site, full = steps[step]
    assert_same_site(site, full)


@pytest.mark.parametrize("step", ["day added", "paper edited", "digest deleted"])
def test_incremental_build_copies_the_unchanged_pages(history, step):
    _, steps = history
    stats, site, _ = steps[step]
    assert stats["mode"] == "incremental", stats
    html = len(pages(site))
    assert stats["copied"] > 0 and stats["built"] + stats["copied"] == html == len(stats["all"])
    # Rendered: the pages whose Markdown changed and those never copied (in the navigation or the search index).
    assert set(stats["rendered"]) == stats["changed"] | (stats["all"] - stats["cacheable"])
    assert set(stats["reused"]) == stats["all"] - set(stats["rendered"])
    assert not stats["changed"] & set(stats["reused"])


def test_copied_pages_are_the_files_of_the_previous_site(history):
    """Copied, not rendered: a paper page of the first day that no change touched is the very same file."""
    work, steps = history
    _, first, _ = steps["first"]
    _, added, _ = steps["day added"]
    same = [
        name for name in pages(added)
        if name.startswith("papers/2601.") and (first / name).is_file() and os.path.samefile(first / name, added / name)
    ]
    assert same


def test_search_index_and_sitemap_are_complete_after_incremental_builds(history):
    _, steps = history
    for step in ("day added", "paper edited", "digest deleted"):
        stats, site, full = steps[step]
        assert sitemap_urls(site) == sitemap_urls(full)
        assert any("/papers/2601." in url for url in sitemap_urls(site))
        for name in ("search/search_index.json", "search/search_index.js", "sitemap.xml.gz", "404.html", "feed.xml"):
            assert (site / name).read_bytes() == (full / name).read_bytes() or name.endswith(".gz"), (step, name)
        assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()
    # The day added shows in both the sitemap and the paper search shards.
    _, site, _ = steps["day added"]
    assert any(url.endswith("/days/2026-01-15/") for url in sitemap_urls(site))
    assert "2601.09901" in "".join(p.read_text(encoding="utf-8") for p in (site / "search").rglob("*.js"))


def test_deleted_digest_leaves_no_page_behind(history):
    _, steps = history
    _, before, _ = steps["paper edited"]
    _, after, full = steps["digest deleted"]
    assert (before / "days" / "2026-01-14" / "index.html").is_file()
    assert not (after / "days" / "2026-01-14").exists()
    gone = pages(before) - pages(after)
    assert gone and gone == pages(before) - pages(full)
    assert not any("2026-01-14" in url for url in sitemap_urls(after))


def test_file_times_play_no_part(tmp_path):
    """A checkout gives every file a new time: nothing is rendered again for that (and nothing copied for an old time)."""
    work = Work(tmp_path)
    work.build()
    later = 4_000_000_000  # 2096: a time no file had
    for folder in (work.docs, work.site):
        for path in folder.rglob("*"):
            os.utime(path, (later, later))
    stats = work.build()
    assert stats["mode"] == "incremental" and stats["copied"] > 0
    # An edited page with its old time is rendered again all the same.
    digest = work.digests / "2026-01-12.md"
    digest.write_text(digest.read_text(encoding="utf-8").replace("GraspFormer 研究报告", "GraspFormer 研究报告（新）"), encoding="utf-8")
    stats = work.build()
    full = full_build(work.digests, tmp_path / "full", work.docs)
    assert_same_site(work.site, full)


@pytest.mark.parametrize("change", ["mkdocs.yml", "theme", "package version", "hand-written docs"])
def test_a_global_change_rebuilds_everything(tmp_path, monkeypatch, change):
    work = Work(tmp_path)
    work.build()
    assert work.build()["mode"] == "incremental"
    config_file = None
    if change == "mkdocs.yml":
        config_file = project_config(tmp_path / "mkdocs.yml", site_name="新 ")
    elif change == "theme":
        real = site_cache.global_inputs

        def changed_theme(config):
            inputs = real(config)
            inputs["sources"]["theme"]["main.html"] = "another"
            return inputs

        monkeypatch.setattr(site_cache, "global_inputs", changed_theme)
    elif change == "package version":
        real_distributions = site_cache.installed_distributions
        monkeypatch.setattr(
            site_cache, "installed_distributions",
            lambda: [[name, "0.0.1" if name == "mkdocs-material" else version] for name, version in real_distributions()],
        )
    else:
        (work.docs / "assets" / "stylesheets" / "extra.css").write_text("/* changed */\n", encoding="utf-8")
    stats = work.build(config_file)
    expected = {"mkdocs.yml": "sources/config_file", "theme": "sources/theme", "package version": "distributions",
                "hand-written docs": "sources/docs"}[change]
    assert stats["mode"] == "full" and stats["reason"].startswith("global inputs changed: ") and stats["copied"] == 0
    assert expected in stats["reason"], stats["reason"]
    if change == "hand-written docs":
        assert_same_site(work.site, full_build(work.digests, tmp_path / "full", work.docs))


def test_a_page_in_the_themes_search_index_is_rendered_every_time(tmp_path):
    """The project's pages all stay out of the theme's index; one that does not is never copied, since its
    search entries come only from rendering it."""
    not_in_nav = re.search(r"^not_in_nav: \|\n((?:  .*\n)+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)
    overrides = {"not_in_nav": not_in_nav.replace("  ", "") + "/guide.md\n"}
    work = Work(tmp_path, **overrides)
    (work.docs / "guide.md").write_text("# 使用说明\n\n一页手写的说明，在主题的搜索索引里。\n", encoding="utf-8")
    work.build()
    stats = work.build()
    assert stats["mode"] == "incremental" and stats["copied"] > 0
    assert "guide.md" in stats["rendered"] and "guide.md" not in stats["cacheable"]
    index = json.loads((work.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert [doc["title"] for doc in index["docs"] if doc["location"] == "guide/"] == ["使用说明"]
    assert_same_site(work.site, full_build(work.digests, tmp_path / "full", work.docs, **overrides))


def test_a_changed_previous_page_is_rendered_again(tmp_path):
    """The previous site is trusted only where its files have the recorded bytes."""
    work = Work(tmp_path)
    work.build()
    paper = next(p for p in work.site.glob("papers/2601.*/index.html"))
    paper.write_text("tampered", encoding="utf-8")
    stats = work.build()
    assert stats["mode"] == "incremental"
    assert (work.site / paper.relative_to(work.base / "site1")).read_text(encoding="utf-8") != "tampered"
    assert_same_site(work.site, full_build(work.digests, tmp_path / "full", work.docs))


def test_unsupported_mkdocs_builds_in_full(tmp_path, monkeypatch):
    import mkdocs

    work = Work(tmp_path)
    work.build()
    monkeypatch.setattr(mkdocs, "__version__", "9.9.9")
    stats = work.build()
    assert stats["mode"] == "full" and "9.9.9" in stats["reason"]
    from mkdocs.commands import build as build_module

    assert build_module._populate_page.__module__ == "mkdocs.commands.build"
    assert build_module._build_page.__module__ == "mkdocs.commands.build"


def test_functions_are_restored_after_each_build(tmp_path):
    from mkdocs.commands import build as build_module

    populate, build = build_module._populate_page, build_module._build_page
    work = Work(tmp_path)
    work.build()
    assert (build_module._populate_page, build_module._build_page) == (populate, build)


def test_a_changed_navigation_renders_the_skipped_pages_late(tmp_path, monkeypatch):
    """Known only once 404.html is rendered: pages skipped at reading are then read and rendered after all."""
    work = Work(tmp_path)
    work.build()
    real = site_cache.SiteCache._navigation_key
    monkeypatch.setattr(site_cache.SiteCache, "_navigation_key", lambda self: "another " + real(self))
    stats = work.build()
    assert stats["mode"] == "full" and stats["reason"] == "navigation changed" and stats["copied"] == 0
    assert stats["built"] == len(pages(work.site))
    assert_same_site(work.site, full_build(work.digests, tmp_path / "full", work.docs))


def test_serve_and_dirty_builds_are_not_cached(tmp_path, monkeypatch):
    from mkdocs.config import load_config

    monkeypatch.setenv(site_cache.STATE_ENV, str(tmp_path / "state.json"))
    (tmp_path / "docs").mkdir()
    config = load_config(config_file=str(CONFIG), docs_dir=str(tmp_path / "docs"), site_dir=str(tmp_path / "site"))
    assert site_cache.start(config, "serve", False) is None
    assert site_cache.start(config, "build", True) is None
    assert site_cache.LAST_BUILD["mode"] == "full"
    monkeypatch.delenv(site_cache.STATE_ENV)
    assert site_cache.start(config, "build", False) is None and site_cache.LAST_BUILD == {}
