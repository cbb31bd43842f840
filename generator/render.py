"""Rendering: the archive and its links in, ``{docs-relative path: page text}`` out.

Pure: the same archive gives the same pages, and nothing here reads or
writes a file but the Jinja2 templates it loads. Every page is rendered on
every build; ``store.write_pages`` then writes only those whose bytes
changed, so what a page shows needs no list of its inputs. Each page kind
has one template in ``templates/pages`` (repeated pieces, such as a paper's
listing item, are macros in ``_macros.md.j2``); front matter is written with
python-frontmatter.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import frontmatter
import jinja2
import yaml

from . import cards, charts, paths
from .archive import Archive, Entry
from .links import SiteLinks
from .markdown import for_python_markdown, inline_text, link_names, plain_text
from .model import PART_KEYS, PART_TITLES
from .sanitize import link_target
from .text import shorten

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "pages"
DESCRIPTION_LIMIT = 180
PAPERS_INDEX_SIZE = 50
RELATED_TERMS = 12
# A paper page lists at most this many of the papers that name it (newest first),
# so its size stays bounded however often it is cited.
MENTIONED_BY_SHOWN = 20
# Listings stay bounded however old the archive is: a field or tag page shows
# the papers of its newest months (at most RECENT_LIMIT, with their
# contributions) and links to one page per month, a month cut into pages of at
# most MONTH_PAGE_SIZE papers (filled oldest first, so a page of a past month
# never changes), a line each: a paper is on a month page of each of its fields
# and tags, so what it costs there is multiplied (README, "Site size").
RECENT_MONTHS = 2
RECENT_LIMIT = 100
MONTH_PAGE_SIZE = 200
CARD_TAGS = 3  # tags a paper's card on its day page shows (its page shows them all)
DAYS_INDEX_MONTHS = 2  # months whose days the days index lists; older ones are a link each
STATS_DAYS = 180  # the trends page charts the newest days and weeks only
STATS_WEEKS = 104
# Papers are found through the prebuilt paper index (search_index.py), which the search worker
# reads instead of the theme's index: every page stays out of the theme's index, which the theme
# fetches on a page's first search (it held 133 kB of index pages' text at two years).
EXCLUDED_FROM_THEME_SEARCH = {"exclude": True}
# The reading sources an older summary's heading names (digest text never goes into that heading).
SOURCE_LABELS = {"html": "HTML", "pdf": "PDF", "arxiv abs": "ArXiv Abs"}


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

    def feed(self, slug: str) -> str:
        return self.to(paths.field_feed(slug))


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
    env.filters["plain"] = plain_text
    env.filters["link_target"] = link_target
    return env


def _indent(text: str, width: int) -> str:
    """Jinja's ``indent(width, first=True)``, line breaks and all: the first line and every non-empty one indented."""
    pad = " " * width
    first, *rest = (text + "\n").splitlines()
    return pad + first + ("\n" + "\n".join(pad + line if line else line for line in rest) if rest else "")


def describe(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """Plain text cut at a sentence or word boundary near ``limit`` characters."""
    return shorten(plain_text(text), limit)


# libyaml's emitter escapes line-break characters such as U+0085 that the pure
# Python one writes raw (and that YAML then reads back as spaces).
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


_YAML_OPTIONS = {"allow_unicode": True, "width": 1000}


class _FrontMatterYAML(frontmatter.YAMLHandler):
    """python-frontmatter's YAML handler, exporting with ``dump_yaml`` (the same text as its own, cheaper)."""

    def export(self, metadata: dict, **kwargs) -> str:
        return dump_yaml(metadata).rstrip("\n")


_FRONT_MATTER = _FrontMatterYAML()


def with_front_matter(meta: dict, content: str) -> str:
    """YAML front matter (dumped by PyYAML, so any title stays the string it was) and the page."""
    return frontmatter.dumps(frontmatter.Post(content, **meta), handler=_FRONT_MATTER) + "\n"


def dump_yaml(meta: dict) -> str:
    """``yaml.dump(meta, sort_keys=False, default_flow_style=False)`` with our options, at a third of its cost.

    Front matter holds strings, booleans, lists and mappings only. PyYAML's
    representer, which finds that out again for every value in Python,
    costs more than the rest of a paper page; here the values become
    PyYAML's events directly, tagged by PyYAML's own resolver, and its
    emitter (libyaml's, when PyYAML has it) writes them.
    tests/test_properties.py checks the text is ``yaml.dump``'s.
    """
    events = [yaml.StreamStartEvent(), yaml.DocumentStartEvent(explicit=False)]
    if not _add_events(meta, events, set()):
        return yaml.dump(meta, Dumper=_YAML_DUMPER, sort_keys=False, default_flow_style=False, **_YAML_OPTIONS)
    events += [yaml.DocumentEndEvent(explicit=False), yaml.StreamEndEvent()]
    return yaml.emit(events, Dumper=_YAML_DUMPER, **_YAML_OPTIONS)


_RESOLVER = yaml.resolver.Resolver()  # the resolver of PyYAML's safe dumpers
_TAG = "tag:yaml.org,2002:"


def _add_events(value, events: list, containers: set) -> bool:
    """Append the events of ``value`` as PyYAML's serializer makes them; False for what only ``yaml.dump`` writes.

    That is any other type, and a list or mapping met twice (``yaml.dump``
    writes an anchor and an alias).
    """
    if isinstance(value, str):
        events.append(_short_string_event(value) if len(value) <= SHORT_STRING else _string_event(value))
    elif isinstance(value, bool):
        events.append(yaml.ScalarEvent(None, _TAG + "bool", (True, False), "true" if value else "false"))
    elif type(value) in (list, dict):
        if id(value) in containers:
            return False
        containers.add(id(value))
        if isinstance(value, list):
            events.append(yaml.SequenceStartEvent(None, _TAG + "seq", True, flow_style=False))
            if not all(_add_events(item, events, containers) for item in value):
                return False
            events.append(yaml.SequenceEndEvent())
        else:
            events.append(yaml.MappingStartEvent(None, _TAG + "map", True, flow_style=False))
            for key, item in value.items():
                if not (_add_events(key, events, containers) and _add_events(item, events, containers)):
                    return False
            events.append(yaml.MappingEndEvent())
    else:
        return False
    return True


def _string_event(value: str) -> yaml.ScalarEvent:
    plain = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _TAG + "str"
    return yaml.ScalarEvent(None, _TAG + "str", (plain, True), value)


# Keys, tag and field names and dates repeat from page to page: their events
# are made once (the emitter only reads an event).
SHORT_STRING = 40
_short_string_event = lru_cache(maxsize=4096)(_string_event)


class Renderer:
    def __init__(
        self,
        archive: Archive,
        links: SiteLinks | None = None,
        options: SiteOptions = SiteOptions(),
        env: jinja2.Environment | None = None,
    ):
        self.archive = archive
        self.links = links or SiteLinks.empty()
        self.options = options
        self.env = env or make_environment()
        self.taxonomy = archive.taxonomy
        self._cooccurrence: dict | None = None
        self._terms: dict[tuple, str] = {}

    # -- helpers shared by templates ------------------------------------------------

    def _context(self, page: str, **values) -> dict:
        return {
            "link": Linker(page),
            "terms": lambda kind, slugs: self.terms(kind, slugs, page),
            "link_month": paths.days_month_page,
            "anchor": paths.paper_anchor,
            "abs_url": paths.arxiv_abs_url,
            "pdf_url": paths.arxiv_pdf_url,
            "hf_url": paths.hf_paper_url,
            "card_tags": CARD_TAGS,
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
        return page, with_front_matter({**meta, "search": EXCLUDED_FROM_THEME_SEARCH}, content)

    def _cooccurring(self) -> dict[tuple[str, str, str], Counter]:
        """How often each field and tag goes with each field and tag, counted in one pass over the papers."""
        if self._cooccurrence is None:
            # Listed first, counted after: Counter counts a list in C.
            together: dict[tuple[str, str, str], list[str]] = defaultdict(list)
            for entry in self.archive.entries.values():
                for tag in entry.tags:
                    together[("tag", tag, "fields")].extend(entry.fields)
                    together[("tag", tag, "tags")].extend(entry.tags)  # the tag itself is dropped below
                for field in entry.fields:
                    together[("field", field, "tags")].extend(entry.tags)
            self._cooccurrence = defaultdict(Counter, {key: Counter(slugs) for key, slugs in together.items()})
            for kind, slug, others in together:
                if others == "tags" and kind == "tag":
                    del self._cooccurrence[(kind, slug, others)][slug]  # a tag does not go with itself
        return self._cooccurrence

    def terms(self, kind: str, slugs: tuple[str, ...], page: str) -> str:
        """Field or tag links, joined; the same on every page of one folder."""
        key = (kind, tuple(slugs), page.rpartition("/")[0])
        if key not in self._terms:
            term, target = (self.taxonomy.field, paths.field_page) if kind == "field" else (self.taxonomy.tag, paths.tag_page)
            self._terms[key] = " · ".join(f"[{inline_text(term(slug).zh)}]({paths.link(page, target(slug))})" for slug in slugs)
        return self._terms[key]

    def tag_names(self, entry: Entry) -> list[str]:
        return [self.taxonomy.tag(slug).zh for slug in entry.tags]

    def field_names(self, entry: Entry) -> list[str]:
        return [self.taxonomy.field(slug).zh for slug in entry.fields]

    # -- pages ----------------------------------------------------------------------

    def render_all(self) -> dict[str, str]:
        """Every page of the site but the feeds and the search index, by docs-relative path."""
        pages = dict(self.paper(entry) for entry in self.archive.entries.values())
        days = self.archive.days
        for index, day in enumerate(days):
            previous = days[index - 1].date if index > 0 else None
            following = days[index + 1].date if index + 1 < len(days) else None
            pages.update([self.day(day, previous, following)])
        for term in self.taxonomy.fields:
            if term.slug in self.archive.papers_by_field:
                pages.update(self.field(term))
        for term in self.taxonomy.tags:
            if term.slug in self.archive.papers_by_tag:
                pages.update(self.tag(term))
        pages.update(self.days_months())
        pages.update([self.days_index(), self.fields_index(), self.tags_index(), self.papers_index(), self.stats(), self.home()])
        return dict(sorted(pages.items()))

    def _neighbours(self, entry: Entry) -> tuple[Entry | None, Entry | None]:
        """The previous and next paper of the paper's newest day."""
        ids = self.archive.day(entry.last_date).paper_ids
        position = ids.index(entry.arxiv_id)
        previous = self.archive.entries[ids[position - 1]] if position > 0 else None
        following = self.archive.entries[ids[position + 1]] if position + 1 < len(ids) else None
        return previous, following

    def paper(self, entry: Entry) -> tuple[str, str]:
        shown = entry.main
        previous, following = self._neighbours(entry)
        page = paths.paper_page(entry.arxiv_id)
        meta = {
            "title": shown.title,
            "description": describe(shown.contribution or shown.title),
            "image": cards.paper_image(self.archive, entry),
            "date": entry.first_date,
            "tags": self.tag_names(entry),
            "arxiv_id": entry.arxiv_id,
            "fields": self.field_names(entry),
            # Its five part headings are the whole outline of a short page: a table of contents
            # beside it would repeat them on each of the archive's pages (README, "Site size").
            "hide": ["toc"],
        }
        mention_links = {
            m.name: paths.link(page, paths.paper_page(m.target)) for m in self.links.mentions.get(entry.arxiv_id, ())
        }
        entries = self.archive.entries
        link = Linker(page)

        def listed(ids) -> list[tuple[str, str, str]]:
            return [(entries[i].analysis.item_title, link.paper(i), entries[i].last_date) for i in ids]

        def related(ids) -> list[tuple[str, str, str, str]]:
            return [(*item, entries[i].analysis.item_text) for i, item in zip(ids, listed(ids))]

        def neighbour(other: Entry | None) -> tuple[str, str] | None:
            return (other.analysis.item_title, link.paper(other.arxiv_id)) if other else None

        def older(paper) -> list[tuple[str, str]]:
            bodies = [(PART_TITLES[key], body) for key in PART_KEYS if (body := paper.part(key))]
            bodies += [(inline_text(part.heading), part.body) for part in paper.extra]
            return [(heading, _indent(for_python_markdown(body), 4)) for heading, body in bodies]

        mentioned_by = self.links.mentioned_by.get(entry.arxiv_id, ())
        return self._page(
            "paper.md.j2",
            page,
            meta,
            entry=entry,
            title=inline_text(shown.title),
            reading_source=inline_text(shown.reading_source) if shown.reading_source else "",
            dates=" · ".join(f"[{date}]({link.day(date)})" for date in entry.dates),
            field_links=self.terms("field", entry.fields, page) if entry.fields else "",
            tag_links=self.terms("tag", entry.tags, page) if entry.tags else "",
            keywords=" · ".join(inline_text(keyword) for keyword in entry.keywords),
            parts=[
                (key, PART_TITLES[key], link_names(for_python_markdown(body), mention_links) if body else "")
                for key, body in ((key, shown.part(key)) for key in PART_KEYS)
            ],
            extra_parts=[(inline_text(part.heading), link_names(for_python_markdown(part.body), mention_links)) for part in shown.extra],
            related=related(self.links.related.get(entry.arxiv_id, ())),
            mentioned_by=listed(mentioned_by[:MENTIONED_BY_SHOWN]),
            mentioned_by_count=len(mentioned_by),
            older_versions=[
                (appearance.date, SOURCE_LABELS.get(" ".join(appearance.paper.reading_source.lower().split()), ""), older(appearance.paper))
                for appearance in entry.older_versions
            ],
            previous=neighbour(previous),
            following=neighbour(following),
            hf_url=paths.hf_paper_url(entry.arxiv_id),
            abs_url=paths.arxiv_abs_url(entry.arxiv_id),
            pdf_url=paths.arxiv_pdf_url(entry.arxiv_id),
        )

    def day(self, day, previous: str | None, following: str | None) -> tuple[str, str]:
        meta = {
            "title": f"{day.date} 每日论文",
            "description": f"{day.date} Hugging Face 每日论文中文精读，共 {len(day.paper_ids)} 篇。",
            "image": paths.day_card(day.date),
            "date": day.date,
        }
        items = [self.archive.entries[i] for i in day.paper_ids]
        return self._page("day.md.j2", paths.day_page(day.date), meta, day=day, items=items, previous=previous, following=following)

    def _groups(self, ids: tuple[str, ...]) -> list[tuple[str, list[Entry]]]:
        """Papers grouped by their newest day, in the order given (newest first)."""
        entries = self.archive.entries
        groups: dict[str, list[Entry]] = {}
        for arxiv_id in ids:
            groups.setdefault(entries[arxiv_id].last_date, []).append(entries[arxiv_id])
        return list(groups.items())

    def _sparkline(self, term, ids) -> str:
        points = charts.weekly_counts(self.archive, (self.archive.entries[i].first_date for i in ids))
        label = f"{term.zh}：每周论文数（{points[0][0]} 起，共 {len(points)} 周）" if points else term.zh
        return charts.sparkline(points, label, partial=charts.newest_week_is_partial(self.archive))

    def _months(self, ids: tuple[str, ...]) -> dict[str, list[str]]:
        """Papers by the month of their newest day, newest month first (the order given within a month)."""
        entries = self.archive.entries
        months: dict[str, list[str]] = {}
        for arxiv_id in ids:
            months.setdefault(paths.month_of(entries[arxiv_id].last_date), []).append(arxiv_id)
        return months

    def _term_pages(self, kind: str, term, ids: tuple[str, ...], meta: dict, **values) -> list[tuple[str, str]]:
        """A field's or tag's page (its newest papers and an index of months) and one page per month part."""
        main = paths.field_page(term.slug) if kind == "field" else paths.tag_page(term.slug)
        month_page = paths.field_month_page if kind == "field" else paths.tag_month_page
        months = self._months(ids)
        recent = [arxiv_id for month in list(months)[:RECENT_MONTHS] for arxiv_id in months[month]][:RECENT_LIMIT]
        pages, index = [], []
        for month, month_ids in months.items():
            oldest_first = month_ids[::-1]
            parts = [oldest_first[start : start + MONTH_PAGE_SIZE][::-1] for start in range(0, len(oldest_first), MONTH_PAGE_SIZE)]
            targets = [month_page(term.slug, month, number) for number in range(1, len(parts) + 1)]
            index.append((month, len(month_ids), [Linker(main).to(target) for target in targets]))
            for number, (target, part_ids) in enumerate(zip(targets, parts), start=1):
                link = Linker(target)
                part_meta = {
                    "title": f"{term.zh}（{term.en}）· {month}" + (f" · 第 {number} 页" if len(parts) > 1 else ""),
                    "description": f"{term.zh}（{term.en}）{month} 的论文中文精读，共 {len(month_ids)} 篇。",
                    "image": paths.field_card(term.slug) if kind == "field" else paths.tag_card(term.slug),
                }
                pages.append(self._page(
                    "term_month.md.j2", target, part_meta, term=term, kind=kind, month=month, count=len(month_ids),
                    part=number, parts=[link.to(other) for other in targets], back=link.to(main), entries=[self.archive.entries[i] for i in part_ids],
                ))
        pages.append(self._page(
            f"{kind}.md.j2", main, meta, term=term, count=len(ids), shown=len(recent), groups=self._groups(tuple(recent)),
            months=index, sparkline=self._sparkline(term, ids), **values,
        ))
        return pages

    def field(self, term) -> list[tuple[str, str]]:
        ids = self.archive.papers_by_field[term.slug]
        tag_counts = self._cooccurring()[("field", term.slug, "tags")]
        related = [(self.taxonomy.tag(slug), count) for slug, count in sorted(tag_counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        meta = {
            "title": f"{term.zh}（{term.en}）",
            "description": f"{term.zh}（{term.en}）领域的每日论文中文精读，共 {len(ids)} 篇。",
            "image": paths.field_card(term.slug),
            "feed": paths.field_feed(term.slug),
        }
        return self._term_pages("field", term, ids, meta, related_tags=related[:RELATED_TERMS])

    def tag(self, term) -> list[tuple[str, str]]:
        ids = self.archive.papers_by_tag[term.slug]
        field_counts = self._cooccurring()[("tag", term.slug, "fields")]
        tag_counts = self._cooccurring()[("tag", term.slug, "tags")]
        meta = {
            "title": f"{term.zh}（{term.en}）",
            "description": f"标签“{term.zh}（{term.en}）”下的每日论文中文精读，共 {len(ids)} 篇。",
            "image": paths.tag_card(term.slug),
        }
        return self._term_pages(
            "tag", term, ids, meta,
            related_fields=[(self.taxonomy.field(s), c) for s, c in sorted(field_counts.items(), key=lambda kv: (-kv[1], kv[0]))],
            related_tags=[(self.taxonomy.tag(s), c) for s, c in sorted(tag_counts.items(), key=lambda kv: (-kv[1], kv[0]))][:RELATED_TERMS],
        )

    def stats(self) -> tuple[str, str]:
        per_day = charts.papers_per_day(self.archive)[-STATS_DAYS:]
        field_series = {slug: points[-STATS_WEEKS:] for slug, points in charts.fields_per_week(self.archive).items()}
        rising = charts.rising_tags(self.archive)
        names = {slug: self.taxonomy.field(slug).zh for slug in field_series}
        weeks = [week for week, _ in next(iter(field_series.values()), [])]
        meta = {"title": "趋势", "description": f"归档全貌：每日论文数、各领域每周论文数、近 7 天升温最快的标签（{len(self.archive.entries)} 篇论文）。", "image": paths.site_card()}
        return self._page(
            "stats.md.j2", paths.section_index(paths.STATS), meta,
            per_day=per_day,
            per_day_svg=charts.bar_chart(per_day, f"每日论文数，最近 {len(per_day)} 天"),
            field_series=field_series,
            weeks=weeks,
            fields_svg=charts.line_chart(
                field_series, names, f"论文最多的 {len(field_series)} 个领域的每周论文数", partial=charts.newest_week_is_partial(self.archive)
            ),
            rising=rising,
            rising_svg=charts.hbar_chart(
                [(self.taxonomy.tag(r.slug).zh, r.ratio, f"{r.recent} 篇 · ×{r.ratio}") for r in rising],
                "近 7 天升温最快的标签（相对之前 28 天的日均倍数）",
            ),
        )

    def _days_by_month(self) -> dict[str, list]:
        months: dict[str, list] = {}
        for day in reversed(self.archive.days):
            months.setdefault(paths.month_of(day.date), []).append(day)
        return months

    def days_index(self) -> tuple[str, str]:
        months = self._days_by_month()
        index = [(month, len(days), sum(len(day.paper_ids) for day in days)) for month, days in months.items()]
        meta = {"title": "每日归档", "description": f"按月浏览全部 {len(self.archive.days)} 天的每日论文中文精读。", "image": paths.site_card()}
        return self._page(
            "days_index.md.j2", paths.section_index(paths.DAYS), meta,
            recent=list(months.items())[:DAYS_INDEX_MONTHS], months=index,
        )

    def days_months(self) -> list[tuple[str, str]]:
        """One page per month listing its days."""
        pages = []
        for month, days in self._days_by_month().items():
            meta = {"title": f"每日归档 · {month}", "description": f"{month} 共 {len(days)} 天的每日论文中文精读。", "image": paths.site_card()}
            pages.append(self._page("days_month.md.j2", paths.days_month_page(month), meta, month=month, days=days))
        return pages

    def fields_index(self) -> tuple[str, str]:
        fields = [(f, len(self.archive.papers_by_field[f.slug])) for f in self.taxonomy.fields if f.slug in self.archive.papers_by_field]
        meta = {"title": "研究领域", "description": f"全部 {len(fields)} 个研究领域及其论文数。", "image": paths.site_card()}
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
        meta = {"title": "标签", "description": f"全部 {total} 个标签，按研究领域分组。", "image": paths.site_card()}
        return self._page("tags_index.md.j2", paths.section_index(paths.TAGS), meta, groups=ordered)

    def papers_index(self) -> tuple[str, str]:
        newest = [self.archive.entries[i] for i in self.archive.ids_newest_first()[:PAPERS_INDEX_SIZE]]
        meta = {"title": "论文", "description": f"最新的 {len(newest)} 篇论文；全部 {len(self.archive.entries)} 篇按日期见每日归档。", "image": paths.site_card()}
        return self._page("papers_index.md.j2", paths.section_index(paths.PAPERS), meta, items=newest)

    def home(self) -> tuple[str, str]:  # noqa: D102
        newest = self.archive.newest_day
        items = [self.archive.entries[i] for i in newest.paper_ids] if newest else []
        meta = {
            "title": self.options.site_name,
            "description": f"Hugging Face 每日论文的中文精读归档：{len(self.archive.entries)} 篇论文，{len(self.archive.days)} 天。",
            "image": paths.site_card(),
        }
        return self._page("home.md.j2", paths.HOME, meta, newest=newest, items=items)


def render_pages(archive: Archive, links: SiteLinks, options: SiteOptions = SiteOptions()) -> dict[str, str]:
    """Every page of the site but the feeds and the search index, by docs-relative path."""
    return Renderer(archive, links, options).render_all()
