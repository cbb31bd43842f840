"""The byte budget of a built page: the theme's chrome around the article stays small.

An archive grows by about 14,000 papers a year and GitHub Pages publishes at most 1 GB, so
a paper's share of the whole site must stay around 14 KB. The article is what the reader
came for; everything else on a paper page (head, header, sidebars, footer, scripts,
whitespace) is paid once per paper. The bounds below are deterministic byte counts of the
sample site's pages, measured by ``page_parts``.

``python tests/test_page_bytes.py SITE_DIR [PAGE ...]`` prints the table for a built site.
"""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

SAMPLE_DIGESTS = Path(__file__).resolve().parent / "fixtures" / "samples"
PAPER = "papers/2601.04211/index.html"
SITE_NAME = "Daily Papers 中文精读"

# Measured on the sample site: a paper page's HTML outside its article was 18.6 KB with
# Material's own partials and 10.4-10.7 KB with templates/theme/partials/; the link-preview
# card's tags (og:image and its size and alt, twitter:card, theme-color) added about 0.4 KB.
# Without the templates' indentation (the hook's minify_html), the second config script and the
# hidden table of contents of paper pages it is 8.5-8.7 KB (day, field and tag pages: 8.3-9.3 KB,
# their table of contents varies). With the search dialog and the palette toggle written by
# scripts rendered once a build (assets/javascripts/search-dialog.js and palette.js) it is 6.6 KB
# (day, field and tag pages: 6.2-7.1 KB); with Material's config written the same way
# (config.js), 5.9 KB (5.6-6.5 KB). The bound leaves half a KB.
CHROME_BUDGET = 7_040

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
PARTS = ("head", "header", "sidebars", "article", "footer", "scripts", "whitespace", "other")


class _Spans(HTMLParser):
    """Character spans of elements (start tag to end tag) and of whitespace-only text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.stack: list[tuple[str, dict, int]] = []
        self.spans: list[tuple[str, dict, int, int]] = []
        self.blank: list[tuple[int, int]] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        end = start + len(self.get_starttag_text())
        if tag in VOID:
            self.spans.append((tag, dict(attrs), start, end))
        else:
            self.stack.append((tag, dict(attrs), start))

    def handle_startendtag(self, tag, attrs):
        start = self._offset()
        self.spans.append((tag, dict(attrs), start, start + len(self.get_starttag_text())))

    def handle_endtag(self, tag):
        start = self._offset()
        end = self.text.index(">", start) + 1
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                name, attrs, begin = self.stack[index]
                del self.stack[index:]
                self.spans.append((name, attrs, begin, end))
                return

    def handle_data(self, data):
        if data and not data.strip():
            start = self._offset()
            self.blank.append((start, start + len(data)))


def _part_of(tag: str, attrs: dict) -> str | None:
    classes = (attrs.get("class") or "").split()
    if tag == "head":
        return "head"
    if tag == "article":
        return "article"
    if tag == "header" or "md-tabs" in classes or attrs.get("data-md-component") in ("skip", "announce"):
        return "header"
    if tag == "input" and "md-toggle" in classes or tag == "label" and "md-overlay" in classes:
        return "header"
    if "md-sidebar" in classes:
        return "sidebars"
    if tag == "footer" or "md-top" in classes or "md-dialog" in classes:
        return "footer"
    if tag == "script":
        return "scripts"
    return None


def page_parts(html: str) -> dict[str, int]:
    """UTF-8 bytes of a built page by part; whitespace-only text outside the article is its own part."""
    reader = _Spans(html)
    reader.feed(html)
    reader.close()
    label = ["other"] * len(html)
    # Outer elements first, so that a script inside the header counts as header.
    for tag, attrs, start, end in sorted(reader.spans, key=lambda s: (s[2], -s[3])):
        part = _part_of(tag, attrs)
        if part and label[start] == "other":
            label[start:end] = [part] * (end - start)
    for start, end in reader.blank:
        if label[start] != "article":
            label[start:end] = ["whitespace"] * (end - start)
    sizes = dict.fromkeys(PARTS, 0)
    for character, part in zip(html, label):
        sizes[part] += len(character.encode("utf-8"))
    return sizes


def table(pages: dict[str, str]) -> str:
    """A Markdown table of ``page_parts`` for named pages."""
    rows = {name: page_parts(html) for name, html in pages.items()}
    lines = ["| part | " + " | ".join(rows) + " |", "|---|" + "---:|" * len(rows)]
    for part in PARTS + ("total", "outside article"):
        values = []
        for sizes in rows.values():
            total = sum(sizes.values())
            value = total if part == "total" else total - sizes["article"] if part == "outside article" else sizes[part]
            values.append(f"{value:,}")
        lines.append(f"| {part} | " + " | ".join(values) + " |")
    return "\n".join(lines)


# -- the built sample site ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from site_build import build_site

    built, warnings = build_site(SAMPLE_DIGESTS, tmp_path_factory.mktemp("bytes"))
    assert warnings == []
    return built


@pytest.fixture(scope="module")
def paper(site) -> str:
    return (site / PAPER).read_text(encoding="utf-8")


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_measurement_adds_up():
    html = "<!doctype html><html><head><title>t</title></head>\n<body><header>h</header> <article>\n a é </article></body></html>"
    sizes = page_parts(html)
    assert sum(sizes.values()) == len(html.encode("utf-8"))
    assert sizes["head"] == len("<head><title>t</title></head>")
    assert sizes["article"] == len("<article>\n a é </article>".encode("utf-8"))
    assert sizes["whitespace"] == 2


def test_paper_page_chrome_stays_within_budget(paper):
    sizes = page_parts(paper)
    outside = sum(sizes.values()) - sizes["article"]
    assert sizes["article"] > 3_000, sizes  # the measurement found the article
    assert outside <= CHROME_BUDGET, table({"paper": paper})


def test_every_generated_page_stays_within_budget(site):
    """Paper, day, field and tag pages share the paper page's chrome."""
    over = {}
    for folder in ("papers", "days", "fields", "tags"):
        for page in sorted((site / folder).glob("*/index.html")):
            sizes = page_parts(page.read_text(encoding="utf-8"))
            if sum(sizes.values()) - sizes["article"] > CHROME_BUDGET:
                over[page.relative_to(site).as_posix()] = sizes
    assert over == {}


def test_built_pages_have_no_indentation_or_blank_lines(site):
    """generator/mkdocs_hook.py's on_post_page: outside the elements whose white space shows, none starts a line."""
    indented = {}
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        outside = re.sub(r"<(script|pre|textarea|style|code|kbd|svg)\b.*?</\1>", "<kept>", html, flags=re.S | re.I)
        lines = re.findall(r"\n(?:[\t\f\r ]|\n)[^\n]{0,40}", outside)
        if lines:
            indented[page.relative_to(site).as_posix()] = lines[:3]
    assert indented == {}


def test_paper_page_has_no_primary_sidebar(paper):
    """Generated pages are not in the nav: the left sidebar would be empty on a desktop."""
    assert "md-sidebar--primary" not in paper
    assert "md-nav--primary" not in paper
    header = paper[paper.index("<header"):paper.index("</header>")]
    assert 'for="__drawer"' not in header  # no menu button: the tabs show on phones instead
    assert "md-tabs--always" in paper


def test_paper_page_writes_no_hidden_table_of_contents(site, paper):
    """A paper's front matter hides its table of contents: not even a hidden one is written (templates/theme/main.html)."""
    assert "md-sidebar--secondary" not in paper and 'data-md-component="toc"' not in paper
    home = (site / "index.html").read_text(encoding="utf-8")
    toc = home[home.index('<div class="md-sidebar md-sidebar--secondary"'):]
    assert toc.index('href="#') < toc.index("</nav>")  # other pages keep theirs


def test_hand_written_pages_keep_the_navigation_drawer(site):
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    header = about[about.index("<header"):about.index("</header>")]
    assert "md-nav--primary" in about and 'for="__drawer"' in header and "md-tabs--always" not in about


def _written_markup(site: Path, script: str) -> str:
    """The markup a script rendered once a build writes into the header (its JSON string argument)."""
    source = (site / "assets" / "javascripts" / script).read_text(encoding="utf-8")
    prefix = 'document.currentScript.insertAdjacentHTML("beforebegin", '
    assert source.startswith(prefix), source[:80]  # rendered: no template syntax left
    return json.JSONDecoder().raw_decode(source, len(prefix))[0]


@pytest.mark.parametrize("name", [PAPER, "index.html", "about/index.html"])
def test_header_loads_the_palette_and_the_search_dialog_once(site, name):
    html = (site / name).read_text(encoding="utf-8")
    header = html[html.index("<header"):html.index("</header>")]
    scripts = re.findall(r'<script src="([^"]+)"></script>', header)
    assert [src.rsplit("/", 1)[1] for src in scripts] == ["palette.js", "search-dialog.js"]
    assert 'data-md-component="palette"' not in html and 'data-md-component="search"' not in html


def test_exactly_one_palette_toggle(site):
    form = re.fullmatch(r'<form class="md-header__option" data-md-component="palette">(.*)</form>',
                        _written_markup(site, "palette.js"), re.S).group(1)
    assert len(re.findall(r"<label\b", form)) == 1
    # Both schemes stay: Material's palette code reads one radio input per scheme.
    assert re.findall(r'data-md-color-scheme="([a-z]+)"', form) == ["default", "slate"]
    assert re.findall(r'aria-label="([^"]+)"', form) == ["切换到深色模式", "切换到浅色模式"]


def test_search_dialog_is_materials_in_the_site_language(site):
    dialog = _written_markup(site, "search-dialog.js")
    for component in ("search", "search-query", "search-result"):
        assert f'data-md-component="{component}"' in dialog
    assert 'placeholder="搜索"' in dialog and ">正在初始化搜索引擎</div>" in dialog


def test_header_icons_are_not_inline_svg(paper):
    """Icons of the chrome come from the stylesheet (CSS masks): no <svg> outside the article."""
    outside = paper.split("<article", 1)[0] + paper.split("</article>", 1)[1]
    assert "<svg" not in outside


def test_home_title_is_the_site_name(site):
    assert _title((site / "index.html").read_text(encoding="utf-8")) == SITE_NAME


def test_other_titles_name_the_page_and_the_site(site, paper):
    assert _title(paper).endswith(f" - {SITE_NAME}") and _title(paper) != f"{SITE_NAME} - {SITE_NAME}"
    assert _title((site / "about" / "index.html").read_text(encoding="utf-8")) == f"关于 - {SITE_NAME}"


def test_scripts_and_config_are_kept(paper):
    # Material's config is written by config.js (rendered once a build), before the bundle reads it.
    assert paper.index('<script src="../../assets/javascripts/config.js"></script>') < paper.index("bundle.")
    assert "__config" not in paper
    for script in ("bundle.", "mathjax-config.js", "tex-svg.js", "share.js", "file-worker.js"):
        assert script in paper


def test_the_palette_toggle_switches_and_remembers_the_scheme(site):
    """One label switches light and dark, is named after the switch it makes, and the choice persists."""
    from site_build import served_browser

    with served_browser(site) as (browser, base):
        page = browser.new_page(color_scheme="light")
        try:
            page.goto(base + "papers/2601.04211/")
            page.wait_for_function("() => document.querySelector('meta[name=theme-color]')")  # the bundle ran
            scheme = "() => document.body.dataset.mdColorScheme"
            toggle = page.locator("[data-md-component=palette] label")
            assert page.evaluate(scheme) == "default" and toggle.get_attribute("title") == "切换到深色模式"
            assert toggle.is_visible() and toggle.bounding_box()["width"] > 10  # the icon is drawn
            toggle.click()
            assert page.evaluate(scheme) == "slate" and toggle.get_attribute("title") == "切换到浅色模式"
            page.goto(base + "days/2026-01-12/")
            assert page.evaluate(scheme) == "slate" and toggle.get_attribute("title") == "切换到浅色模式"
            toggle.click()
            assert page.evaluate(scheme) == "default"
            # Keyboard: the radio inputs stay focusable, Enter switches (Material's handler).
            page.focus("#__palette_0")
            page.keyboard.press("Enter")
            assert page.evaluate(scheme) == "slate" and toggle.get_attribute("title") == "切换到浅色模式"
            page.keyboard.press("Enter")
            assert page.evaluate(scheme) == "default"
        finally:
            page.close()


if __name__ == "__main__":
    root = Path(sys.argv[1])
    names = sys.argv[2:] or [PAPER, "index.html"]
    print(table({name: (root / name).read_text(encoding="utf-8") for name in names}))
