"""Reading built HTML pages for the site checks: elements, scripts, ids, links, and text.

Python's ``html.parser`` (no dependency): it reads tags and attributes as a browser's
tokenizer does (entities decoded, any case), which is what the checks look at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
# Attributes that hold a URL a browser may load or follow.
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "data", "background", "cite",
    "manifest", "ping", "codebase", "longdesc", "usemap", "icon", "archive", "lowsrc", "dynsrc", "profile",
}
_LIVE_SCHEME = re.compile(r"^(?:javascript|vbscript|data|livescript|mocha):")


@dataclass
class Element:
    tag: str
    attrs: list[tuple[str, str]]
    line: int
    in_article: bool  # inside the page body (<article class="md-content__inner">)

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.attrs if key == name), None)


@dataclass
class Page:
    path: Path
    elements: list[Element] = field(default_factory=list)
    scripts: list[tuple[Element, str]] = field(default_factory=list)  # (element, inline text)
    h1: list[str] = field(default_factory=list)  # text of each <h1> in the body, without its permalink
    title: str = ""

    @property
    def ids(self) -> set[str]:
        found = {e.get("id") for e in self.elements} | {e.get("name") for e in self.elements if e.tag == "a"}
        return {i for i in found if i}


class _Reader(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[Element] = []
        self.script: Element | None = None
        self.script_text: list[str] = []
        self.h1: list[str] | None = None
        self.skip_depth = 0  # inside an <a class="headerlink"> of a heading
        self.in_title = False

    def _in_article(self) -> bool:
        return any(e.tag == "article" for e in self.stack)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, [(k, v or "") for k, v in attrs], self.getpos()[0], self._in_article())
        self.page.elements.append(element)
        if tag == "script":
            self.script, self.script_text = element, []
        if tag == "title":
            self.in_title = True
        if tag == "h1" and element.in_article:
            self.h1 = []
        if self.h1 is not None and tag == "a" and "headerlink" in (element.get("class") or "").split():
            self.skip_depth += 1
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "script" and self.script is not None:
            self.page.scripts.append((self.script, "".join(self.script_text)))
            self.script = None
        if tag == "title":
            self.in_title = False
        if tag == "a" and self.skip_depth:
            self.skip_depth -= 1
        if tag == "h1" and self.h1 is not None:
            self.page.h1.append("".join(self.h1))
            self.h1 = None
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if self.script is not None:
            self.script_text.append(data)
        if self.in_title:
            self.page.title += data
        if self.h1 is not None and not self.skip_depth:
            self.h1.append(data)


def read_page(path: Path) -> Page:
    page = Page(path)
    reader = _Reader(page)
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return page


def normalise_url(value: str) -> str:
    """A URL as a browser reads its scheme: control characters and spaces removed, lower case."""
    return re.sub(r"[\x00-\x20\x7f]", "", value).lower()


def is_live_url(value: str) -> bool:
    return bool(_LIVE_SCHEME.match(normalise_url(value)))


def srcset_urls(value: str) -> list[str]:
    return [candidate.strip().split(" ")[0] for candidate in value.split(",") if candidate.strip()]
