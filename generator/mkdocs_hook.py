"""MkDocs hook: ``mkdocs build`` and ``mkdocs serve`` run the generator.

Declared under ``hooks:`` in mkdocs.yml. Before MkDocs reads the docs folder
the generator writes the pages (incrementally, so ``serve`` rebuilds only
what changed); ``serve`` also watches the digests, templates and taxonomy,
and ignores what the generator itself writes into docs/ (one rebuild and one
reload per edit). After the build, files that come from installed packages
(MathJax, lunr.js) are copied into the site.

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
import sys
from pathlib import Path

from generator import paths, site_cache
from generator.assets import copy_site_assets
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
