"""Every output path, URL and slug of the site.

No other module builds a path or a link: they ask this one. Paths are
relative to the docs folder and use ``/``. Each builder validates its key
(an arXiv id, an ISO date or a taxonomy slug), so text from a digest can
never choose where a file lands.
"""

from __future__ import annotations

import datetime as _dt
import re

PAPERS = "papers"
DAYS = "days"
FIELDS = "fields"
TAGS = "tags"
STATS = "stats"
SEARCH = "search"
HOME = "index.md"
# Folders the generator owns completely: everything in them is generated.
FEEDS_DIR = "feeds"
FEED = "feed.xml"
# The newest papers as data for the reader's own page (我的), a script so it loads from file:// too.
RECENT_PAPERS = f"{FEEDS_DIR}/recent.js"
CARDS = "cards"  # link-preview images (generator/cards.py)
GENERATED_DIRS = (PAPERS, DAYS, FIELDS, TAGS, STATS, SEARCH, FEEDS_DIR, CARDS)
# Generated files outside those folders.
GENERATED_FILES = (HOME, FEED)
# Where the site is published unless SITE_URL says otherwise (mkdocs.yml has the same default).
DEFAULT_SITE_URL = "https://example.github.io/daily-papers/"

# \Z, not $: "$" also matches before a trailing newline.
_ARXIV_ID = re.compile(r"^[0-9]{4}\.[0-9]{4,5}\Z")  # ASCII digits only: "\d" admits full-width ones
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_SLUG_LENGTH = 64


class UnsafePathError(ValueError):
    """A key that must never become part of a path."""


def check_arxiv_id(arxiv_id: str) -> str:
    if not isinstance(arxiv_id, str) or not _ARXIV_ID.match(arxiv_id):
        raise UnsafePathError(f"not an arXiv id: {arxiv_id!r}")
    return arxiv_id


def check_date(date: str) -> str:
    try:
        if _dt.date.fromisoformat(date).isoformat() != date:
            raise ValueError
    except (TypeError, ValueError):
        raise UnsafePathError(f"not an ISO date: {date!r}") from None
    return date


def check_slug(slug: str) -> str:
    if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > MAX_SLUG_LENGTH:
        raise UnsafePathError(f"not a slug (lowercase ASCII words joined by '-', at most {MAX_SLUG_LENGTH}): {slug!r}")
    return slug


def paper_page(arxiv_id: str) -> str:
    return f"{PAPERS}/{check_arxiv_id(arxiv_id)}.md"


def is_paper_page(path: str) -> bool:
    """Whether a docs-relative path is one paper's page (``papers/2601.10103.md``, not the index)."""
    folder, _, name = path.partition("/")
    return folder == PAPERS and "/" not in name and name != section_index(PAPERS).partition("/")[2]


def day_page(date: str) -> str:
    return f"{DAYS}/{check_date(date)}.md"


_MONTH = re.compile(r"^[0-9]{4}-(?:0[1-9]|1[0-2])\Z")


def check_month(month: str) -> str:
    if not isinstance(month, str) or not _MONTH.match(month):
        raise UnsafePathError(f"not a month (YYYY-MM): {month!r}")
    return month


def _month_part(month: str, part: int) -> str:
    """``2026-01`` for a month's first page, ``2026-01-2`` for its second."""
    if not isinstance(part, int) or part < 1:
        raise UnsafePathError(f"not a page number: {part!r}")
    return check_month(month) + (f"-{part}" if part > 1 else "")


def days_month_page(month: str) -> str:
    """A month's days (``days/2026-01.md``; a day is ``days/2026-01-18.md``)."""
    return f"{DAYS}/{check_month(month)}.md"


def field_page(slug: str) -> str:
    return f"{FIELDS}/{check_slug(slug)}.md"


def tag_page(slug: str) -> str:
    return f"{TAGS}/{check_slug(slug)}.md"


def field_month_page(slug: str, month: str, part: int = 1) -> str:
    """One page of a field's papers of one month (``fields/nlp/2026-01.md``, ``fields/nlp/2026-01-2.md``)."""
    return f"{FIELDS}/{check_slug(slug)}/{_month_part(month, part)}.md"


def tag_month_page(slug: str, month: str, part: int = 1) -> str:
    """One page of a tag's papers of one month (``tags/rl/2026-01.md``)."""
    return f"{TAGS}/{check_slug(slug)}/{_month_part(month, part)}.md"


def section_index(section: str) -> str:
    if section not in GENERATED_DIRS:
        raise UnsafePathError(f"not a generated section: {section!r}")
    return f"{section}/index.md"


def is_generated(path: str) -> bool:
    """Whether a docs-relative path is one the generator owns (and may write or remove)."""
    if not isinstance(path, str) or "\\" in path or "\0" in path:
        return False
    if path in GENERATED_FILES:
        return True
    parts = path.split("/")
    return len(parts) > 1 and parts[0] in GENERATED_DIRS and all(part not in ("", ".", "..") for part in parts[1:])


def link(from_page: str, to_page: str, anchor: str = "") -> str:
    """A relative Markdown link from one page to another, as MkDocs resolves it."""
    target = _relative(to_page, from_page.rpartition("/")[0])
    return target + (f"#{anchor}" if anchor else "")


def _relative(to_page: str, from_dir: str) -> str:
    # posixpath.relpath, without its abspath calls: pages are relative paths
    # without "." or ".." parts, and a site has hundreds of thousands of links.
    if not from_dir:
        return to_page
    to_dir, _, name = to_page.rpartition("/")
    if to_dir == from_dir:
        return name
    from_parts = from_dir.split("/")
    to_parts = to_page.split("/")
    common = 0
    while common < min(len(from_parts), len(to_parts) - 1) and from_parts[common] == to_parts[common]:
        common += 1
    return "../" * (len(from_parts) - common) + "/".join(to_parts[common:])


def page_url(page: str) -> str:
    """The permalink path of a page under the site root (``papers/2601.10103/``)."""
    if page == HOME:
        return ""
    stem = page[: -len(".md")]
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def absolute_url(site_url: str, page: str) -> str:
    return site_url.rstrip("/") + "/" + page_url(page)


def paper_anchor(arxiv_id: str) -> str:
    """The id of a paper's card on its day page (``p-2601-10103``)."""
    return "p-" + check_arxiv_id(arxiv_id).replace(".", "-")


def arxiv_abs_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{check_arxiv_id(arxiv_id)}"


def arxiv_pdf_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/pdf/{check_arxiv_id(arxiv_id)}"


def hf_paper_url(arxiv_id: str) -> str:
    return f"https://huggingface.co/papers/{check_arxiv_id(arxiv_id)}"


def month_of(date: str) -> str:
    return check_date(date)[:7]


def field_feed(slug: str) -> str:
    return f"{FEEDS_DIR}/fields/{check_slug(slug)}.xml"


# Link-preview cards (PNG). Pages name theirs in front matter (``image:``); the theme makes it absolute.
def site_card() -> str:
    """The site's card: the home page's, the indexes' and the hand-written pages' (templates/theme/main.html names it too)."""
    return f"{CARDS}/site.png"


def paper_card(arxiv_id: str) -> str:
    return f"{CARDS}/{PAPERS}/{check_arxiv_id(arxiv_id)}.png"


def day_card(date: str) -> str:
    return f"{CARDS}/{DAYS}/{check_date(date)}.png"


def field_card(slug: str) -> str:
    return f"{CARDS}/{FIELDS}/{check_slug(slug)}.png"


def tag_card(slug: str) -> str:
    return f"{CARDS}/{TAGS}/{check_slug(slug)}.png"
