"""Building a real MkDocs site from chosen digests, for the site and browser tests."""

from __future__ import annotations

import contextlib
import functools
import http.server
import logging
import os
import shutil
import socketserver
import threading
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
    shutil.copy(ROOT / "docs" / "me.md", docs / "me.md")
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


@contextlib.contextmanager
def served_folder(site: Path):
    """``site`` served over HTTP on loopback (a thread of this process); yields the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = socketserver.TCPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def launched_browser():
    """A headless Chromium (Playwright); skips the test without a browser."""
    import pytest

    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium found: set CHROMIUM_PATH or install Debian's chromium")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def served_browser(site: Path):
    """A headless Chromium and the base URL of ``site`` served on loopback; skips without a browser."""
    with served_folder(site) as base, launched_browser() as browser:
        yield browser, base


def record_problems(page, console_types: tuple[str, ...] = ("error",)) -> list[str]:
    """The problems a Playwright page reports from now on: console messages of ``console_types``,
    uncaught exceptions, failed requests and HTTP errors (the list fills as they happen)."""
    problems: list[str] = []
    page.on("console", lambda message: message.type in console_types and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"exception: {error}"))
    # A request the page cancels as it navigates away (net::ERR_ABORTED: the search worker's fetch
    # when a test clicks a link at once) is no failure a reader sees.
    page.on("requestfailed", lambda request: request.failure != "net::ERR_ABORTED"
            and problems.append(f"failed: {request.url} ({request.failure})"))
    page.on("response", lambda response: response.status >= 400 and problems.append(f"HTTP {response.status}: {response.url}"))
    return problems
