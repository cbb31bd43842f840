"""Sanitising what digest text becomes in the built site.

Digests are written by a language model from text found on the web, so
every byte is untrusted. Generated pages' HTML (after Markdown) passes an
nh3 allow-list that keeps the markup Markdown and the theme's extensions
produce (headings with permalinks, lists, tables, code, math spans,
details) and drops everything else: scripts, event handlers, iframes,
objects, forms, ``javascript:``/``data:`` URLs and unknown attributes.
Titles and descriptions that templates print are escaped (``escape_meta``).
"""

from __future__ import annotations

import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li", "mark", "ol", "p", "pre", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href"},
    "ol": {"start", "type"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan"},
    "details": {"open"},
}
URL_SCHEMES = {"http", "https", "mailto"}
REMOVED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea", "select"}


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
    )


def escape_meta(value):
    """A front matter string as Markup: templates print it escaped, `|e` leaves it alone."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return escape(value)
    return value
