"""The MkDocs hook: loud digest problems that a strict build survives, the empty archive, SITE_URL, serve's watch,
the white space of built pages."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_build import build_site

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_DIGESTS = FIXTURES / "samples"
WITH_ERRORS = FIXTURES / "build" / "with_errors"


def load_hook():
    """The hook as MkDocs loads it (a module from its file path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("mkdocs_hook_under_test", ROOT / "generator" / "mkdocs_hook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def project_config(work: Path) -> Path:
    """The project's mkdocs.yml with docs/ in ``work`` (and absolute paths for what stays in the project)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    replacements = {
        "docs_dir: docs\n": f"docs_dir: {work / 'docs'}\n",
        "custom_dir: templates/theme\n": f"custom_dir: {ROOT / 'templates' / 'theme'}\n",
        "- generator/mkdocs_hook.py\n": f"- {ROOT / 'generator' / 'mkdocs_hook.py'}\n",
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    docs = work / "docs"
    docs.mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "about.md", docs / "about.md")
    shutil.copy(ROOT / "docs" / "me.md", docs / "me.md")
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    config = work / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def mkdocs_build_strict(work: Path, digests: Path, **env: str) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` as ``make site`` runs it, from ``work`` (its paths are shown relative to it)."""
    config = project_config(work)
    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    environment.update(DAILY_PAPERS_DIGESTS=str(digests), NO_MKDOCS_2_WARNING="1", **env)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "--site-dir", str(work / "site")],
        cwd=work, env=environment, capture_output=True, text=True,
    )


def warnings_of(output: str) -> list[str]:
    return [line[len("WARNING -  "):] for line in output.splitlines() if line.startswith("WARNING -  ")]


def test_strict_build_prints_every_digest_problem_and_publishes_the_rest(tmp_path):
    digests = tmp_path / "digests"
    shutil.copytree(WITH_ERRORS, digests)
    shutil.copytree(SAMPLE_DIGESTS, digests, dirs_exist_ok=True)
    run = mkdocs_build_strict(tmp_path, digests)
    assert run.returncode == 0, run.stderr
    assert "Aborted" not in run.stderr
    warnings = warnings_of(run.stderr)
    problems = [w for w in warnings if re.match(r"digests/[^:]+:\d+: (error|warning): ", w)]
    assert any(w.startswith("digests/2026-02-01.md:7: error: paper 'No Link") for w in problems)
    assert any(w.startswith("digests/undated.md:1: error: no date") for w in problems)
    assert any(w.startswith("digests/2026-01-13.md:187: warning: extra part") for w in problems)
    assert len(problems) == 3
    # The summary comes last, once.
    assert warnings[-1] == "digests: 2 errors in 2 files (1 paper skipped), 1 warning"
    # SITE_URL was not set: said once.
    assert sum("SITE_URL is not set" in w for w in warnings) == 1
    # The valid paper beside the broken one is published.
    assert (tmp_path / "site" / "papers" / "2602.00002" / "index.html").is_file()


def test_unchanged_rebuild_reports_the_same_problems(tmp_path):
    """A build that finds nothing changed replays the diagnostics, without an archive: the same summary."""
    digests = tmp_path / "digests"
    shutil.copytree(WITH_ERRORS, digests)
    hook = load_hook()
    from generator.build import build

    first = build(digests, tmp_path / "docs", taxonomy_path=ROOT / "taxonomy.yml")
    again = build(digests, tmp_path / "docs", taxonomy_path=ROOT / "taxonomy.yml")
    assert again.archive is None and again.written.written == []  # nothing changed: nothing parsed
    assert hook.diagnostics_summary(first) == hook.diagnostics_summary(again) == "digests: 2 errors in 2 files (1 paper skipped), 0 warnings"


def test_strict_build_of_an_empty_archive_warns_and_succeeds(tmp_path, capfd):
    digests = tmp_path / "digests"
    digests.mkdir()
    site, mkdocs_warnings = build_site(digests, tmp_path / "work", strict=True, site_url="https://reader.example.org/")
    assert mkdocs_warnings == []
    assert (site / "index.html").is_file()
    printed = warnings_of(capfd.readouterr().err)
    assert len([w for w in printed if w.startswith("no digests in ")]) == 1
    assert not any("SITE_URL" in w for w in printed)  # the site's address is set
    assert not any(w.startswith("digests:") for w in printed)  # no problems, no summary


def test_strict_build_of_an_empty_archive_from_the_command_line(tmp_path):
    digests = tmp_path / "digests"
    digests.mkdir()
    run = mkdocs_build_strict(tmp_path, digests, SITE_URL="https://reader.example.org/")
    assert run.returncode == 0, run.stderr
    assert warnings_of(run.stderr) == [
        "no digests in digests/: the site is built without papers; put one digest per day there (.md or .txt)"
    ]
    assert (tmp_path / "site" / "index.html").is_file()


# -- mkdocs serve: one rebuild per edit ----------------------------------------------------------


@pytest.mark.parametrize(
    "path, rebuild",
    [
        ("about.md", True),
        ("assets/stylesheets/extra.css", True),
        ("notes/new-page.md", True),
        ("index.md", False),
        ("feed.xml", False),
        ("papers/2601.04211.md", False),
        ("days/index.md", False),
        ("feeds/fields/robotics.xml", False),
        (".generator/state.json", False),
        (".tmp-123-papers/2601.04211.md", False),
        (".tmp-123-index.md", False),
    ],
)
def test_serve_rebuilds_for_hand_written_files_only(tmp_path, path, rebuild):
    hook = load_hook()
    assert hook.is_hand_written(str(tmp_path), str(tmp_path / path)) is rebuild


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def test_generator_run_with_nothing_changed_writes_nothing_into_docs(tmp_path):
    """Not a page and not its cache: a rebuild that changes nothing touches nothing serve watches."""
    from generator.build import build

    docs = tmp_path / "docs"
    build(SAMPLE_DIGESTS, docs, taxonomy_path=ROOT / "taxonomy.yml")
    before = snapshot(docs)
    assert any(name.startswith(".generator") for name in before)
    result = build(SAMPLE_DIGESTS, docs, taxonomy_path=ROOT / "taxonomy.yml")
    assert result.written.written == []
    assert snapshot(docs) == before


class _Seen:
    """The docs/ changes the hook's watch asked a rebuild for, as they arrive."""

    def __init__(self):
        self.paths: list[str] = []
        self.changed = threading.Condition()

    def __call__(self, server, event):
        # A new file may take the inode of one the build removed: polling reports a move to it.
        with self.changed:
            self.paths.append(os.fsdecode(getattr(event, "dest_path", "") or event.src_path))
            self.changed.notify_all()

    def wait_for(self, path: Path) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: str(path) in self.paths, timeout=30), self.paths


def test_serve_cycle_one_rebuild_per_digest_edit(tmp_path, monkeypatch):
    """A digest edit asks for one rebuild; the pages and cache it writes into docs/ ask for none."""
    from mkdocs.livereload import LiveReloadServer

    from generator.build import build

    digests = tmp_path / "digests"
    shutil.copytree(SAMPLE_DIGESTS, digests)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "about.md").write_text("# 关于\n", encoding="utf-8")
    (docs / "me.md").write_text("# 我的\n", encoding="utf-8")
    monkeypatch.setenv("DAILY_PAPERS_DIGESTS", str(digests))
    taxonomy = ROOT / "taxonomy.yml"
    build(digests, docs, taxonomy_path=taxonomy)

    hook = load_hook()
    seen = _Seen()
    monkeypatch.setattr(hook, "request_rebuild", seen)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"), polling_interval=0.1)
    server.watch(str(docs))  # as `mkdocs serve` does before calling the hooks
    hook.on_serve(server, {"docs_dir": str(docs)}, builder=server.builder)
    assert str(docs) in server._watched_paths
    server.observer.start()
    try:
        # A digest edit: MkDocs' own watch of the digests asks for a rebuild.
        day = digests / "2026-01-14.md"
        day.write_text(day.read_text(encoding="utf-8").replace("**一句话核心贡献**：", "**一句话核心贡献**：改动。", 1), encoding="utf-8")
        with server._rebuild_cond:
            assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=30)
            server._want_rebuild = False
        # The rebuild: the generator rewrites pages and its cache in docs/.
        result = build(digests, docs, taxonomy_path=taxonomy)
        assert result.written.written
        # Two hand-written edits after it: once the second is seen, every change the
        # rebuild made has been seen too (one queue, in the order the polls found them).
        for name in ("first.md", "second.md"):
            (tmp_path / name).write_text("# 手写\n", encoding="utf-8")
            os.replace(tmp_path / name, docs / name)  # whole at once: one change, not a creation and a write
            seen.wait_for(docs / name)
        assert sorted(set(seen.paths)) == [str(docs / "first.md"), str(docs / "second.md")]
    finally:
        server.observer.stop()
        server.observer.join()


def test_report_escapes_what_a_terminal_would_act_on(capfd):
    from generator.build import BuildResult
    from generator.model import Diagnostic

    hook = load_hook()
    hook.report_diagnostics(BuildResult(None, [Diagnostic("digests/x.md", 3, "error", "paper 'Evil\x1b[2J' has no link; skipped")]))
    printed = warnings_of(capfd.readouterr().err)
    assert printed[0].startswith("digests/x.md:3: error: paper 'Evil\\x1b[2J'")
    assert "\x1b" not in "".join(printed)
    assert printed[-1] == "digests: 1 error in 1 file (1 paper skipped), 0 warnings"


# -- The white space of built pages (minify_html, run by on_post_page) ---------------------------


@pytest.fixture(scope="module")
def minify():
    return load_hook().minify_html


@pytest.mark.parametrize(
    "page, expected",
    [
        # Indentation and blank lines go; the newline stays (inline words stay apart), so do other spaces.
        ("<div>\n    <p>a\n      b</p>\n\n\n  </div>\n", "<div>\n<p>a\nb</p>\n</div>\n"),
        ("<p>a  b</p>\n\t \n  <p>c</p>", "<p>a  b</p>\n<p>c</p>"),
        ("\n<!doctype html>\n  <html>", "\n<!doctype html>\n<html>"),
        ("a\r\n   b", "a\r\nb"),
        # No newline at the end, or only white space after the last one.
        ("<p>\n  a</p>", "<p>\na</p>"),
        ("<p>a</p>\n   ", "<p>a</p>\n"),
        ("<p>a</p>", "<p>a</p>"),
        ("", ""),
        # U+3000 and U+00A0 are text, not HTML white space.
        ("<p>\n\u3000\u3000段落\n\u00a0x</p>", "<p>\n\u3000\u3000段落\n\u00a0x</p>"),
        # pre, textarea, script, style: their content as it was.
        ("<div>\n  <pre>\n  x\n\n    y\n</pre>\n  </div>", "<div>\n<pre>\n  x\n\n    y\n</pre>\n</div>"),
        ("<textarea>\n  a\n\n  b</textarea>\n  c", "<textarea>\n  a\n\n  b</textarea>\nc"),
        ("<script>\n  if (a <b) {\n    x = '<pre>';\n  }\n</script>\n  y", "<script>\n  if (a <b) {\n    x = '<pre>';\n  }\n</script>\ny"),
        ("<style>\n  a::before { content: '\\a  x'; }\n</style>\n  b", "<style>\n  a::before { content: '\\a  x'; }\n</style>\nb"),
        ("<title>\n  a</title >\n  b", "<title>\n  a</title >\nb"),
        # Nested: the outer element ends at its own end tag.
        ("<pre><code>a\n  b</code>\n  c</pre>\n  d", "<pre><code>a\n  b</code>\n  c</pre>\nd"),
        ("<pre>a<pre>b</pre>\n  c</pre>\n  d", "<pre>a<pre>b</pre>\n  c</pre>\nd"),
        ("<div>\n  <pre>a\n  <b>b\n    c</b>\n  d</pre>\n  </div>", "<div>\n<pre>a\n  <b>b\n    c</b>\n  d</pre>\n</div>"),
        ("<pre>a</code>\n  b</pre>\n  c", "<pre>a</code>\n  b</pre>\nc"),  # a stray end tag closes nothing
        ("</pre>\n  a", "</pre>\na"),
        # Attributes are left alone, whatever they hold: no tag is read inside them.
        ('<a title="<pre>">x\n   y</a>\n  z', '<a title="<pre>">x\ny</a>\nz'),
        ('<pre>a\n  <a title="</pre>">b</a>\n  c</pre>\n  d', '<pre>a\n  <a title="</pre>">b</a>\n  c</pre>\nd'),
        ("<a title='<script>'>\n  x</a>", "<a title='<script>'>\nx</a>"),
        ('<a title="a\n    b" href=x>\n  c</a>', '<a title="a\n    b" href=x>\nc</a>'),
        # ...read as the tokenizer reads them: a quote opens a value only after "=".
        ('<a ="x>\n  y">\n  z', '<a ="x>\ny">\nz'),
        ('<a b=x="y>\n  z">\n  w', '<a b=x="y>\nz">\nw'),
        ('<a b ="x>\n  y">\n  z', '<a b ="x>\n  y">\nz'),
        # Upper case names.
        ("<PRE>\n  x</PRE>\n  y", "<PRE>\n  x</PRE>\ny"),
        ("<SCRIPT>\n  x</script>\n  y", "<SCRIPT>\n  x</script>\ny"),
        ("<Textarea>\n  x</TEXTAREA>\n  y", "<Textarea>\n  x</TEXTAREA>\ny"),
        # A script's "<!--<script>" escapes its end tag once.
        ("<script><!--<script>x</script>\n  y</script>\n  z", "<script><!--<script>x</script>\n  y</script>\nz"),
        ("<script><!-->\n  </script>\n  z", "<script><!-->\n  </script>\nz"),
        # Comments are kept whole; "</titles>" does not end a title.
        ("<!-- a\n   <pre> -->\n  c", "<!-- a\n   <pre> -->\nc"),
        ("<title>a</titles>\n  b</title>\n  c", "<title>a</titles>\n  b</title>\nc"),
        # code, kbd (pre-wrap in print), svg, math and MathJax's elements keep their spaces.
        ("<p>\n  <code>a\n    b</code>\n  <kbd>c\n  d</kbd>\n</p>", "<p>\n<code>a\n    b</code>\n<kbd>c\n  d</kbd>\n</p>"),
        ("<svg><text>a\n  b</text></svg>\n  c", "<svg><text>a\n  b</text></svg>\nc"),
        ("<svg/>\n  c", "<svg/>\nc"),
        ("<svg a=b/>\n  <text>a\n  b</text></svg>\n  c", "<svg a=b/>\n  <text>a\n  b</text></svg>\nc"),
        ("<svg><path d='M0 0'/>\n  <text>a</text></svg>\n  c", "<svg><path d='M0 0'/>\n  <text>a</text></svg>\nc"),
        # Where SVG is left by the parser's own rules ("<b>" ends it, "<![CDATA[" is text there): the rest as it is.
        ("<p>\n  <svg><b>\n  x</b></svg>\n  y</p>", "<p>\n<svg><b>\n  x</b></svg>\n  y</p>"),
        ("<svg><![CDATA[ > </svg>\n   z ]]></svg>\n  w", "<svg><![CDATA[ > </svg>\n   z ]]></svg>\n  w"),
        ('<p>x\n  <span class="arithmatex">\\(\\text{a\n   b}\\)</span>\n  y</p>',
         '<p>x\n<span class="arithmatex">\\(\\text{a\n   b}\\)</span>\ny</p>'),
        ('<div class="arithmatex">\\[\n  a <span>b</span>\n  c\n\\]</div>\n  d\n  <span>e\n  f</span>',
         '<div class="arithmatex">\\[\n  a <span>b</span>\n  c\n\\]</div>\nd\n<span>e\nf</span>'),
        # Unfinished: kept as they are to the end.
        ("<pre>\n  x", "<pre>\n  x"),
        ("<script>\n  x", "<script>\n  x"),
        ('<a title="x\n  y', '<a title="x\n  y'),
        ("<!-- a\n  b", "<!-- a\n  b"),
        ("<plaintext>\n  a</plaintext>\n  b", "<plaintext>\n  a</plaintext>\n  b"),
        # A "<" that starts no tag is text.
        ("a < b\n   c", "a < b\nc"),
        ("</ x>\n  y", "</ x>\ny"),
    ],
)
def test_minify_html(minify, page, expected):
    assert minify(page) == expected
    assert minify(expected) == expected


# Pieces of pages, well and badly formed, for the parser to read.
_PIECES = [
    "<pre>", "</pre>", "<PRE class=x>", "<code>", "</code>", "<kbd>", "</kbd>", "<textarea>", "</textarea>",
    "<script>", "</script>", "<style>", "</style>", "<title>", "</title>", "<xmp>", "</xmp>", "<div>", "</div>",
    "<p>", "</p>", "<b>", "</b>", "<br>", "<span>", "</span>", '<span class="arithmatex">', "<svg>", "</svg>",
    "<svg/>", "<math>", "</math>", "<text>", "</text>", "<table>", "<td>", '<a title="<pre>">', "<a title='</pre>'>",
    '<a title="x\n  y">', "</a>", "<a b=c/>", "<!--", "-->", "<!-- <pre> -->", "<!doctype html>", "&#10;",
    "<![CDATA[", "]]>", "<font>", "<desc>", "<polyline>", "</polyline>", "<path/>",
    "<", ">", "</", '"', "'", "=", "/", "-",
]
_SPACES = ["\n", "  ", "\n    ", "\t", "\r\n", "\n\n  \n", " ", "\u3000", "\u00a0", "\n\f "]
_WORDS = ["a", "é", "中文", "\\text{", "}"]

# The two pages as the browser parses them: the same tree, the same attributes and comments, the
# same text where white space shows, and elsewhere the same text once a newline's white space is squeezed.
_SAME_TO_A_READER = """([a, b]) => {
  const parse = html => new DOMParser().parseFromString(html, "text/html");
  const KEPT = new Set(["PRE", "LISTING", "CODE", "KBD", "SCRIPT", "STYLE", "TEXTAREA", "TITLE", "XMP", "IFRAME",
                        "NOEMBED", "NOFRAMES", "NOSCRIPT", "PLAINTEXT", "svg", "math"]);
  const squeeze = text => text.replace(/\\n[\\t\\n\\f\\r ]+/g, "\\n");
  function compare(x, y, kept) {
    if (x.nodeType !== y.nodeType || x.nodeName !== y.nodeName) return `${x.nodeName} became ${y.nodeName}`;
    if (x.nodeType === Node.COMMENT_NODE && x.data !== y.data) return `comment ${JSON.stringify(x.data)}`;
    if (x.nodeType === Node.TEXT_NODE) {
      const same = kept ? x.data === y.data : squeeze(x.data) === squeeze(y.data);
      return same ? null : `text ${JSON.stringify(x.data)} became ${JSON.stringify(y.data)}`;
    }
    if (x.nodeType === Node.ELEMENT_NODE) {
      const attributes = e => JSON.stringify(Array.from(e.attributes, a => [a.name, a.value]));
      if (attributes(x) !== attributes(y)) return `attributes ${attributes(x)} became ${attributes(y)}`;
      kept = kept || KEPT.has(x.nodeName) || x.classList.contains("arithmatex");
    }
    const xs = x.childNodes, ys = y.childNodes;
    if (xs.length !== ys.length) return `${x.nodeName}: ${xs.length} children became ${ys.length}`;
    for (let i = 0; i < xs.length; i++) {
      const problem = compare(xs[i], ys[i], kept);
      if (problem) return problem;
    }
    return null;
  }
  return compare(parse(a), parse(b), false);
}"""


@pytest.fixture(scope="module")
def blank_page():
    from site_build import launched_browser

    with launched_browser() as browser:
        page = browser.new_page()
        try:
            yield page
        finally:
            page.close()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + _SPACES + _WORDS), max_size=40))
def test_minified_pages_read_the_same_in_a_browser(minify, blank_page, pieces):
    page = "".join(pieces)
    minified = minify(page)
    assert minify(minified) == minified
    # Only white space after a newline goes.
    assert re.sub(r"\n[\t\n\f\r ]+", "\n", page) == re.sub(r"\n[\t\n\f\r ]+", "\n", minified)
    assert blank_page.evaluate(_SAME_TO_A_READER, [page, minified]) is None


# Pages made to make a scanner go back over what it read: each is its pieces, each repeated n times.
_HARD_PAGES = {
    "tags": ("<p>\n  <a href='x'>y</a>\n",),
    "unclosed tags": ("<a ",),
    "unclosed quote": ('<a b="', "x\n  "),
    "bare quotes": ('<a "\n ',),
    "equals": ("<a =",),
    "comments": ("<!--\n ",),
    "escaped scripts": ("<script>\n <!--<script>",),
    "script escapes": ("<script>", "<!--<script>\n</script>-->"),
    "nested pre": ("<pre>\n  ", "</pre>\n "),
    "deep kept": ("<pre>", "<b>\n  "),
    "math": ('<span class="arithmatex">\n  <span>',),
    "spaces": (" ", "\n "),
    "less than": ("<", "</"),
    "svg": ("<svg a=b/",),
    "svg paths": ("<svg>", "<path d='M0 0' />\n "),
}


def _hard_page(pieces: tuple[str, ...], n: int) -> str:
    return "".join(piece * n for piece in pieces)


def test_minify_work_is_linear_in_the_page_size(minify):
    """10x the page, about 10x the work, as test_properties counts it (the Python lines run)."""
    from test_properties import MAX_WORK_RATIO, python_lines_run

    for shape, pieces in _HARD_PAGES.items():
        small = python_lines_run(minify, _hard_page(pieces, 2_000))
        big = python_lines_run(minify, _hard_page(pieces, 20_000))
        assert big <= MAX_WORK_RATIO * small, f"{shape}: 10x the page took {big / small:.1f}x the Python work"


def test_minify_finishes_on_big_hard_pages():
    """The patterns' work, which the line count does not see: 2 MB of each shape, under a guard
    that a quadratic scan would exceed by hours (a linear one takes about a second in all)."""
    script = (
        "import importlib.util, json, sys\n"
        "spec = importlib.util.spec_from_file_location('hook', sys.argv[1])\n"
        "hook = importlib.util.module_from_spec(spec); spec.loader.exec_module(hook)\n"
        "for pieces in json.loads(sys.argv[2]):\n"
        "    n = 2_000_000 // len(''.join(pieces))\n"
        "    hook.minify_html(''.join(piece * n for piece in pieces))\n"
    )
    command = [sys.executable, "-c", script, str(ROOT / "generator" / "mkdocs_hook.py"), json.dumps(list(_HARD_PAGES.values()))]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("minify_html did not finish in 120 s on 2 MB pages")
    assert done.returncode == 0, done.stderr


def test_only_included_generated_static_files_are_taken_out_to_be_linked(tmp_path):
    from mkdocs.structure.files import File, Files, InclusionLevel

    hook = load_hook()
    docs, site = tmp_path / "docs", tmp_path / "site"

    def file(path: str, inclusion=InclusionLevel.INCLUDED, src_dir=str(docs)) -> File:
        return File(path, src_dir, str(site), True, inclusion=inclusion)

    kept = [
        file("cards/.DS_Store", InclusionLevel.EXCLUDED),  # MkDocs' own rules decide what is published
        file("cards/made-by-a-plugin.png", src_dir=None),
        file("papers/2601.10103.md"),
        file("assets/javascripts/search-input.js"),
    ]
    files = Files([file("search/manifest.js"), file("cards/site.png"), *kept])
    assert [f.src_uri for f in hook.on_files(files, config=None)] == [f.src_uri for f in kept]
    assert hook._linked_files == [(str(docs / "search" / "manifest.js"), "search/manifest.js"), (str(docs / "cards" / "site.png"), "cards/site.png")]
