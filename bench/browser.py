"""First search result in headless Chromium, through the theme's real search box."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import statistics
import threading
from contextlib import contextmanager
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SEARCH_INPUT = "input.md-search__input"
RESULT_ITEM = ".md-search-result__item"

# In-page, polled every animation frame: performance.now() (ms since navigation
# start) once the first result item is visible, else false.
_FIRST_RESULT = """
(selector) => {
  const item = document.querySelector(selector);
  if (!item || !item.getClientRects().length) return false;
  const style = getComputedStyle(item);
  if (style.visibility === "hidden" || style.display === "none") return false;
  return performance.now();
}
"""


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if configured and Path(configured).is_file():
        return configured
    return shutil.which("chromium") or shutil.which("google-chrome")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, served: list, **kwargs):
        self.served = served  # (URL path, bytes) of every file sent; set first: the base class handles the request in __init__
        super().__init__(*args, **kwargs)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def send_head(self):
        sent = super().send_head()
        if sent is not None and hasattr(sent, "fileno"):
            self.served.append((self.path.split("?")[0], os.fstat(sent.fileno()).st_size))
        return sent


@contextmanager
def serve(folder: Path, served: list | None = None):
    """Serve ``folder`` on 127.0.0.1 (a free port) in a thread; yields the base URL.

    ``served`` receives (URL path, bytes) of each file sent.
    """
    handler = functools.partial(_QuietHandler, directory=str(folder), served=served if served is not None else [])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def search_fetched(served: list) -> dict:
    """Files of the paper search (``search/``) among ``served``: how many, and their bytes."""
    files = [size for path, size in served if "/search/" in path]
    return {"search_files": len(files), "search_bytes": sum(files)}


def first_result(browser, url: str, query: str, timeout_ms: int = 20000, served: list | None = None) -> dict:
    """One cold measurement in a fresh context (no cache, no worker).

    With ``served`` (the server's list), also what the page and the query
    fetched of the search index once the results are shown and the network
    is idle (the result list's paper files included).
    """
    context = browser.new_context()
    if served is not None:
        served.clear()
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        load_end = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
        page.click(SEARCH_INPUT)
        # Typing (not fill) so Material's keyboard handlers see the query even
        # before the worker is ready. Playwright types characters that are not
        # on the keyboard (Chinese) as inserted text, without key events, as
        # an input method does before its commit key; Material reads the box
        # on a key release, so the commit is a key press, as with a real IME.
        page.keyboard.type(query)
        page.keyboard.press("End")
        typed = page.evaluate("() => performance.now()")
        try:
            handle = page.wait_for_function(_FIRST_RESULT, arg=RESULT_ITEM, polling="raf", timeout=timeout_ms)
            shown = handle.json_value()
        except Exception as error:  # a timeout: no result at all
            return {"query": query, "error": f"{type(error).__name__}: {str(error).splitlines()[0]}"}
        first_text = page.eval_on_selector(RESULT_ITEM, "el => el.innerText.split('\\n')[0]")
        count = page.eval_on_selector_all(RESULT_ITEM, "els => els.length")
        fetched = {}
        if served is not None:
            page.wait_for_load_state("networkidle")
            fetched = search_fetched(served)
        return {
            "query": query,
            "since_navigation_s": shown / 1000,
            "since_load_s": (shown - load_end) / 1000,
            "since_typed_s": (shown - typed) / 1000,
            "load_s": load_end / 1000,
            "first_result": first_text,
            "results_shown": count,
            **fetched,
        }
    finally:
        context.close()


def measure(site: Path, page_path: str, queries: list[str], repeats: int = 3) -> dict:
    """Median over ``repeats`` cold runs of each query, opened on ``page_path``."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError("no Chromium: set CHROMIUM_PATH")
    results: dict = {"chromium": executable, "page": page_path, "queries": {}}
    served: list = []
    with serve(site, served) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            results["chromium_version"] = browser.version
            for query in queries:
                runs = [first_result(browser, base + page_path, query, served=served) for _ in range(repeats)]
                good = [r for r in runs if "error" not in r]
                summary: dict = {"runs": runs}
                if good:
                    for key in ("since_navigation_s", "since_load_s", "since_typed_s", "load_s", "search_files", "search_bytes"):
                        summary[key] = statistics.median(r[key] for r in good)
                    summary["first_result"] = good[0]["first_result"]
                else:
                    summary["error"] = runs[0]["error"]
                results["queries"][query] = summary
        finally:
            browser.close()
    return results
