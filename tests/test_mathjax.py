"""Digest formulas in Chromium: MathJax typesets them, and nothing in them can act.

tests/fixtures/hostile/mathjax.md carries formulas that try to make MathJax write links,
styles, ids, classes, colours and images into the page (``\\mmlToken`` with href, src, style,
class, id and colour attributes, ``\\href``, ``\\class``, ``\\cssId``, ``\\style``, ``\\require``,
``\\color{url(...)}``, ``\\bbox`` and ``\\enclose`` styles), and a paper of common macros that
MathJax autoloads (``\\boldsymbol``, ``\\color``, ``\\cancel``, ``\\bbox``, ``\\ce``, ...). The
site is built with the sample digests, served over http, and opened from ``file://`` as well (the
offline copy is this site, zipped).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_build import build_site, served_browser

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MMLTOKEN_PAPER, MACRO_PAPER, COMMON_PAPER = "2505.90001", "2505.90002", "2505.90003"
PAYLOAD_PAPERS = (MMLTOKEN_PAPER, MACRO_PAPER, COMMON_PAPER)
# A hang guard only (MathJax that never settles), never a measurement.
SETTLE_MS = 60_000

# Sets window.__mathjaxSettled once MathJax's first typeset is over (or failed to start).
WATCH_MATHJAX = """() => {
  const settle = (value) => { window.__mathjaxSettled = value; };
  if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) { settle('no MathJax'); return; }
  MathJax.startup.promise.then(() => settle('ok'), (error) => settle('failed: ' + error));
}"""

# What a formula must never leave in the page.
FORMULA_CHECK = """() => {
  const bad = [];
  const containers = document.querySelectorAll('mjx-container');
  for (const container of containers) {
    for (const element of [container, ...container.querySelectorAll('*')]) {
      const where = element.tagName + ' in ' + (container.textContent || '').slice(0, 40);
      if (element.tagName.toLowerCase() === 'a') bad.push('link: ' + where);
      for (const attribute of element.attributes) {
        const name = attribute.name.toLowerCase();
        const value = attribute.value;
        const flat = value.replace(/[\\x00-\\x20]/g, '').toLowerCase();
        if (name.startsWith('on')) bad.push(name + ' on ' + where);
        if (/(javascript|vbscript|data):/.test(flat)) bad.push(name + '=' + value.slice(0, 80) + ' on ' + where);
        if (/url\\(|image-set\\(|@import/.test(flat)) bad.push(name + '=' + value.slice(0, 80) + ' on ' + where);
        if (/href$|^src$/.test(name) && !(element.tagName.toLowerCase() === 'use' && /^#MJX-/.test(value))
            && !/^https?:\\/\\//i.test(value)) bad.push(name + '=' + value.slice(0, 80) + ' on ' + where);
        if (name === 'id' && !/^mjx-/i.test(value)) bad.push('id=' + value + ' on ' + where);
      }
      for (const name of element.classList) if (!/^(mjx-|MJX-|MathJax$|CtxtMenu_Attached_[0-9]+$)/.test(name)) bad.push('class ' + name + ' on ' + where);
      const style = element.getAttribute('style') || '';
      if (/position:\\s*(fixed|absolute|sticky)|transform|opacity|cursor|background-image|z-index/i.test(style))
        bad.push('style ' + style.slice(0, 80) + ' on ' + where);
    }
  }
  const config = document.getElementById('__config');
  if (!config || config.tagName !== 'SCRIPT') bad.push('__config is not the theme script');
  for (const id of ['__search', '__drawer']) {
    if (document.querySelectorAll('[id="' + id + '"]').length > 1) bad.push('two elements with id ' + id);
  }
  return bad;
}"""

# Click (as a script may) every element a formula rendered outside links; links are clicked
# one at a time (several navigations at once would cancel each other).
CLICK_FORMULAS = """() => {
  let clicked = 0;
  for (const element of document.querySelectorAll('mjx-container, mjx-container *')) {
    if (element.closest('a')) continue;
    element.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
    clicked += 1;
  }
  return clicked;
}"""

# Where the formulas' glyph groups are on screen, for real mouse clicks (points where a
# formula is what the mouse would hit).
FORMULA_POINTS = """() => {
  const points = [];
  for (const element of document.querySelectorAll('mjx-container g[data-mml-node]')) {
    const box = element.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    const hit = document.elementFromPoint(x, y);
    if (hit && hit.closest('mjx-container')) points.push([x, y]);
  }
  return points;
}"""

# Whether the middle of the viewport is one of the page's own links (outside formulas), which
# a click would rightly follow; anything else there (a formula above all, or text) is clicked.
PAGE_LINK_AT = """([x, y]) => {
  const hit = document.elementFromPoint(x, y);
  const link = hit && hit.closest('a');
  return !!(link && !link.closest('mjx-container'));
}"""


# Formulas that failed: MathJax errors, and macros left undefined (shown as red \\name).
FORMULA_ERRORS = """() => {
  const errors = [];
  for (const container of document.querySelectorAll('mjx-container')) {
    const error = container.querySelector('[data-mjx-error], merror, [data-mml-node="merror"]');
    if (error) errors.push('error ' + (error.getAttribute('data-mjx-error') || error.textContent));
    const mml = container.querySelector('mjx-assistive-mml');
    if (mml && mml.textContent.includes('\\\\')) errors.push('undefined ' + mml.textContent.slice(0, 60));
  }
  return errors;
}"""


class Visit:
    """One page in Chromium with what it asked for, what failed, and what it tried to run."""

    def __init__(self, browser, origin: str):
        self.origin = origin
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.dialogs: list[str] = []
        self.outside: list[str] = []
        self.missing: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("request", self._request)
        self.page.on("response", lambda response: self.missing.append(f"{response.status} {response.url}")
                     if response.status >= 400 else None)
        self.page.on("requestfailed", self._failed)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.navigations: list[str] = []  # where the page went after it was opened
        self._opened = False
        self.page.on("framenavigated", self._navigated)

    def _navigated(self, frame):
        if self._opened and frame == self.page.main_frame:
            self.navigations.append(frame.url)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request):
        if not request.url.startswith(self.origin):
            self.outside.append(request.url)

    def _failed(self, request):
        # file:// sitemap.xml is the theme's own XHR, refused by Chromium's file:// CORS rules.
        if request.url.startswith(self.origin) and not request.url.endswith("/sitemap.xml"):
            self.missing.append(f"failed {request.url}")

    def open(self, url: str) -> str:
        """Goes to ``url`` and waits for MathJax's first typeset; returns how it settled."""
        self.page.goto(url)
        self.page.evaluate(WATCH_MATHJAX)
        self.page.wait_for_function("() => window.__mathjaxSettled", timeout=SETTLE_MS)
        settled = self.page.evaluate("() => window.__mathjaxSettled")
        self._opened = True
        return settled

    def click_everything(self) -> int:
        """Clicks every formula element (script clicks), each formula group and the viewport's middle.

        Returns how many elements were clicked; a click that navigates ends the clicking (the
        page's URL then tells).
        """
        from playwright.sync_api import Error

        clicked = 0
        try:
            clicked = self.page.evaluate(CLICK_FORMULAS)
            for link in self.page.query_selector_all("mjx-container a"):
                link.dispatch_event("click")
                clicked += 1
                self.page.wait_for_timeout(200)
                if self.navigations or self.dialogs:
                    break
            for x, y in self.page.evaluate(FORMULA_POINTS):
                if self.navigations:
                    break
                self.page.mouse.click(x, y)
            viewport = self.page.viewport_size
            middle = [viewport["width"] / 2, viewport["height"] / 2]
            if not self.navigations and not self.page.evaluate(PAGE_LINK_AT, middle):
                self.page.mouse.click(*middle)
            self.page.wait_for_timeout(300)  # a navigation or a script started by a click shows by now
        except Error as error:
            if "context was destroyed" not in error.message:
                raise
            self.navigations.append(f"navigated while clicking ({error.message.splitlines()[0]})")
        return clicked

    def close(self):
        self.page.close()


@pytest.fixture(scope="module")
def digests(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mathjax-digests")
    for file in (FIXTURES / "samples").iterdir():
        shutil.copy(file, folder / file.name)
    shutil.copy(FIXTURES / "hostile" / "mathjax.md", folder / "mathjax.md")
    return folder


@pytest.fixture(scope="module")
def site(digests, tmp_path_factory) -> Path:
    site, _ = build_site(digests, tmp_path_factory.mktemp("mathjax-site"))
    return site


@pytest.fixture(scope="module")
def served(site):
    with served_browser(site) as (browser, base):
        yield browser, base


@pytest.mark.parametrize("paper", PAYLOAD_PAPERS)
def test_formulas_typeset_and_nothing_in_them_acts(served, paper):
    browser, base = served
    visit = Visit(browser, base)
    try:
        url = f"{base}papers/{paper}/"
        assert visit.open(url) == "ok"
        assert visit.page.locator("mjx-container").count() >= 5
        assert visit.page.evaluate(FORMULA_CHECK) == []
        assert visit.click_everything() > 0
        assert visit.navigations == [] and visit.page.url == url
        assert visit.dialogs == []
        assert visit.outside == [], "requests to other hosts"
        assert visit.missing == [], "requests that failed"
        assert visit.errors == []
        assert visit.page.evaluate(FORMULA_CHECK) == []
    finally:
        visit.close()


def test_common_macros_autoload_and_render_together(served):
    """\\boldsymbol, \\color and \\cancel (and more) on one page: each loads, none is an error."""
    browser, base = served
    visit = Visit(browser, base)
    try:
        assert visit.open(f"{base}papers/{COMMON_PAPER}/") == "ok"
        assert visit.page.evaluate(FORMULA_ERRORS) == []
        assert visit.missing == []
        loaded = visit.page.evaluate("() => Object.keys(MathJax._.input.tex).sort()")
        for package in ("boldsymbol", "color", "cancel", "bbox", "mhchem", "braket", "enclose", "verb"):
            assert package in loaded, package
        mml = visit.page.evaluate("() => Array.from(document.querySelectorAll('mjx-assistive-mml'), m => m.innerHTML)")
        first = mml[0] + mml[1] + mml[2]  # \\boldsymbol{x}, \\color{red}{x}, \\cancel{x}
        assert 'mathvariant="bold-italic"' in first
        assert 'mathcolor="red"' in first
        assert 'notation="updiagonalstrike"' in first
        # Material's instant navigation announces a new page on document$: typeset again, after MathJax.
        count = visit.page.locator("mjx-container").count()
        visit.page.evaluate("() => { document$.next(document); return MathJax.startup.promise; }")
        assert visit.page.locator("mjx-container").count() == count
        assert visit.page.evaluate(FORMULA_ERRORS) == []
    finally:
        visit.close()


def test_html_and_require_stay_off(served):
    browser, base = served
    visit = Visit(browser, base)
    try:
        assert visit.open(f"{base}papers/{MACRO_PAPER}/") == "ok"
        text = " ".join(visit.page.evaluate(
            "() => Array.from(document.querySelectorAll('mjx-assistive-mml'), m => m.textContent)"))
        for macro in ("\\href", "\\class", "\\require", "\\style"):
            assert macro in text, macro  # left undefined, shown as its name
        converted = visit.page.evaluate("""async () => {
          const out = [];
          for (const tex of ['\\\\require{html}', '\\\\href{https://example.com/}{x}', '\\\\cssId{mjx-a}{x}']) {
            const node = await MathJax.tex2svgPromise(tex);
            out.push([node.querySelector('mjx-assistive-mml').textContent, node.querySelectorAll('a, [id]').length]);
          }
          return out;
        }""")
        # Each macro is undefined: MathJax shows its name, makes no link and no id.
        for (text, _), macro in zip(converted, ("\\require", "\\href", "\\cssId")):
            assert text.startswith(macro), text
        assert [count for _, count in converted] == [0, 0, 0]
        assert "html" not in visit.page.evaluate("() => Object.keys(MathJax._.input.tex)")  # never loaded
        packages = visit.page.evaluate(
            "() => MathJax.startup.document.inputJax.find(jax => jax.name === 'TeX').parseOptions.options.packages")
        assert "html" not in packages and "require" not in packages
        assert visit.missing == [] and visit.outside == []
    finally:
        visit.close()


def test_without_the_safe_extension_nothing_is_typeset(served):
    """Fail closed: if ui/safe.js cannot load, the formulas stay as TeX text."""
    browser, base = served
    visit = Visit(browser, base)
    try:
        visit.page.route("**/ui/safe.js", lambda route: route.abort())
        assert visit.open(f"{base}papers/{MMLTOKEN_PAPER}/").startswith("failed")
        assert visit.page.locator("mjx-container").count() == 0
        assert "\\mmlToken" in visit.page.locator("span.arithmatex").first.inner_text()
        assert visit.dialogs == [] and visit.outside == []
    finally:
        visit.close()


@pytest.mark.parametrize("page_path", [f"papers/{COMMON_PAPER}/index.html", f"papers/{MMLTOKEN_PAPER}/index.html", "index.html",
                                       "days/index.html"])
def test_offline_copy_typesets_from_disk(site, served, page_path):
    """From file://, MathJax finds ui/safe.js and the TeX extensions beside itself at every depth."""
    origin = site.as_uri() + "/"
    visit = Visit(served[0], origin)  # the same Chromium, opening files
    try:
        assert visit.open(origin + page_path) == "ok"
        assert visit.page.evaluate("() => !!(MathJax.startup.document && MathJax.startup.document.safe)")
        if page_path.startswith("papers/"):
            assert visit.page.locator("mjx-container").count() >= 5
            assert visit.page.evaluate(FORMULA_CHECK) == []
        if page_path == f"papers/{COMMON_PAPER}/index.html":
            assert visit.page.evaluate(FORMULA_ERRORS) == []
        visit.click_everything()
        assert visit.navigations == []
        assert visit.dialogs == []
        assert visit.outside == []
        assert visit.missing == []
    finally:
        visit.close()
