"""Checks of the built sample site: internal links and anchors, the Nu HTML Checker, axe-core.

The checkers are installed by the project itself: `make npm-tools` puts vnu-jar and axe-core
(pinned in package.json) into node_modules, the Nu checker runs on Debian's Java. Messages the
Material theme causes on its own are listed, with the reason for each, in
tests/site_checks/vnu-baseline.txt and tests/site_checks/axe-baseline.json.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from site_build import build_site, served_browser
from site_checks.html_scan import read_page, srcset_urls

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIGESTS = Path(__file__).resolve().parent / "fixtures" / "samples"
CHECKS = Path(__file__).resolve().parent / "site_checks"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
GRASP = "2601.04211"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    built, warnings = build_site(SAMPLE_DIGESTS, tmp_path_factory.mktemp("checks"))
    assert warnings == []
    return built


@pytest.fixture(scope="module")
def pages(site):
    return {path.relative_to(site).as_posix(): read_page(path) for path in sorted(site.rglob("*.html"))}


# -- internal links and anchors -------------------------------------------------------------


def _target(site: Path, page: str, url: str) -> tuple[str | None, str]:
    """The site-relative file a local URL of ``page`` opens (None when missing), and its anchor."""
    resolved = urljoin("/" + page, url)
    parts = urlsplit(resolved)
    path = unquote(parts.path).lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    elif (site / path).is_dir():
        path += "/index.html"
    path = posixpath.normpath(path)
    return (path if (site / path).is_file() else None), unquote(parts.fragment)


def broken_links(site: Path, pages: dict) -> list[str]:
    broken = []
    for name, page in pages.items():
        if name == "404.html":
            continue  # its links are absolute under the published site's path
        for element in page.elements:
            for key, value in element.attrs:
                if key not in ("href", "src", "srcset") or element.tag == "base":
                    continue
                for url in srcset_urls(value) if key == "srcset" else [value]:
                    if not url or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", url):
                        continue  # external (https:, mailto:...) or protocol-relative
                    target, anchor = _target(site, name, url)
                    where = f"{name}:{element.line}: <{element.tag} {key}={url!r}>"
                    if target is None:
                        broken.append(f"{where}: no such file")
                    elif anchor and target.endswith(".html") and anchor not in pages[target].ids:
                        broken.append(f"{where}: no id {anchor!r} in {target}")
    return broken


def test_no_broken_internal_links_or_anchors(site, pages):
    assert len(pages) > 20
    assert broken_links(site, pages) == []


def test_link_checker_finds_a_broken_link_and_anchor(tmp_path):
    """The checker itself, on a tiny site."""
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<p id="top"><a href="a/">ok</a> <a href="a/#x">ok</a> <a href="#top">ok</a> <a href="b/">no</a> '
        '<a href="a/#y">no</a> <a href="https://example.org/#z">external</a> <img src="missing.png"></p>'
    )
    (tmp_path / "a" / "index.html").write_text('<h2 id="x">x</h2>')
    pages = {p.relative_to(tmp_path).as_posix(): read_page(p) for p in tmp_path.rglob("*.html")}
    assert [b.split(": <")[1] for b in broken_links(tmp_path, pages)] == [
        "a href='b/'>: no such file",
        "a href='a/#y'>: no id 'y' in a/index.html",
        "img src='missing.png'>: no such file",
    ]


# -- Nu HTML Checker --------------------------------------------------------------------------


def _vnu_baseline() -> list[tuple[re.Pattern, re.Pattern, str]]:
    entries, comment = [], []
    for line in (CHECKS / "vnu-baseline.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            comment.append(line)
        elif line.strip():
            message, extract = line.split(" @@ ")
            assert comment, f"baseline entry without a comment saying why: {line}"
            entries.append((re.compile(message), re.compile(extract), " ".join(comment)))
            comment = []
        else:
            comment = []  # a comment belongs to the entry right below it
    return entries


def test_no_html_errors_beyond_the_theme_baseline(site):
    java = shutil.which("java")
    if java is None:
        pytest.skip("no Java: install Debian's default-jre-headless (.ci/run does) to run the Nu HTML Checker")
    if not VNU_JAR.is_file():
        pytest.skip("node_modules/vnu-jar is missing: run `make npm-tools` (needs npm)")
    files = sorted(str(p) for p in site.rglob("*.html"))
    done = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stderr)["messages"]
    assert all(m["type"] in ("error", "non-document-error", "info") for m in messages)
    baseline = _vnu_baseline()
    assert len(baseline) <= 5, "the baseline must stay short"
    errors = [m for m in messages if m["type"] != "info"]
    left = [
        f"{m.get('url', '').split('/site/')[-1]}:{m.get('lastLine')}: {m['message']} | {m.get('extract', '').strip()[:120]}"
        for m in errors
        if not any(message.search(m["message"]) and extract.search(m.get("extract", "")) for message, extract, _ in baseline)
    ]
    assert left == []
    used = {index for m in errors for index, (message, extract, _) in enumerate(baseline)
            if message.search(m["message"]) and extract.search(m.get("extract", ""))}
    assert used == set(range(len(baseline))), "a baseline entry no longer matches anything: remove it"


# -- axe-core ------------------------------------------------------------------------------------


def _axe_baseline() -> list[dict]:
    entries = json.loads((CHECKS / "axe-baseline.json").read_text(encoding="utf-8"))["baseline"]
    assert all(entry.get("why") for entry in entries) and len(entries) <= 5
    return entries


@pytest.fixture(scope="module")
def axe_browser(site):
    if not AXE.is_file():
        pytest.skip("node_modules/axe-core is missing: run `make npm-tools` (needs npm)")
    with served_browser(site) as served:
        yield served


def _first(site: Path, section: str) -> str:
    return sorted(p.name for p in (site / section).iterdir() if p.is_dir())[0]


AXE_PAGES = {
    "home": lambda site: "",
    "paper": lambda site: f"papers/{GRASP}/",
    "day": lambda site: f"days/{_first(site, 'days')}/",
    "field": lambda site: f"fields/{_first(site, 'fields')}/",
    "tag": lambda site: f"tags/{_first(site, 'tags')}/",
}


@pytest.fixture(scope="module")
def axe_results(site, axe_browser) -> dict[str, list[dict]]:
    browser, base = axe_browser
    results = {}
    for kind, page_path in AXE_PAGES.items():
        page = browser.new_page()
        try:
            page.goto(base + page_path(site))
            page.add_script_tag(path=str(AXE))
            found = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
            results[kind] = [v for v in found["violations"] if v["impact"] in ("serious", "critical")]
        finally:
            page.close()
    return results


@pytest.mark.parametrize("kind", list(AXE_PAGES))
def test_no_serious_accessibility_violations_beyond_the_theme_baseline(axe_results, kind):
    baseline = _axe_baseline()
    left = []
    for violation in axe_results[kind]:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            if not any(entry["id"] == violation["id"] and re.search(entry["target"], target) for entry in baseline):
                left.append(f"{violation['id']} ({violation['impact']}): {target}: {violation['help']}")
    assert left == []
