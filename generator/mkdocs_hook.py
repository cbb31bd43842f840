"""MkDocs hook: ``mkdocs build`` and ``mkdocs serve`` run the generator.

Declared under ``hooks:`` in mkdocs.yml. Before MkDocs reads the docs folder
the generator writes the pages (incrementally, so ``serve`` rebuilds only
what changed); ``serve`` also watches the digests, templates and taxonomy.
After the build, files that come from installed packages (MathJax,
lunr.js) are copied into the site.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from generator import paths
from generator.assets import copy_site_assets
from generator.build import build
from generator.sanitize import escape_meta, sanitize_html
from generator.write import write_atomic

log = logging.getLogger("mkdocs.hooks.generator")

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


# Read at each build, not at import: MkDocs loads a hook once per process.
# Overridable so the benchmark and tests can build other archives with the same config.
def digests_dir() -> Path:
    return Path(os.environ.get("DAILY_PAPERS_DIGESTS", ROOT / "digests"))


def taxonomy_file() -> Path:
    return Path(os.environ.get("DAILY_PAPERS_TAXONOMY", ROOT / "taxonomy.yml"))

def on_pre_build(config, **kwargs) -> None:
    docs = Path(config["docs_dir"])
    result = build(
        digests_dir(), docs, taxonomy_path=taxonomy_file(), site_url=config["site_url"] or paths.DEFAULT_SITE_URL,
        site_name=config["site_name"],
    )
    # Digest problems are reported but do not fail a strict build: one bad
    # digest must not keep the rest of the archive from being published.
    # `python -m generator check --strict` is the gate for digest quality.
    for diagnostic in result.diagnostics:
        log.info(str(diagnostic))
    log.info("generator: " + result.summary())


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
    return server


def on_post_build(config, **kwargs) -> None:
    site = Path(config["site_dir"])
    copy_site_assets(site)
    _write_offline_theme_index(site)


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
