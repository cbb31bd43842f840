"""Hostile and malformed digests, through the generator and MkDocs.

tests/fixtures/hostile/hostile.md carries payloads in every slot where digest text lands
(titles, reading source, report heading, every part, extra parts, the header's source URL),
the other files there are malformed (empty, not UTF-8, binary, truncated, a paper without
a link, the same paper twice, two digests of one date, a path-traversal link). They are
built together with the sample digests, and the built site is read back: no payload may be
live, no file content may leak, the healthy papers must all be there, every bad file is
reported with its name and line, and nothing is written outside docs/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import frontmatter
import pytest
from mkdocs.utils.meta import get_data

from generator import paths
from generator.store import CACHE_DIR  # the generator's own cache folder under docs/
from generator.sanitize import ALLOWED_TAGS
from site_build import build_site, served_browser
from site_checks.html_scan import URL_ATTRIBUTES, Page, _Reader, is_live_url, read_page, srcset_urls

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIGESTS = Path(__file__).resolve().parent / "fixtures" / "samples"
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
SITE_NAME = "Daily Papers 中文精读"
PARTS = ["应用领域", "核心贡献", "使用指南", "主要创新点", "实验效果"]

# Titles that YAML would read as another type, or that break naive front matter.
YAML_TITLES = {
    "2505.00003": "NO",
    "2505.00004": "yes",
    "2505.00005": "2024-05-01",
    "2505.00006": "null",
    "2505.00007": "a: b",
    "2505.00008": "- x",
    "2505.00009": "#x",
    "2505.00010": "~",
    "2505.00011": '!!python/object/apply:os.system ["touch /tmp/yaml-pwned"]',
    "2505.00012": "&anchor [1, 2] *alias {a: 1} | > @ % ? 0x1F 1e3 .inf on off",
    "2505.00013": "---",
    "2505.00014": "1.0",
    "2505.00016": "__config",
}
# Titles made of markup: shown as the very text, never parsed.
MARKUP_TITLES = {
    "2505.00001": "<script>alert('title-script')</script>Hostile Title One",
    "2505.00002": "<img src=x onerror=\"alert('title-img')\"> & &amp; &lt;b&gt; \"quotes\" 'single' `code` *em* "
    "[link](javascript:alert('title-link'))",
    "2505.00015": "\"双引号\" 'single' \\ backslash \\n {{ jinja }} {% raw %} ${x} $$y$$ \\u2028",
}
# Papers of the fixtures that must be built (each bad file keeps its healthy papers).
HEALTHY_FIXTURE_PAPERS = {f"2505.{n:05d}" for n in range(1, 20)} | {
    "2505.20001",  # truncated.md, before the cut
    "2505.30001", "2505.30002",  # truncated_mid_part.md: the cut paper keeps its first parts
    "2505.40002",  # no_link.md, after the paper without a link
    "2505.50001", "2505.50002",  # duplicate_paper.md, the first copy
    "2505.70002",  # traversal.md, after the traversal link
    "2505.80001",  # long_title.md
    "2505.90001", "2505.90002", "2505.90003",  # mathjax.md: formula payloads, common macros
    "2505.96001",  # schemeless_links.md: links without a scheme made harmless
    "2505.97001",  # deep_nesting.md: nesting cut to a depth Python-Markdown can parse
    "2505.98001",  # control_chars.md: control and bidi characters replaced
    "2505.99001",  # source_url.md: the bad source URL is dropped, the paper kept
}
# Never built: the same-date digest is skipped, a file that is not UTF-8 is rejected whole.
REJECTED_PAPERS = {"2505.60001", "2505.10001", "2505.10002",
                   "2505.95001", "2505.95002"}  # far_future.md and far_past.md: dates outside the window
# Allowed script files, site-relative: the theme's bundle and the project's own scripts.
THEME_SCRIPTS = re.compile(
    r"assets/(?:javascripts/(?:bundle\.[0-9a-f]{8}\.min|file-worker|search-input|search-dialog|palette|config|mathjax-config|share|personal)\.js|mathjax/tex-svg\.js)"
)
# Inline scripts a page may carry are exactly those of the hand-written about page (the
# theme's __md_scope/__md_get helpers), up to the relative path to the site root.
EXPECTED_INLINE_SCRIPTS = ("__md_scope=new URL(",)
# Elements that never belong anywhere in a built page.
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "portal", "noembed", "plaintext",
                  "xmp", "isindex"}


def _sample_ids() -> set[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in (SAMPLE_DIGESTS).glob("*.md"))
    return set(re.findall(r"https://(?:huggingface\.co/papers|arxiv\.org/abs)/([0-9]{4}\.[0-9]{4,5})", text))


def _line_of(name: str, needle: str) -> int:
    lines = (HOSTILE / name).read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


def expected_diagnostics() -> list[tuple[str, int, str, str]]:
    """(file, line, level, words of the message) for every bad file of the fixtures."""
    return [
        ("binary.txt", 3, "error", "binary file"),
        ("not_utf8.txt", 27, "error", "not UTF-8"),
        ("empty.md", 1, "error", "no date"),
        ("empty.md", 1, "error", "no papers"),
        ("truncated.md", 29, "error", "does not end in a valid arXiv id"),
        ("truncated_mid_part.md", 27, "warning", "missing part"),
        ("no_link.md", 7, "error", "has no link"),
        ("duplicate_paper.md", 47, "error", "appears twice"),
        ("same_date.md", 2, "error", "same date 2025-05-01"),
        ("traversal.md", 9, "error", "does not end in a valid arXiv id"),
        ("hostile.md", _line_of("hostile.md", "papers/../../etc/passwd"), "error", "does not end in a valid arXiv id"),
        ("hostile.md", _line_of("hostile.md", "２６０１"), "error", "does not end in a valid arXiv id"),
        ("hostile.md", _line_of("hostile.md", "## 📄 Duplicate Of One"), "error", "appears twice"),
        ("hostile.md", 3, "warning", "source URL \"javascript:alert('source-url')\" is not an absolute http(s) URL"),
        ("far_future.md", 2, "error", "date 9999-12-31 is outside 1991-01-01 .. "),
        ("far_past.md", 2, "error", "date 0001-01-01 is outside 1991-01-01 .. "),
        ("source_url.md", 3, "warning", "source URL 'https://example.com/x\"onmouseover=\"alert(1)' is not an absolute"),
        ("schemeless_links.md", _line_of("schemeless_links.md", "[GitHub](github.com/foo/bar)"), "warning",
         "link target '#anchor' is not an absolute http(s) URL: shown as text"),
        ("schemeless_links.md", _line_of("schemeless_links.md", "[GitHub](github.com/foo/bar)"), "warning",
         "link target 'github.com/foo/bar' has no scheme: written as 'https://…'"),
        ("schemeless_links.md", _line_of("schemeless_links.md", "[r]: ../paper.md"), "warning",
         "link target '../paper.md' is not an absolute http(s) URL"),
        ("schemeless_links.md", _line_of("schemeless_links.md", "[坏链接](http://[oops)"), "warning",
         "link target 'http://[oops' is not an absolute http(s) URL"),
        ("deep_nesting.md", _line_of("deep_nesting.md", "- 第 9 层"), "warning", "list nested more than 8 levels deep"),
        ("deep_nesting.md", _line_of("deep_nesting.md", "深引用"), "warning", "block quote nested 1000 levels deep"),
        ("deep_nesting.md", _line_of("deep_nesting.md", "**强 **强"), "warning", "emphasis nested more than 16 levels deep"),
        ("deep_nesting.md", _line_of("deep_nesting.md", "一行内的深列表"), "warning", "list nested more than 8 levels deep"),
        ("control_chars.md", _line_of("control_chars.md", "## 📄 Control"), "warning", "control character U+001B replaced"),
        ("control_chars.md", _line_of("control_chars.md", "## 📄 Control"), "warning",
         "bidi control characters U+202C, U+202E removed from the title"),
        ("control_chars.md", _line_of("control_chars.md", "一句话核心贡献"), "warning",
         "control characters U+000B, U+001B, U+007F, U+0085 replaced"),
    ]


@pytest.fixture(scope="module")
def digests(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-digests")
    for file in list((SAMPLE_DIGESTS).iterdir()) + list(HOSTILE.iterdir()):
        shutil.copy(file, folder / file.name)
    return folder


@pytest.fixture(scope="module")
def built(digests, tmp_path_factory):
    work = tmp_path_factory.mktemp("hostile-build")
    site, warnings = build_site(digests, work)
    return site, work / "docs", warnings


@pytest.fixture(scope="module")
def site(built) -> Path:
    return built[0]


def test_mkdocs_has_no_warning_so_a_strict_build_publishes(built):
    """Digest problems are reported by the generator (not counted by --strict); MkDocs itself warns of nothing."""
    assert built[2] == []


def test_markup_in_titles_leaves_every_card_anchor_of_a_day_page(site):
    html = (site / "days" / "2025-05-01" / "index.html").read_text(encoding="utf-8")
    assert html.count('class="paper-card"') == html.count('id="p-2505-')
    assert 'id="p-2505-00001"' in html and "&lt;script&gt;alert('title-script')&lt;/script&gt;Hostile Title One" in html


@pytest.fixture(scope="module")
def pages(site):
    return {path.relative_to(site).as_posix(): read_page(path) for path in sorted(site.rglob("*.html"))}


def _snapshot(root: Path, skip: tuple[str, ...] = ()) -> dict[str, tuple[int, int]]:
    found = {}
    for current, dirnames, filenames in os.walk(root):
        relative = Path(current).relative_to(root).as_posix()
        dirnames[:] = [d for d in dirnames if (f"{relative}/{d}" if relative != "." else d) not in skip]
        for name in filenames + dirnames:
            path = Path(current, name)
            stat = path.lstat()
            found[path.relative_to(root).as_posix()] = (stat.st_size, stat.st_mtime_ns if path.is_file() else 0)
    return found


def _tree_state(work: Path, digests: Path) -> dict:
    state = {"the work folder outside docs/": _snapshot(work, skip=("docs",)), "the digests": _snapshot(digests)}
    for name in ("digests", "docs", "templates", "taxonomy.yml", "tests/fixtures"):
        path = ROOT / name
        state[f"the project's {name}"] = _snapshot(path) if path.is_dir() else path.stat().st_mtime_ns
    return state


@pytest.fixture(scope="module")
def cli_build(digests, tmp_path_factory):
    """`python -m generator build` over the mixed digests, from an empty working folder."""
    work = tmp_path_factory.mktemp("hostile-cli")
    (work / "cwd").mkdir()
    marker = Path("/tmp/yaml-pwned")  # what the YAML tag in a title would create if it ran
    marker_before = marker.exists()
    before = _tree_state(work, digests)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--digests", str(digests), "--docs", str(work / "docs"),
         "--taxonomy", str(ROOT / "taxonomy.yml")],
        cwd=work / "cwd", capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    yaml_ran = marker.exists() and not marker_before
    return done, work / "docs", before, _tree_state(work, digests), yaml_ran


# -- the command line: diagnostics, exit code, where it writes ------------------------------


def test_build_exits_1_and_reports_every_bad_file_with_its_line(cli_build, digests):
    done, _, _, _, _ = cli_build
    assert done.returncode == 1, done.stderr
    reported = done.stderr.splitlines()
    missing = []
    for name, line, level, words in expected_diagnostics():
        prefix = f"{digests / name}:{line}: {level}: "
        if not any(r.startswith(prefix) and words in r for r in reported):
            missing.append(f"{prefix}...{words}...")
    assert missing == [], "\n".join(["not reported:", *missing, "stderr:", done.stderr])
    # Every diagnostic names a file and a line.
    assert all(re.match(r"^.+:\d+: (error|warning): \S", r) for r in reported), done.stderr


def test_generator_writes_only_generated_files_under_docs(cli_build):
    done, docs, before, after, yaml_ran = cli_build
    for name in before:
        assert after[name] == before[name], f"the build changed {name}"
    written = [p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()]
    outside = [p for p in written if not paths.is_generated(p) and not p.startswith(CACHE_DIR + "/")]
    assert written and outside == []
    assert all(len(part.encode()) <= 200 for p in written for part in p.split("/"))
    assert not yaml_ran, "the YAML tag in a title ran a command"


# -- the site: healthy papers, rejected ones --------------------------------------------------


def test_every_healthy_paper_has_its_page(site):
    built = {p.name for p in (site / "papers").iterdir() if p.is_dir()}
    expected = _sample_ids() | HEALTHY_FIXTURE_PAPERS
    assert expected - built == set()
    assert built - expected == set(), "pages for papers that should have been rejected"
    assert not built & REJECTED_PAPERS
    assert all(re.fullmatch(r"[0-9]{4}\.[0-9]{4,5}", name) for name in built)
    assert {"2025-05-01", "2025-05-03", "2025-05-08", "2026-01-12"} <= {p.name for p in (site / "days").iterdir()}


def test_no_file_named_by_a_digest_anywhere(site, built):
    _, docs, _ = built
    for root in (site, docs):
        names = [p.relative_to(root).as_posix() for p in root.rglob("*")]
        assert not [n for n in names if "passwd" in n or ".." in n.split("/") or not n.isascii()]


# -- the site: no live payload ------------------------------------------------------------------


def _base_relative(text: str) -> str:
    """Inline script text with the path to the site root (relative, or absolute on 404.html) as BASE."""
    text = re.sub(r'new URL\("[^"\\]*",location\)', 'new URL("BASE",location)', text)
    return re.sub(r'"[^"\\]*?assets/javascripts/search-worker\.js"', '"BASE/assets/javascripts/search-worker.js"', text)


def _site_relative(page: str, src: str) -> str:
    if src.startswith("/"):  # 404.html uses absolute paths under the site's path
        match = re.match(r"^/(?:[^/]+/)*?(assets/.*)$", src)
        return match.group(1) if match else src
    return os.path.normpath(os.path.join(os.path.dirname(page), src)).replace(os.sep, "/")


@pytest.fixture(scope="module")
def allowed_inline_scripts(pages) -> set[str]:
    about = pages["about/index.html"]
    scripts = {_base_relative(text) for element, text in about.scripts
               if not element.get("src") and element.get("type") != "application/json"}
    assert sorted(next((p for p in EXPECTED_INLINE_SCRIPTS if s.strip().startswith(p)), s) for s in scripts) == sorted(
        EXPECTED_INLINE_SCRIPTS
    ), scripts
    return scripts


def test_scripts_are_only_the_theme_s_own(pages, allowed_inline_scripts):
    problems = []
    for name, page in pages.items():
        for element, text in page.scripts:
            src = element.get("src")
            if src is not None:
                if not THEME_SCRIPTS.fullmatch(_site_relative(name, src)) or element.in_article or text.strip():
                    problems.append(f"{name}:{element.line}: script src={src!r}")
            elif element.get("type") == "application/json":
                if element.get("id") != "__config" or element.in_article:
                    problems.append(f"{name}:{element.line}: JSON script {element.attrs}")
                json.loads(text)
            elif _base_relative(text) not in allowed_inline_scripts or element.in_article:
                problems.append(f"{name}:{element.line}: inline script {text[:80]!r}")
    assert problems == []


def test_no_handler_no_live_url_no_forbidden_element(pages):
    problems = []
    for name, page in pages.items():
        for element in page.elements:
            where = f"{name}:{element.line}: <{element.tag}>"
            if element.tag in FORBIDDEN_TAGS:
                problems.append(f"{where} forbidden element")
            if element.tag == "meta" and element.get("http-equiv") is not None:
                problems.append(f"{where} meta http-equiv")
            for key, value in element.attrs:
                if key.startswith("on"):
                    problems.append(f"{where} handler {key}={value[:60]!r}")
                urls = srcset_urls(value) if key in ("srcset", "imagesrcset") else [value]
                if (key in URL_ATTRIBUTES or key.endswith(":href")) and any(is_live_url(u) for u in urls):
                    problems.append(f"{where} {key}={value[:60]!r}")
    assert problems == []


def test_page_bodies_hold_only_allowed_markup(pages):
    """Inside <article>: the sanitizer's tags only, no theme ids (__config...) or md-* classes from digests."""
    problems = []
    for name, page in pages.items():
        for element in page.elements:
            if not element.in_article:
                continue
            where = f"{name}:{element.line}: <{element.tag}>"
            if element.tag not in ALLOWED_TAGS:
                problems.append(f"{where} not an allowed tag")
            if (element.get("id") or "").startswith("__"):
                problems.append(f"{where} id={element.get('id')!r}")
            if any(c.startswith("md-") for c in (element.get("class") or "").split()):
                problems.append(f"{where} class={element.get('class')!r}")
    assert problems == []


def _text_files(site: Path):
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".xml", ".txt", ".css"):
            yield path, path.read_text(encoding="utf-8", errors="replace")


def test_no_file_content_leaks_into_the_site(site):
    leaks = ["root:x:0:0:", "markdown_extensions:", "daemon:x:1:1:"]
    passwd = Path("/etc/passwd")
    if passwd.is_file():
        leaks += [line for line in passwd.read_text(errors="replace").splitlines()[:3] if line.count(":") >= 5]
    found = [(p.relative_to(site).as_posix(), leak) for p, text in _text_files(site) for leak in leaks if leak in text]
    assert found == []


def test_feed_items_carry_no_markup(site):
    problems = []
    for feed in [site / "feed.xml", *sorted((site / "feeds").rglob("*.xml"))]:
        for item in ET.parse(feed).getroot().iter("item"):
            description = item.findtext("description") or ""
            page = _html_fragment(description)
            for element in page:
                if element.tag in FORBIDDEN_TAGS | {"script", "img", "svg", "style", "a", "iframe", "math", "form"} or any(
                    k.startswith("on") for k, _ in element.attrs
                ):
                    problems.append(f"{feed.name}: {item.findtext('title')[:40]!r}: <{element.tag}>")
    assert problems == []


def _html_fragment(text: str):
    page = Page(Path("fragment"))
    reader = _Reader(page)
    reader.feed(text)
    reader.close()
    return page.elements


def test_search_files_hold_digest_text_only_in_strings(site):
    """Search shards are scripts: outside their JSON string literals there is no payload code."""
    literal = re.compile(r'"(?:[^"\\\n]|\\.)*"')
    problems = []
    for path in sorted((site / "search").rglob("*.js")):
        code = literal.sub('""', path.read_text(encoding="utf-8"))
        for word in ("alert", "msgbox", "<script", "onerror", "javascript:"):
            if word in code:
                problems.append(f"{path.name}: {word!r} outside a string literal")
    assert problems == []


# -- the site: titles exactly as given ----------------------------------------------------------


@pytest.mark.parametrize("arxiv_id, title", sorted({**YAML_TITLES, **MARKUP_TITLES}.items()))
def test_titles_stay_exactly_the_strings_they_were(built, pages, arxiv_id, title):
    _, docs, _ = built
    source = (docs / "papers" / f"{arxiv_id}.md").read_text(encoding="utf-8")
    assert frontmatter.loads(source)["title"] == title
    assert get_data(source)[1]["title"] == title  # as MkDocs reads it
    page = pages[f"papers/{arxiv_id}/index.html"]
    assert page.h1 == [" ".join(title.split())]
    assert page.title == f"{title} - {SITE_NAME}"
    og = next(e.get("content") for e in page.elements if e.tag == "meta" and e.get("property") == "og:title")
    assert og == title


# -- the site: one bad part never costs the rest of its page ------------------------------------


def _part_headings(page) -> list[str]:
    return [e.get("id") for e in page.elements if e.in_article and e.tag == "h2" and e.get("id") in PARTS]


@pytest.mark.parametrize("arxiv_id", [f"2505.{n:05d}" for n in [*range(1, 17), 19]])
def test_unclosed_tags_do_not_swallow_the_rest_of_the_page(pages, arxiv_id):
    page = pages[f"papers/{arxiv_id}/index.html"]
    assert _part_headings(page) == PARTS
    # The page still ends with its navigation to the next paper of the day (or the previous).
    assert any(e.in_article and e.tag == "a" and re.fullmatch(r"\.\./[0-9.]+/", e.get("href") or "") for e in page.elements)


@pytest.mark.parametrize("arxiv_id", ["2505.00017", "2505.00018"])  # <div>, <style>
def test_unclosed_block_html_does_not_swallow_the_later_parts(pages, arxiv_id):
    assert _part_headings(pages[f"papers/{arxiv_id}/index.html"]) == PARTS


# -- the pages in a browser: nothing runs ----------------------------------------------------------

from test_mathjax import FORMULA_CHECK, Visit  # noqa: E402  (the browser helpers of the formula tests)


BROWSER_PAGES = [f"papers/2505.{n:05d}/" for n in range(1, 20)] + ["days/2025-05-01/", "", "papers/", "fields/computer-vision/"]
BROWSER_PAGES += ["papers/2505.90001/", "papers/2505.90002/", "papers/2505.90003/", "days/2025-05-09/"]  # mathjax.md


@pytest.fixture(scope="module")
def browser_base(site):

    with served_browser(site) as served:
        yield served


_DOM_CHECK = """() => {
  const bad = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      const value = attribute.value.replace(/[\\x00-\\x20]/g, '').toLowerCase();
      if (attribute.name.startsWith('on')) bad.push(element.tagName + ' ' + attribute.name);
      if (/href$|^src$|^action$|^formaction$/.test(attribute.name) && /^(javascript|vbscript|data):/.test(value))
        bad.push(element.tagName + ' ' + attribute.name + '=' + attribute.value.slice(0, 60));
    }
    if (/^(IFRAME|OBJECT|EMBED|BASE|FORM)$/.test(element.tagName) && element.closest('article')) bad.push(element.tagName);
  }
  const config = document.getElementById('__config');
  if (!config || config.tagName !== 'SCRIPT') bad.push('__config is not the theme script');
  return bad;
}"""


@pytest.mark.parametrize("page_path", BROWSER_PAGES)
def test_pages_run_no_digest_code_in_a_browser(browser_base, page_path):
    browser, base = browser_base
    visit = Visit(browser, base)
    try:
        url = base + page_path
        # MathJax typesets after load, with its safe extension and the TeX extensions from the
        # site (a 404 would stop every formula); \\href, \\mmlToken and the like must not turn
        # into links, styles, ids or classes, nor fetch anything.
        assert visit.open(url) == "ok"
        assert visit.page.evaluate(_DOM_CHECK) == []
        assert visit.page.evaluate(FORMULA_CHECK) == []
        visit.click_everything()  # every formula element, and the middle of the page
        # A <meta http-equiv=refresh>, a script or a link would have navigated by now.
        assert visit.navigations == [] and visit.page.url == url
        assert visit.dialogs == []
        assert visit.outside == [], "requests outside the site"
        assert visit.missing == [], "requests that failed"
        assert visit.page.evaluate(_DOM_CHECK) == []
    finally:
        visit.close()
