"""Sanitising what digest text becomes in the built site.

Digests are written by a language model from text found on the web, so
every byte is untrusted. Generated pages' HTML (after Markdown) passes an
nh3 allow-list that keeps the markup Markdown and the theme's extensions
produce (headings with permalinks, lists, tables, code, math spans,
details) and drops everything else: scripts, event handlers, iframes,
objects, forms, ``javascript:``/``data:`` URLs and unknown attributes.
Titles and descriptions that templates print are escaped (``escape_meta``).

Two things an allow-list alone does not stop:

* An element whose content the HTML parser reads as raw text (``<textarea>``,
  ``<style>``, ``<xmp>``, ``<plaintext>``...) left unclosed in a digest
  swallows everything after it, so the rest of the page would be dropped with
  it. Markdown and the templates never produce these elements: their tags are
  escaped before parsing and show as text.
* ``id`` and ``class`` values name the theme's own parts: an element with
  ``id="__config"`` before the theme's configuration script would replace the
  configuration Material reads (DOM clobbering), and ``md-*`` classes would
  dress digest text as the theme's header, dialog or search. Ids starting
  with ``__`` (the theme's prefix; a heading slug may too) and ``md-``
  classes are dropped. (``_1`` is the id of a heading without a slug: kept.)
"""

from __future__ import annotations

import re
from urllib.parse import quote

import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li", "mark", "ol", "p", "pre", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    # The static charts of generator/charts.py (digest text never becomes markup: it is escaped first).
    "svg", "rect", "line", "polyline", "text",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href"},
    "ol": {"start", "type"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan"},
    "details": {"open"},
    "svg": {"viewBox", "role", "aria-label"},
    "rect": {"x", "y", "width", "height"},
    "line": {"x1", "y1", "x2", "y2"},
    "polyline": {"points"},
    "text": {"x", "y", "text-anchor"},
}
URL_SCHEMES = {"http", "https", "mailto"}
REMOVED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea", "select"}
# Elements that swallow what follows them when left unclosed: raw text and
# RCDATA elements, <plaintext> (to the end of the document), <select> (drops
# the tags inside), <template> and <object> (their content is removed with them).
SWALLOWING_TAGS = (
    "script", "style", "iframe", "noembed", "noframes", "noscript", "textarea", "title", "xmp", "plaintext",
    "template", "select", "object",
)
_SWALLOWING_TAG = re.compile(r"<(/?)(" + "|".join(SWALLOWING_TAGS) + r")(?=[\s/>]|$)", re.IGNORECASE)
# Material's element ids all start with "__" (__config, __drawer, __search, __palette_0...).
RESERVED_ID = re.compile(r"^__")
RESERVED_CLASS = re.compile(r"^md-")


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return None if RESERVED_ID.match(value.strip()) else value
    if attribute == "class":
        kept = [name for name in value.split() if not RESERVED_CLASS.match(name)]
        return " ".join(kept) or None
    return value


def escape_swallowing_tags(html: str) -> str:
    """``<textarea>`` as the text ``&lt;textarea>``: shown, never parsed as an element."""
    return _SWALLOWING_TAG.sub(lambda match: "&lt;" + match.group(1) + match.group(2), html)


def sanitize_html(html: str) -> str:
    return nh3.clean(
        escape_swallowing_tags(html),
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
        attribute_filter=_attribute_filter,
    )


# What a link target may keep as it is inside Markdown's ``[text](target)``:
# RFC 3986's characters less the parentheses, which would end the target.
_LINK_TARGET_SAFE = "-._~:/?#[]@!$&'*+,;=%"


def link_target(url: str) -> str:
    """A URL as a Markdown link target: everything that could end it or start markup percent-encoded."""
    return quote(url, safe=_LINK_TARGET_SAFE)


def escape_meta(value):
    """A front matter string as Markup: templates print it escaped, `|e` leaves it alone."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return escape(value)
    return value
