"""MkDocs hook: ``mkdocs build`` and ``mkdocs serve`` run the generator.

Declared under ``hooks:`` in mkdocs.yml. Before MkDocs reads the docs folder
the generator writes the pages (incrementally, so ``serve`` rebuilds only
what changed); ``serve`` also watches the digests, templates and taxonomy.
After the build, MathJax is copied from its installed package into the site.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from generator.assets import copy_site_assets
from generator.build import build

log = logging.getLogger("mkdocs.hooks.generator")

ROOT = Path(__file__).resolve().parent.parent
# Overridable so the benchmark and tests can build other archives with the same config.
DIGESTS = Path(os.environ.get("DAILY_PAPERS_DIGESTS", ROOT / "digests"))
TAXONOMY = Path(os.environ.get("DAILY_PAPERS_TAXONOMY", ROOT / "taxonomy.yml"))
TEMPLATES = ROOT / "templates"


def on_pre_build(config, **kwargs) -> None:
    docs = Path(config["docs_dir"])
    result = build(DIGESTS, docs, taxonomy_path=TAXONOMY)
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
    copy_site_assets(Path(config["site_dir"]))
