"""One-line text as listings, descriptions and feeds show it.

A digest line can be megabytes long; listings, meta descriptions and feed
items carry a bounded prefix of it, cut at a sentence or word boundary.
Feed XML must not contain what XML 1.0 forbids, whatever the parser let through.
"""

from __future__ import annotations

import re

# A listing item's title or contribution, and a feed item's: real ones are
# under 150 characters, so only runaway text is cut.
ITEM_LIMIT = 300

# Characters XML 1.0 does not allow in a document, even escaped.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def shorten(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else a prefix cut at a sentence or word boundary, with "…"."""
    if len(text) <= limit:
        return text
    window = text[:limit]
    for marks in ("。！？.!?", "；;，,、 "):
        cut = max(window.rfind(mark) for mark in marks)
        if cut >= limit * 0.6:
            return window[: cut + 1].rstrip("，,、 ；;") + "…"
    return window + "…"


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (each becomes U+FFFD)."""
    return _XML_FORBIDDEN.sub("\ufffd", text)
