"""RSS 2.0 feeds: the newest papers of the archive, and the newest of each field; and
``feeds/recent.js``, the newest papers as data for the reader's own page (我的).

Pure: the archive and the site's absolute URL in, XML text out. The XML is
built with ElementTree, so every title and description is escaped; what XML
forbids even escaped is replaced, and runaway text is shortened. ``recent.js``
is JSON assigned to a global (a script loads from ``file://`` where a fetch
cannot), its titles shortened like feed items.
"""

from __future__ import annotations

import datetime as _dt
import json
import xml.etree.ElementTree as ET
from email.utils import format_datetime

from . import paths
from .archive import Archive, Entry
from .markdown import plain_text
from .text import ITEM_LIMIT, shorten, xml_text

FEED_SIZE = 200
# feeds/recent.js: the papers of the newest RECENT_DAYS days of the archive (at most RECENT_LIMIT).
RECENT = paths.RECENT_PAPERS
RECENT_DAYS = 30
RECENT_LIMIT = 3000


def _rfc822(date: str) -> str:
    day = _dt.date.fromisoformat(date)
    return format_datetime(_dt.datetime(day.year, day.month, day.day, tzinfo=_dt.timezone.utc))


def render_feed(archive: Archive, site_url: str, ids: list[str], title: str, page: str, description: str) -> str:
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = xml_text(title)
    ET.SubElement(channel, "link").text = paths.absolute_url(site_url, page)
    ET.SubElement(channel, "description").text = description
    ET.SubElement(channel, "language").text = "zh-CN"
    entries = [archive.entries[i] for i in ids[:FEED_SIZE]]
    if entries:
        ET.SubElement(channel, "lastBuildDate").text = _rfc822(entries[0].last_date)
    for entry in entries:
        channel.append(_item(archive, site_url, entry))
    ET.indent(rss)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="unicode") + "\n"


def _item(archive: Archive, site_url: str, entry: Entry) -> ET.Element:
    paper = entry.main
    permalink = paths.absolute_url(site_url, paths.paper_page(entry.arxiv_id))
    item = ET.Element("item")
    ET.SubElement(item, "title").text = xml_text(shorten(paper.title, ITEM_LIMIT))
    ET.SubElement(item, "link").text = permalink
    ET.SubElement(item, "guid", {"isPermaLink": "true"}).text = permalink
    ET.SubElement(item, "description").text = xml_text(shorten(plain_text(paper.contribution), ITEM_LIMIT))
    ET.SubElement(item, "pubDate").text = _rfc822(entry.last_date)
    for slug in entry.fields:
        ET.SubElement(item, "category").text = archive.taxonomy.field(slug).zh
    for slug in entry.tags:
        ET.SubElement(item, "category").text = archive.taxonomy.tag(slug).zh
    return item


def render_recent(archive: Archive) -> str:
    """The newest papers for docs/assets/javascripts/personal.js, as ``self.__recentPapers={...};``.

    ``fields`` and ``tags`` list the taxonomy's ``[slug, name]`` pairs; a paper is
    ``[arXiv id, date it last appeared, title, [field numbers], [tag numbers]]``, newest
    first. The window is counted back from the archive's newest day, not from today.
    """
    taxonomy = archive.taxonomy
    field_number = {field.slug: n for n, field in enumerate(taxonomy.fields)}
    tag_number = {tag.slug: n for n, tag in enumerate(taxonomy.tags)}
    papers = []
    newest = archive.newest_day.date if archive.newest_day else ""
    if newest:
        oldest = (_dt.date.fromisoformat(newest) - _dt.timedelta(days=RECENT_DAYS - 1)).isoformat()
        for arxiv_id in archive.ids_newest_first():
            entry = archive.entries[arxiv_id]
            if entry.last_date < oldest or len(papers) >= RECENT_LIMIT:
                break
            papers.append([
                paths.check_arxiv_id(arxiv_id), entry.last_date, shorten(entry.main.title, ITEM_LIMIT),
                [field_number[s] for s in entry.fields if s in field_number],
                [tag_number[s] for s in entry.tags if s in tag_number],
            ])
    data = {
        "version": 1, "newest": newest, "days": RECENT_DAYS,
        "fields": [[field.slug, field.zh] for field in taxonomy.fields],
        "tags": [[tag.slug, tag.zh] for tag in taxonomy.tags],
        "papers": papers,
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Line and paragraph separators are valid in JSON strings, and in scripts only since ES2019.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return "self.__recentPapers=" + text + ";\n"


def render_feeds(archive: Archive, site_url: str, site_name: str) -> dict[str, str]:
    """Every feed, as ``{site-relative path: text}``: the RSS feeds and ``feeds/recent.js``."""
    feeds = {
        RECENT: render_recent(archive),
        paths.FEED: render_feed(
            archive, site_url, archive.ids_newest_first(), site_name, paths.HOME, "Hugging Face 每日论文中文精读：最新论文"
        )
    }
    for field in archive.taxonomy.fields:
        ids = archive.papers_by_field.get(field.slug)
        if ids:
            feeds[paths.field_feed(field.slug)] = render_feed(
                archive, site_url, list(ids), f"{site_name} · {field.zh}", paths.field_page(field.slug),
                f"{field.zh}（{field.en}）领域的最新论文",
            )
    return feeds
