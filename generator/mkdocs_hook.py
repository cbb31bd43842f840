"""MkDocs hook: ``mkdocs build`` and ``mkdocs serve`` run the generator.

Declared under ``hooks:`` in mkdocs.yml. Before MkDocs reads the docs folder
the generator writes the pages (incrementally, so ``serve`` rebuilds only
what changed); ``serve`` also watches the digests, templates and taxonomy.
After the build, files that need the site's absolute URL (feeds) or that
come from installed packages (MathJax, lunr.js) are written into the site.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from generator.assets import copy_site_assets
from generator.build import build
from generator.feeds import render_feeds
from generator.write import write_atomic

log = logging.getLogger("mkdocs.hooks.generator")

ROOT = Path(__file__).resolve().parent.parent
# Overridable so the benchmark and tests can build other archives with the same config.
DIGESTS = Path(os.environ.get("DAILY_PAPERS_DIGESTS", ROOT / "digests"))
TAXONOMY = Path(os.environ.get("DAILY_PAPERS_TAXONOMY", ROOT / "taxonomy.yml"))
TEMPLATES = ROOT / "templates"

_archive = None


def on_pre_build(config, **kwargs) -> None:
    global _archive
    docs = Path(config["docs_dir"])
    result = build(DIGESTS, docs, taxonomy_path=TAXONOMY)
    _archive = result.archive
    # Digest problems are reported but do not fail a strict build: one bad
    # digest must not keep the rest of the archive from being published.
    # `python -m generator check --strict` is the gate for digest quality.
    for diagnostic in result.diagnostics:
        log.info(str(diagnostic))
    log.info("generator: " + result.summary())


def on_serve(server, config, builder, **kwargs):
    for path in (DIGESTS, TAXONOMY, TEMPLATES):
        server.watch(str(path))
    return server


def on_post_build(config, **kwargs) -> None:
    site = Path(config["site_dir"])
    copy_site_assets(site)
    if _archive is not None:
        for relative, text in render_feeds(_archive, config["site_url"] or "/", config["site_name"]).items():
            _write_if_changed(site / relative, text)
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
