"""MkDocs hook: ``mkdocs build`` and ``mkdocs serve`` run the generator.

Declared under ``hooks:`` in mkdocs.yml. Before MkDocs reads the docs folder
the generator writes the pages (incrementally, so ``serve`` rebuilds only
what changed); ``serve`` also watches the digests, templates and taxonomy,
and ignores what the generator itself writes into docs/ (one rebuild and one
reload per edit). After the build, files that come from installed packages
(MathJax, lunr.js) are copied into the site, and the generated files that
MkDocs only copies (the search index's and the cards', one per paper) are
hard-linked into it instead of being copied by MkDocs one by one.

Digest problems are printed as warnings that a strict build does not count
(see ``report``): one bad digest must not keep the rest of the archive from
being published; ``python -m generator check --strict`` is the gate for
digest quality.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import sys
from pathlib import Path

from generator import paths, site_cache
from generator.assets import copy_site_assets, link_or_copy
from generator.build import BuildResult, build
from generator.model import ERROR, Digest
from generator.sanitize import escape_meta, sanitize_html
from generator.sources import scan_digests
from generator.store import write_atomic

log = logging.getLogger("mkdocs.hooks.generator")

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


class _MkDocsConsole(logging.Handler):
    """Prints records the way MkDocs prints its own (``WARNING -  ...``), through its console handler.

    MkDocs counts, for ``--strict``, the warnings logged under its ``mkdocs``
    logger (a ``CountHandler`` there). Records of the ``daily_papers`` logger
    reach the console through this handler and never pass that logger, so
    they are shown as warnings and not counted.
    """

    NAME = "daily-papers-console"

    def __init__(self):
        super().__init__(logging.INFO)
        self.set_name(self.NAME)

    def emit(self, record: logging.LogRecord) -> None:
        mkdocs = logging.getLogger("mkdocs")
        if record.levelno < mkdocs.getEffectiveLevel():  # `mkdocs build -q` shows errors only
            return
        for handler in mkdocs.handlers:
            if handler.get_name() == "MkDocsStreamHandler":  # mkdocs.__main__ names its console handler so
                handler.handle(record)
                return
        try:  # MkDocs run without its command line (tests, the benchmark): the same format on stderr
            sys.stderr.write(f"{record.levelname:<8}-  {record.getMessage()}\n")
        except Exception:  # noqa: BLE001 - logging never raises
            self.handleError(record)


def _report_logger() -> logging.Logger:
    logger = logging.getLogger("daily_papers")
    logger.setLevel(logging.INFO)
    # MkDocs loads the hook anew for every configuration it reads: one handler per process.
    if not any(handler.get_name() == _MkDocsConsole.NAME for handler in logger.handlers):
        logger.addHandler(_MkDocsConsole())
    return logger


# Digest diagnostics, the empty-archive and site-URL warnings: shown, not counted by --strict.
report = _report_logger()


# Read at each build, not at import: MkDocs loads a hook once per process.
# Overridable so the benchmark and tests can build other archives with the same config.
def digests_dir() -> Path:
    return Path(os.environ.get("DAILY_PAPERS_DIGESTS", ROOT / "digests"))


def taxonomy_file() -> Path:
    return Path(os.environ.get("DAILY_PAPERS_TAXONOMY", ROOT / "taxonomy.yml"))


def _shown(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it (``digests/x.md``), else as given."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)
    shown = str(path) if relative.startswith("..") else relative
    return shown + ("/" if path.is_dir() and not shown.endswith("/") else "")


_check_site_url = False  # set for `mkdocs build` (not `serve`, which uses its own local address)
_command: tuple[str | None, bool] = (None, False)  # the command and its --dirty flag, from on_startup
_site_cache: site_cache.SiteCache | None = None  # this build's, when DAILY_PAPERS_SITE_STATE asks for one
_linked_files: list[tuple[str, str]] = []  # (source, site-relative destination) of this build's generated static files
LINKED_DIRS = (paths.SEARCH, paths.CARDS)  # generated folders holding no page: nothing in them is rendered


def on_startup(command, dirty, **kwargs) -> None:
    global _check_site_url, _command
    _check_site_url = command == "build"
    _command = (command, dirty)


def on_config(config, **kwargs):
    # Incremental builds (generator/site_cache.py): only the pages whose inputs changed are rendered.
    global _site_cache
    _drop_site_cache()
    _site_cache = site_cache.start(config, *_command)
    return config


def on_files(files, config, **kwargs):
    # Two years hold ~29,000 such files: MkDocs copies them one by one (3.5 s there), a
    # hard link gives the same bytes in a third of the time. Nothing may write into them in
    # site/ afterwards: it would write through the link into docs/.
    global _linked_files
    linked = [
        f for f in files
        if f.abs_src_path and f.inclusion.is_included() and not f.is_documentation_page()
        and f.src_uri.partition("/")[0] in LINKED_DIRS
    ]
    for f in linked:
        files.remove(f)
    _linked_files = [(f.abs_src_path, f.dest_uri) for f in linked]
    return files


def on_nav(nav, config, files, **kwargs):
    if _site_cache is not None:
        _site_cache.on_nav(nav, files)
    return nav


def _drop_site_cache() -> None:
    global _site_cache
    if _site_cache is not None:
        _site_cache.uninstall()
    _site_cache = None


def on_build_error(error, **kwargs) -> None:
    _drop_site_cache()  # the state file keeps describing the previous build


def on_shutdown(**kwargs) -> None:
    _drop_site_cache()


def _warn_default_site_url(config) -> None:
    global _check_site_url
    if _check_site_url and not os.environ.get("SITE_URL") and (config["site_url"] or paths.DEFAULT_SITE_URL) == paths.DEFAULT_SITE_URL:
        report.warning(
            f"SITE_URL is not set: canonical links, link previews and feeds point at {paths.DEFAULT_SITE_URL}; "
            "set SITE_URL to the address the site is published at (CI derives it from the repository)"
        )
    _check_site_url = False  # once per build command


def on_pre_build(config, **kwargs) -> None:
    _warn_default_site_url(config)
    docs = Path(config["docs_dir"])
    digests = digests_dir()
    if digests.is_dir() and not scan_digests([digests])[0]:
        report.warning(
            f"no digests in {_shown(digests)}: the site is built without papers; "
            "put one digest per day there (.md or .txt)"
        )
    result = build(
        digests, docs, taxonomy_path=taxonomy_file(), site_url=config["site_url"] or paths.DEFAULT_SITE_URL,
        site_name=config["site_name"],
    )
    report_diagnostics(result)
    log.info("generator: " + result.summary())


def report_diagnostics(result: BuildResult) -> None:
    """Every digest error and warning (``path:line: level: message``), then a one-line summary."""
    for diagnostic in sorted(result.diagnostics):
        # Printed by the diagnostic itself (it escapes what a terminal would act on), with a shorter path.
        report.warning(str(dataclasses.replace(diagnostic, path=_shown(Path(diagnostic.path)))))
    if result.diagnostics:
        report.warning(diagnostics_summary(result))


def diagnostics_summary(result: BuildResult) -> str:
    """``digests: 2 errors in 1 file (1 paper skipped), 3 warnings``."""
    errors = [d for d in result.diagnostics if d.level == ERROR]
    warnings = len(result.diagnostics) - len(errors)
    files = len({d.path for d in errors})
    skipped = papers_skipped(result)
    text = f"digests: {_count(len(errors), 'error')}"
    if errors:
        text += f" in {_count(files, 'file')}"
        if skipped:
            text += f" ({_count(skipped, 'paper')} skipped)"
    return text + f", {_count(warnings, 'warning')}"


def papers_skipped(result: BuildResult) -> int:
    """Papers that could not be read from digests that were published."""
    if result.archive is not None and "unreadable" in {f.name for f in dataclasses.fields(Digest)}:
        return sum(day.unreadable for day in result.archive.days)
    # A build that found nothing changed replays its diagnostics without an
    # archive: count the errors that skip one paper (their messages say so).
    return sum(1 for d in result.diagnostics if d.level == ERROR and _skips_one_paper(d.message))


def _skips_one_paper(message: str) -> bool:
    return message.startswith("paper ") and message.endswith("skipped") or "paper skipped" in message


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def on_page_markdown(markdown, page, **kwargs):
    # The theme prints titles and descriptions without escaping; as Markup
    # they print escaped everywhere (and `|e` in our templates is a no-op).
    for key in ("title", "description"):
        if key in page.meta:
            page.meta[key] = escape_meta(str(page.meta[key]))
    if page.title is not None:
        page.title = escape_meta(str(page.title))
    return markdown


def on_page_content(html, page, **kwargs):
    if paths.is_generated(page.file.src_uri):
        return sanitize_html(html)
    return html


def on_post_page(output, page, config, **kwargs):
    # The last step of a page: everything the theme and the other hooks wrote is in it.
    return minify_html(output)


def on_post_template(output_content, template_name, config, **kwargs):
    # 404.html: a page like the others (sitemap.xml and other templates are left as they are).
    return minify_html(output_content) if template_name.endswith(".html") else output_content


# -- The white space of built pages --------------------------------------------------------------
#
# A paper page is paid for ~70,000 times in the 1 GB GitHub Pages allows, and about a KB of it was
# the templates' indentation. Outside the elements below, white space that starts a line (and the
# blank lines) is insignificant: a run of white space holding a newline renders as one space, and
# the newline stays. Inside a tag nothing changes (attribute values keep their bytes), nor in a
# comment or a doctype. The scanner reads tags, attributes, comments and raw text as the HTML
# tokenizer does (quotes open a value only after "=", a script's "<!--<script>" escapes...); where
# the tree the parser builds differs from the tags as written (implied or ignored end tags) it
# keeps more than needed, never less. It is linear in the page's length whatever the page holds:
# every pattern is possessive, or lazy up to a match that cannot fail.

# Read raw by the parser up to their end tag (plaintext: to the end of the page): kept whole.
_RAW_TEXT = frozenset(("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
                       "plaintext"))
# White space shows inside these: pre (and the obsolete listing); code and kbd (Material's print
# stylesheet gives them white-space: pre-wrap).
_KEEPS_SPACE = frozenset(("pre", "listing", "code", "kbd"))
# And inside any element of this class: MathJax typesets the TeX in it (mathjax-config.js), and
# TeX's text mode (\text{...}, \verb) shows every space of "a\n   b".
_MATH_CLASS = "arithmatex"
# SVG and MathML keep their white space too (in SVG text a newline is dropped rather than read as
# a space: "a\n   b" and "a\nb" differ), and inside them the parser reads tags its own way: "/>"
# closes an element, "<style>" is no raw text, and some HTML tags ("<b>", "</p>") or integration
# points (SVG's <title>) leave foreign content. The plain case (the charts) is followed; from
# anything else in it on, the page is kept as it is.
_FOREIGN = frozenset(("svg", "math"))
_LEAVES_FOREIGN = frozenset((
    "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "font", "h1",
    "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre",
    "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var",
    "foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext", "annotation-xml",
))
_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
                   "source", "track", "wbr"))

# A tag's attributes up to its ">" (or the end of the page), as the tokenizer reads them: a name
# (which may start with "=" or hold quotes), then "=" and a value, quoted or up to a space or ">".
_ATTRIBUTES = (
    r"(?:[\t\n\f\r /]++"
    r"|[^\t\n\f\r />][^\t\n\f\r />=]*+"
    r"""(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z)|(?!["'])[^\t\n\f\r >]*+)"""
    r"|(?![\t\n\f\r ]*+=)))*+"
)
# The same for a tag on one line that ends on it: the common case.
_ONE_LINE_ATTRIBUTES = (
    r"(?:[\t\f\r /]++"
    r"|[^\t\n\f\r />][^\t\n\f\r />=]*+"
    r"""(?:[\t\f\r ]*+=[\t\f\r ]*+(?:"[^"\n]*+"|'[^'\n]*+'|(?!["'])[^\t\n\f\r >]*+)"""
    r"|(?![\t\f\r ]*+=)))*+"
)
_NAME = r"[A-Za-z][^\t\n\f\r />]*+"
# A token kept as it is: a comment, a tag, a doctype or bogus comment ("<!x>", "<?x>", "</ x>"), or the end.
_TOKEN = (
    r"(?:<!--(?:-?>|.*?(?:--!?>|\Z))"
    rf"|(?P<tag><(?P<end>/)?(?P<name>{_NAME}){_ATTRIBUTES}(?:>|\Z))"
    r"|<[!?/][^>]*+(?:>|\Z)"
    r"|\Z)"
)
_FLAGS = re.DOTALL | re.IGNORECASE | re.ASCII
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_NAME_END = r"(?=[\t\n\f\r />]|\Z)"
# Text and the one-line tags of other elements, whose newlines may be squeezed ("plain"), then a token.
_NEXT = re.compile(
    r"(?P<plain>(?:[^<]++"
    rf"|</?(?!(?:{'|'.join(sorted(_RAW_TEXT | _KEEPS_SPACE | _FOREIGN))}){_NAME_END}){_NAME}{_ONE_LINE_ATTRIBUTES}>"
    r"|<(?![A-Za-z!?/]))*+)" + _TOKEN,
    _FLAGS,
)
# Text only, then a token: for pages with the math class, whose elements are known by their start tags.
_NEXT_TAG = re.compile(r"(?P<plain>(?:[^<]++|<(?![A-Za-z!?/]))*+)" + _TOKEN, _FLAGS)
_MATH = re.compile(_MATH_CLASS, _FLAGS)
# A start tag that surely ends in the self-closing "/>" (in "<svg a=b/>" the "/" belongs to the
# value): names, quoted values, then "/>".
_SELF_CLOSING = re.compile(
    r"""<[^\t\n\f\r />]++(?:[\t\n\f\r ]++[^\t\n\f\r "'/<=>]++(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+"|'[^']*+'))?+)*+"""
    r"[\t\n\f\r ]*+/>\Z",
    _FLAGS,
)
# HTML's white space only: Python's \s would take U+00A0 and U+3000 too, which are text.
_INDENTATION = re.compile(r"\n[\t\n\f\r ]++")
# The end tag that ends a raw text element ("</title " or "</title>", not "</titles>").
_RAW_END = {name: re.compile(rf"</{name}(?=[\t\n\f\r />])", _FLAGS) for name in _RAW_TEXT}
# Script data: "<!--" escapes it, "<script" inside the escape escapes the end tag too, "-->" ends both.
_SCRIPT_DATA = re.compile(r"<!--|</script(?=[\t\n\f\r />])", _FLAGS)
_SCRIPT_ESCAPED = re.compile(r"-->|</?script(?=[\t\n\f\r />])", _FLAGS)
_SCRIPT_DOUBLE_ESCAPED = re.compile(r"-->|</script(?=[\t\n\f\r />])", _FLAGS)


def _raw_text_end(html: str, name: str, start: int) -> int:
    """Where the content of the raw text element ``name`` that starts at ``start`` ends (its end tag, or the page's end)."""
    if name == "plaintext":
        return len(html)
    if name != "script":
        found = _RAW_END[name].search(html, start)
        return found.start() if found else len(html)
    state = _SCRIPT_DATA
    while (found := state.search(html, start)) is not None:
        token = found.group()
        if token == "-->":
            state, start = _SCRIPT_DATA, found.end()
        elif token == "<!--":
            state, start = _SCRIPT_ESCAPED, found.end() - 2  # its "--" may end the escape at once: "<!-->"
        elif token[1] != "/":  # "<script" inside the escape
            state, start = _SCRIPT_DOUBLE_ESCAPED, found.end()
        elif state is _SCRIPT_DOUBLE_ESCAPED:  # "</script" ends the double escape only
            state, start = _SCRIPT_ESCAPED, found.end()
        else:
            return found.start()
    return len(html)


def minify_html(html: str) -> str:
    """``html`` without the white space after its newlines, except inside pre, textarea, script, math and the like."""
    parts: list[str] = []
    # From the start tag of an element whose content is kept, the elements open inside it (itself
    # first). An end tag closes the last one only if it names it: the parser ignores some end
    # tags (one that would cross a table, say) and closes some elements without one; either way
    # the content stays kept until every element here has had its end tag.
    kept: list[str] = []
    foreign = 0  # the elements at the end of `kept` that are SVG or MathML (from its first svg or math on)
    math_page = _MATH.search(html) is not None
    position, end = 0, len(html)
    while position < end:
        # Inside kept content, or where the math class may be on any tag, every tag is looked at.
        match = (_NEXT_TAG if kept or math_page else _NEXT).match(html, position)
        plain = match.group("plain")
        parts.append(plain if kept else _INDENTATION.sub("\n", plain))
        parts.append(html[match.end("plain"):match.end()])
        position = match.end()
        name = match.group("name")
        if name is None:  # a comment, a doctype...: in SVG, "<![CDATA[" starts text up to "]]>"
            if foreign and html.startswith("<![CDATA[", match.end("plain")):
                parts.append(html[position:])
                break
            continue
        name, tag = name.translate(_ASCII_LOWER), match.group("tag")  # as the tokenizer lowers names
        if foreign:
            if match.group("end") and kept[-1] == name:
                kept.pop()
                foreign -= 1
            elif match.group("end") or name in _LEAVES_FOREIGN or tag.endswith("/>") and not _SELF_CLOSING.match(tag):
                parts.append(html[position:])  # what the parser does next is not followed here: the rest as it is
                break
            elif not tag.endswith("/>"):
                kept.append(name)
                foreign += 1
        elif match.group("end"):
            if kept and kept[-1] == name:
                kept.pop()
        elif name in _RAW_TEXT:
            if tag.endswith(">"):  # its content, up to the end tag that closes it
                position = _raw_text_end(html, name, position)
                parts.append(html[match.end():position])
        elif name in _VOID or name in _FOREIGN and _SELF_CLOSING.match(tag):
            pass  # no content, no end tag
        elif name in _FOREIGN:
            kept.append(name)
            foreign = 1
        elif kept or name in _KEEPS_SPACE or _MATH_CLASS in tag.lower():
            kept.append(name)
    return "".join(parts)


def on_serve(server, config, builder, **kwargs):
    for path in (digests_dir(), taxonomy_file(), TEMPLATES):
        server.watch(str(path))
    _watch_hand_written(server, config["docs_dir"])
    return server


def _watch_hand_written(server, docs_dir: str) -> None:
    """Rebuild on changes under docs/ except the generator's own output.

    MkDocs watches all of docs/; the generator writes its pages (and its
    cache) there while a rebuild runs, which would ask for a second rebuild
    and a second reload after every digest edit. This replaces that watch with
    one that ignores generated paths, dot-names (the cache, temporary names)
    included. It uses the live-reload server's rebuild flag; a MkDocs without
    it keeps its own watch (two reloads per edit, nothing worse).
    """
    docs = os.path.abspath(docs_dir)
    if not (hasattr(server, "_rebuild_cond") and hasattr(server, "_want_rebuild") and docs in getattr(server, "_watched_paths", {})):
        return
    import watchdog.events

    class HandWritten(watchdog.events.FileSystemEventHandler):
        def on_any_event(self, event):
            if event.is_directory:
                return
            changed = [path for path in (event.src_path, getattr(event, "dest_path", "")) if path]
            if any(is_hand_written(docs, os.fsdecode(path)) for path in changed):
                request_rebuild(server, event)

    server.unwatch(docs)
    watch = server.observer.schedule(HandWritten(), docs, recursive=True)
    # Registered as MkDocs registers its watches: listed in "Watching paths", and unwatch() works.
    server._watched_paths[docs] = 1
    if hasattr(server, "_watch_refs"):
        server._watch_refs[docs] = watch


def is_hand_written(docs: str, path: str) -> bool:
    """Whether a change to ``path`` (under ``docs``) is one MkDocs should rebuild for."""
    relative = os.path.relpath(path, docs).replace(os.sep, "/")
    first = relative.split("/", 1)[0]
    if relative.startswith("../") or first.startswith("."):
        return False  # the build cache, pages and folders waiting under temporary names
    return not (relative in paths.GENERATED_FILES or first in paths.GENERATED_DIRS)


def request_rebuild(server, event) -> None:
    log.debug(f"changed: {getattr(event, 'dest_path', '') or event.src_path}")
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def on_post_build(config, **kwargs) -> None:
    global _site_cache
    site = Path(config["site_dir"])
    for source, destination in _linked_files:
        link_or_copy(source, site / destination)
    copy_site_assets(site)
    _write_offline_theme_index(site)
    if _site_cache is not None:
        _site_cache.finish()
        _site_cache = None


def _write_offline_theme_index(site: Path) -> None:
    # From file:// the theme loads search/search_index.js (a script) instead
    # of fetching search_index.json; its offline plugin would add a CDN shim.
    index = site / "search" / "search_index.json"
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        _write_if_changed(site / "search" / "search_index.js", "var __index = " + json.dumps(data, ensure_ascii=False) + ";\n")


def _write_if_changed(target: Path, text: str) -> None:
    data = text.encode("utf-8")
    if target.is_file() and target.read_bytes() == data:
        return
    write_atomic(target, data)
