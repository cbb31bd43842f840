"""Building a real MkDocs site from chosen digests, for the site and browser tests."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build_site(digests: Path, work: Path, **overrides) -> tuple[Path, list[str]]:
    """Generate and build with the project's mkdocs.yml; returns the site folder and warnings."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    docs = work / "docs"
    site = work / "site"
    docs.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "docs" / "about.md", docs / "about.md")
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets", dirs_exist_ok=True)
    os.environ["DAILY_PAPERS_DIGESTS"] = str(digests)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_config(config_file=str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(site), **overrides)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.removeHandler(collect)
        os.environ.pop("DAILY_PAPERS_DIGESTS", None)
    return site, collect.messages


def chromium_path() -> str | None:
    candidates = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium"),
                  shutil.which("google-chrome"), shutil.which("chromium-browser")]
    return next((c for c in candidates if c and Path(c).exists()), None)


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync",
]
