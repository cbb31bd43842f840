"""Rendering: the archive model in, ``{docs-relative path: page text}`` out.

Pure: nothing here touches the disk except loading the Jinja2 templates.
Each page kind has one template in ``templates/pages``; front matter is
dumped by python-frontmatter (YAML), never assembled by hand.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import jinja2

from . import paths
from .archive import Archive, Entry
from .markdown import for_python_markdown, inline_text, plain_text
from .model import PART_KEYS, PART_TITLES

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "pages"
DESCRIPTION_LIMIT = 180
PAPERS_INDEX_SIZE = 50
RELATED_TERMS = 12
# Papers are found through the prebuilt paper index (generator/search.py);
# keeping them out of the theme's own index also saves its jieba pass.
EXCLUDED_FROM_THEME_SEARCH = {"exclude": True}


@dataclass(frozen=True)
class SiteOptions:
    site_name: str = "Daily Papers 中文精读"


class Linker:
    """Relative links from one page, for templates."""

    def __init__(self, page: str):
        self.page = page

    def to(self, target: str, anchor: str = "") -> str:
        return paths.link(self.page, target, anchor)

    def paper(self, arxiv_id: str) -> str:
        return self.to(paths.paper_page(arxiv_id))

    def day(self, date: str) -> str:
        return self.to(paths.day_page(date))

    def field(self, slug: str) -> str:
        return self.to(paths.field_page(slug))

    def tag(self, slug: str) -> str:
        return self.to(paths.tag_page(slug))

    def index(self, section: str) -> str:
        return self.to(paths.section_index(section))

    def home(self) -> str:
        return self.to(paths.HOME)


def make_environment(template_dir: Path = TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=False,  # the output is Markdown; text is escaped with the `md` filter
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = inline_text
    env.filters["body"] = for_python_markdown
    env.filters["plain"] = plain_text
    return env


def describe(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """Plain text cut at a sentence or word boundary near ``limit`` characters."""
    text = plain_text(text)
    if len(text) <= limit:
        return text
    window = text[:limit]
    for marks in ("。！？.!?", "；;，,、 "):
        cut = max(window.rfind(mark) for mark in marks)
        if cut >= limit * 0.6:
            return window[: cut + 1].rstrip("，,、 ；;") + "…"
    return window + "…"


def with_front_matter(meta: dict, content: str) -> str:
    post = frontmatter.Post(content, **meta)
    return frontmatter.dumps(post, sort_keys=False, width=1000) + "\n"


class Renderer:
    def __init__(self, archive: Archive, options: SiteOptions = SiteOptions(), env: jinja2.Environment | None = None):
        self.archive = archive
        self.options = options
        self.env = env or make_environment()
        self.taxonomy = archive.taxonomy

    # -- helpers shared by templates ------------------------------------------------

    def _context(self, page: str, **values) -> dict:
        return {
            "link": Linker(page),
            "archive": self.archive,
            "entries": self.archive.entries,
            "taxonomy": self.taxonomy,
            "part_keys": PART_KEYS,
            "part_titles": PART_TITLES,
            "site": self.options,
            **values,
        }

    def _page(self, template: str, page: str, meta: dict, **values) -> tuple[str, str]:
        content = self.env.get_template(template).render(self._context(page, **values))
        return page, with_front_matter(meta, content)

    def tag_names(self, entry: Entry) -> list[str]:
        return [self.taxonomy.tag(slug).zh for slug in entry.tags]

    def field_names(self, entry: Entry) -> list[str]:
        return [self.taxonomy.field(slug).zh for slug in entry.fields]

    # -- pages ----------------------------------------------------------------------

    def render_all(self) -> dict[str, str]:
        pages: dict[str, str] = {}
        days = self.archive.days
        for entry in self.archive.entries.values():
            pages.update([self.paper(entry)])
        for index, day in enumerate(days):
            previous = days[index - 1].date if index > 0 else None
            following = days[index + 1].date if index + 1 < len(days) else None
            pages.update([self.day(day, previous, following)])
        for field in self.taxonomy.fields:
            if field.slug in self.archive.papers_by_field:
                pages.update([self.field(field)])
        for tag in self.taxonomy.tags:
            if tag.slug in self.archive.papers_by_tag:
                pages.update([self.tag(tag)])
        pages.update([self.days_index(), self.fields_index(), self.tags_index(), self.papers_index(), self.home()])
        return dict(sorted(pages.items()))

    def paper(self, entry: Entry) -> tuple[str, str]:
        latest = entry.latest
        newest_day = self.archive.day(entry.last_date)
        position = newest_day.paper_ids.index(entry.arxiv_id)
        previous = newest_day.paper_ids[position - 1] if position > 0 else None
        following = newest_day.paper_ids[position + 1] if position + 1 < len(newest_day.paper_ids) else None
        meta = {
            "title": latest.title,
            "description": describe(latest.contribution or latest.title),
            "date": entry.first_date,
            "tags": self.tag_names(entry),
            "arxiv_id": entry.arxiv_id,
            "fields": self.field_names(entry),
            "search": EXCLUDED_FROM_THEME_SEARCH,
        }
        return self._page(
            "paper.md.j2",
            paths.paper_page(entry.arxiv_id),
            meta,
            entry=entry,
            paper=latest,
            previous=self.archive.entries[previous] if previous else None,
            following=self.archive.entries[following] if following else None,
            hf_url=paths.hf_paper_url(entry.arxiv_id),
            abs_url=paths.arxiv_abs_url(entry.arxiv_id),
            pdf_url=paths.arxiv_pdf_url(entry.arxiv_id),
        )

    def day(self, day, previous: str | None, following: str | None) -> tuple[str, str]:
        meta = {
            "title": f"{day.date} 每日论文",
            "description": f"{day.date} Hugging Face 每日论文中文精读，共 {len(day.paper_ids)} 篇。",
            "date": day.date,
            "search": EXCLUDED_FROM_THEME_SEARCH,
        }
        items = [self.archive.entries[i] for i in day.paper_ids]
        return self._page("day.md.j2", paths.day_page(day.date), meta, day=day, items=items, previous=previous, following=following)

    def _grouped_by_day(self, ids: tuple[str, ...]) -> list[tuple[str, list[Entry]]]:
        groups: dict[str, list[Entry]] = {}
        for arxiv_id in ids:
            entry = self.archive.entries[arxiv_id]
            groups.setdefault(entry.last_date, []).append(entry)
        return list(groups.items())

    def field(self, field) -> tuple[str, str]:
        ids = self.archive.papers_by_field[field.slug]
        tag_counts = Counter(slug for i in ids for slug in self.archive.entries[i].tags)
        related = [(self.taxonomy.tag(slug), count) for slug, count in sorted(tag_counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        meta = {
            "title": f"{field.zh}（{field.en}）",
            "description": f"{field.zh}（{field.en}）领域的每日论文中文精读，共 {len(ids)} 篇。",
            "search": EXCLUDED_FROM_THEME_SEARCH,
        }
        return self._page(
            "field.md.j2", paths.field_page(field.slug), meta, term=field, count=len(ids),
            groups=self._grouped_by_day(ids), related_tags=related[:RELATED_TERMS],
        )

    def tag(self, tag) -> tuple[str, str]:
        ids = self.archive.papers_by_tag[tag.slug]
        field_counts = Counter(slug for i in ids for slug in self.archive.entries[i].fields)
        tag_counts = Counter(slug for i in ids for slug in self.archive.entries[i].tags if slug != tag.slug)
        meta = {
            "title": f"{tag.zh}（{tag.en}）",
            "description": f"标签“{tag.zh}（{tag.en}）”下的每日论文中文精读，共 {len(ids)} 篇。",
            "search": EXCLUDED_FROM_THEME_SEARCH,
        }
        return self._page(
            "tag.md.j2", paths.tag_page(tag.slug), meta, term=tag, count=len(ids),
            groups=self._grouped_by_day(ids),
            related_fields=[(self.taxonomy.field(s), c) for s, c in sorted(field_counts.items(), key=lambda kv: (-kv[1], kv[0]))],
            related_tags=[(self.taxonomy.tag(s), c) for s, c in sorted(tag_counts.items(), key=lambda kv: (-kv[1], kv[0]))][:RELATED_TERMS],
        )

    def days_index(self) -> tuple[str, str]:
        months: dict[str, list] = {}
        for day in reversed(self.archive.days):
            months.setdefault(paths.month_of(day.date), []).append(day)
        meta = {"title": "每日归档", "description": f"按月浏览全部 {len(self.archive.days)} 天的每日论文中文精读。"}
        return self._page("days_index.md.j2", paths.section_index(paths.DAYS), meta, months=list(months.items()))

    def fields_index(self) -> tuple[str, str]:
        fields = [(f, len(self.archive.papers_by_field[f.slug])) for f in self.taxonomy.fields if f.slug in self.archive.papers_by_field]
        meta = {"title": "研究领域", "description": f"全部 {len(fields)} 个研究领域及其论文数。"}
        return self._page("fields_index.md.j2", paths.section_index(paths.FIELDS), meta, fields=fields)

    def tags_index(self) -> tuple[str, str]:
        groups: dict[str, list] = {}
        for tag in self.taxonomy.tags:
            if tag.slug in self.archive.papers_by_tag:
                groups.setdefault(tag.field, []).append((tag, len(self.archive.papers_by_tag[tag.slug])))
        ordered = [(self.taxonomy.field(f.slug), groups[f.slug]) for f in self.taxonomy.fields if f.slug in groups]
        if "" in groups:
            ordered.append((None, groups[""]))
        total = sum(len(tags) for _, tags in ordered)
        meta = {"title": "标签", "description": f"全部 {total} 个标签，按研究领域分组。"}
        return self._page("tags_index.md.j2", paths.section_index(paths.TAGS), meta, groups=ordered)

    def papers_index(self) -> tuple[str, str]:
        newest = [self.archive.entries[i] for i in self.archive.ids_newest_first()[:PAPERS_INDEX_SIZE]]
        meta = {"title": "论文", "description": f"最新的 {len(newest)} 篇论文；全部 {len(self.archive.entries)} 篇按日期见每日归档。"}
        return self._page("papers_index.md.j2", paths.section_index(paths.PAPERS), meta, items=newest)

    def home(self) -> tuple[str, str]:
        newest = self.archive.newest_day
        items = [self.archive.entries[i] for i in newest.paper_ids] if newest else []
        meta = {
            "title": self.options.site_name,
            "description": f"Hugging Face 每日论文的中文精读归档：{len(self.archive.entries)} 篇论文，{len(self.archive.days)} 天。",
        }
        return self._page("home.md.j2", paths.HOME, meta, newest=newest, items=items)
