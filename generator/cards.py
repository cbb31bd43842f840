"""Link-preview cards: a 1200×630 PNG per page, the image chat apps show beside a pasted link.

Telegram, Slack, Discord, Feishu and WeChat show ``og:image`` in a link's
preview. Each card carries the site name on a band of the theme's indigo, the
page's title and its one-line summary (wrapped, cut with "…"), and a footer
line. Cards are drawn at build time with Pillow in Noto Sans CJK (the
``manimgx-fonts-cjk`` package ships it): no network at build or browse time.

Which pages have their own card (paths in ``paths``):

- every field and tag (also used by its month pages), and every day;
- every paper of the newest ``RECENT_DAYS`` days of the archive (the days the
  digests have, not calendar days), so their number stays bounded; an older
  paper's page shows its first field's card, a paper with no field the site's;
- the site card: the home page, the indexes, hand-written pages.

A card's bytes are a pure function of its ``key``: the renderer (this file's
code, the Pillow, FreeType and zlib versions), the font (its package version,
file name and size) and the card's text. The key is stored in the PNG (a
``tEXt`` chunk right after the header): when the file under docs/ already
carries the key of the card asked for, its bytes are handed back unchanged
instead of being drawn again (drawing and compressing cost 15–60 ms a card,
reading a chunk microseconds). A build therefore writes what a cold build
writes, and draws only the cards that are new or whose text changed.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import os
import re
import unicodedata
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import paths
from .markdown import plain_text
from .text import shorten

WIDTH, HEIGHT = 1200, 630
RECENT_DAYS = 7  # papers of the newest days of the archive get a card of their own
PRIMARY = "#4051b5"  # Material's indigo (mkdocs.yml: primary: indigo), the band and <meta name="theme-color">
INK = "#1f2233"  # titles
WHITE = "#ffffff"
FONT_DISTRIBUTION = "manimgx-fonts-cjk"
FONT_MODULE = "manimgx_fonts_cjk"
FONT_FILE = "NotoSansCJK-VF.otf.ttc"
FONT_INDEX = 2  # Noto Sans CJK SC in the collection (JP, KR, SC, TC, HK)
KEY_CHUNK = "daily-papers-card"  # the tEXt keyword that holds a card's key
SITE_TITLE = "Hugging Face 每日论文中文精读"
SITE_SUMMARY = "每篇论文的一句话核心贡献、使用指南、主要创新点与实验效果；按天、研究领域和标签浏览，每日更新。"
TEXT_LIMIT = 400  # characters of a title or summary ever laid out (the card shows far fewer)
# How much of a card each kind of text may take.
MARGIN = 80
BAND = 96
TITLE_SIZE, TITLE_LINE, TITLE_LINES = 52, 70, 3
SUMMARY_SIZE, SUMMARY_LINE, SUMMARY_LINES = 34, 50, 4
FOOTER_SIZE, FOOTER_TOP = 26, 556
BAND_SIZE = 34
LABEL_SIZE = 28
BOTTOM_BAR = 10


@dataclass(frozen=True)
class Card:
    """What one card shows: all its text (the drawing is a function of it)."""

    site_name: str
    label: str  # on the band, right: 论文, 每日论文, 研究领域, 标签 or nothing
    title: str
    summary: str
    footer: str = ""


# -- which card a page shows -------------------------------------------------------------


def recent_cutoff(archive) -> str:
    """The oldest of the newest ``RECENT_DAYS`` days: papers of that day or later have their own card."""
    days = archive.days[-RECENT_DAYS:]
    return days[0].date if days else "9999-12-31"


def paper_image(archive, entry, cutoff: str | None = None) -> str:
    """The card a paper's page names: its own when it appeared in the newest days, else its first field's, else the site's."""
    if entry.last_date >= (cutoff if cutoff is not None else recent_cutoff(archive)):
        return paths.paper_card(entry.arxiv_id)
    if entry.fields:
        return paths.field_card(entry.fields[0])
    return paths.site_card()


def cards_of(archive, site_name: str) -> dict[str, Card]:
    """Every card of the site, by docs-relative path."""
    taxonomy = archive.taxonomy
    cards = {paths.site_card(): Card(site_name, "", SITE_TITLE, SITE_SUMMARY, "")}
    cutoff = recent_cutoff(archive)
    for entry in archive.entries.values():
        if paper_image(archive, entry, cutoff) != paths.paper_card(entry.arxiv_id):
            continue
        paper = entry.main
        fields = " · ".join(taxonomy.field(slug).zh for slug in entry.fields)
        footer = " · ".join(part for part in (f"arXiv {entry.arxiv_id}", entry.last_date, fields) if part)
        cards[paths.paper_card(entry.arxiv_id)] = Card(site_name, "论文", paper.title, shorten(plain_text(paper.contribution or paper.title), 180), footer)
    for day in archive.days:
        count = len(day.paper_ids)
        cards[paths.day_card(day.date)] = Card(
            site_name, "每日论文", f"{day.date} 每日论文", f"Hugging Face 每日论文中文精读，共 {count} 篇。", "",
        )
    for term in taxonomy.fields:
        if term.slug in archive.papers_by_field:
            cards[paths.field_card(term.slug)] = Card(
                site_name, "研究领域", f"{term.zh}（{term.en}）", f"{term.zh}领域的 Hugging Face 每日论文中文精读。", "",
            )
    for term in taxonomy.tags:
        if term.slug in archive.papers_by_tag:
            field = taxonomy.field(term.field).zh if term.field else ""
            cards[paths.tag_card(term.slug)] = Card(
                site_name, "标签", f"{term.zh}（{term.en}）", f"标签“{term.zh}”下的 Hugging Face 每日论文中文精读。", field,
            )
    return cards


# Drawing a card costs ~25 ms: a cold build of a year draws hundreds, worth a process per core; a daily build a few.
PARALLEL_MINIMUM = 24


def render_cards(archive, docs: Path | None, site_name: str, draw=None, workers: int | None = None) -> dict[str, bytes]:
    """Every card's PNG bytes by docs-relative path; a card whose file under ``docs`` carries its key is not drawn again.

    The cards to draw are drawn on every core when there are many (``workers``:
    how many processes; 1 draws them here, as tests compare). A ``draw`` other
    than ``draw_card`` (a test's, counting what is drawn) is always called here.
    """
    draw = draw or draw_card
    font = font_identity()
    out: dict[str, bytes | None] = {}
    todo: list[tuple[str, Card, str]] = []
    for page, card in cards_of(archive, site_name).items():
        key = card_key(card, font)
        out[page] = existing_card(docs / page, key) if docs is not None else None
        if out[page] is None:
            todo.append((page, card, key))
    workers = workers or (min(os.cpu_count() or 1, 4) if len(todo) >= PARALLEL_MINIMUM else 1)
    to_draw, keys = [card for _, card, _ in todo], [key for _, _, key in todo]
    if workers > 1 and draw is _DRAW_CARD and len(todo) > 1:
        # A worker gets a card and its key, all draw_card reads: nothing is set up before the pool starts.
        with ProcessPoolExecutor(min(workers, len(todo))) as pool:
            drawn = list(pool.map(draw, to_draw, keys, chunksize=8))
    else:
        drawn = [draw(card, key) for card, key in zip(to_draw, keys)]
    for (page, _, _), data in zip(todo, drawn):
        out[page] = data
    return out


# -- the key ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def font_path() -> Path:
    import importlib

    return Path(importlib.import_module(FONT_MODULE).__file__).resolve().parent / FONT_FILE


@lru_cache(maxsize=1)
def font_identity() -> str:
    """The font as far as the drawing goes: its package's version, the file's name and size, the face index."""
    path = font_path()
    return f"{FONT_DISTRIBUTION} {importlib.metadata.version(FONT_DISTRIBUTION)} {path.name} {path.stat().st_size} {FONT_INDEX}"


@lru_cache(maxsize=1)
def renderer_version() -> str:
    """This file's code and the libraries that turn it into bytes."""
    import PIL
    from PIL import features

    code = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()
    return f"{code} pillow {PIL.__version__} freetype {features.version('freetype2')} zlib {zlib.ZLIB_RUNTIME_VERSION}"


def card_key(card: Card, font: str | None = None) -> str:
    digest = hashlib.sha1()
    for part in (renderer_version(), font or font_identity(), card.site_name, card.label, card.title, card.summary, card.footer):
        digest.update(hashlib.sha1(part.encode("utf-8", "surrogatepass")).digest())
    return digest.hexdigest()


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_HEAD = 4096  # the key chunk follows the header: it is within the first bytes


def stored_key(head: bytes) -> str | None:
    """The key in a PNG's ``tEXt`` chunk named ``KEY_CHUNK``, from the file's first bytes (None if absent)."""
    if not head.startswith(_PNG_SIGNATURE):
        return None
    position = len(_PNG_SIGNATURE)
    while position + 8 <= len(head):
        length = int.from_bytes(head[position : position + 4], "big")
        kind = head[position + 4 : position + 8]
        data = head[position + 8 : position + 8 + length]
        if kind in (b"IDAT", b"IEND") or len(data) < length:
            return None
        if kind == b"tEXt":
            keyword, _, value = data.partition(b"\0")
            if keyword == KEY_CHUNK.encode():
                return value.decode("latin-1")
        position += 12 + length
    return None


def existing_card(target: Path, key: str) -> bytes | None:
    """The bytes of ``target`` when it is a card drawn for ``key``, else None."""
    try:
        with open(target, "rb") as stream:
            if stored_key(stream.read(_HEAD)) != key:
                return None
            stream.seek(0)
            return stream.read()
    except OSError:
        return None


# -- drawing ---------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _font(size: int, weight: str):
    from PIL import ImageFont

    # BASIC layout: FreeType alone places the glyphs (no Raqm, whose presence varies by build).
    font = ImageFont.truetype(str(font_path()), size, index=FONT_INDEX, layout_engine=ImageFont.Layout.BASIC)
    font.set_variation_by_name(weight)
    return font


def _mix(a: str, b: str, share: float) -> tuple[int, int, int]:
    ca, cb = (tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in (a, b))
    return tuple(round(x + (y - x) * share) for x, y in zip(ca, cb))


STEPS = 5  # colours from one end of a ramp to the other: anti-aliasing levels (8 look the same and cost 10% more bytes)
# The palette: white to ink and white to indigo (9 colours; saved 8 bits a pixel, which compress better than 4). Drawn pixels map to the nearest.
_PALETTE = [_mix(WHITE, INK, i / (STEPS - 1)) for i in range(STEPS)] + [_mix(WHITE, PRIMARY, i / (STEPS - 1)) for i in range(1, STEPS)]
SUMMARY_COLOUR = _PALETTE[STEPS - 2]  # a grey of the ink ramp, three quarters of the way to ink
LABEL_COLOUR = _PALETTE[STEPS]  # a pale indigo (a quarter of the way from white), on the band


@lru_cache(maxsize=1)
def _palette_image():
    from PIL import Image

    image = Image.new("P", (1, 1))
    flat = [value for colour in _PALETTE for value in colour]
    image.putpalette(flat + flat[:3] * (256 - len(_PALETTE)))
    return image


_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """One line of text to draw: control, format and private characters dropped, white space collapsed."""
    text = "".join(
        " " if char.isspace() else char
        for char in text[:TEXT_LIMIT]
        if char.isspace() or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
    )
    return _SPACES.sub(" ", text).strip()


# A Latin word (with its inner hyphens, dots, slashes) stays on one line; any other character may start one.
_UNIT = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+(?:[-_./:'’+][0-9A-Za-z\u00c0-\u024f]+)*| +|.", re.S)
_NO_LINE_START = set("，。、；：！？）】》」』〉”’,.;:!?)]}%…·—")
_NO_LINE_END = set("（【《「『〈“‘([{")


def _units(text: str) -> list[str]:
    """Pieces a line may break between: closing punctuation sticks to what precedes it, opening to what follows."""
    units: list[str] = []
    glue = False
    for match in _UNIT.finditer(text):
        unit = match.group()
        if units and not unit.isspace() and (glue or unit[0] in _NO_LINE_START):
            units[-1] += unit
        else:
            units.append(unit)
        glue = unit[-1] in _NO_LINE_END
    return units


@lru_cache(maxsize=8192)
def _length(font, unit: str) -> float:
    """The width of a unit of ``_units`` (cached: the same characters and words come back line after line, card after card)."""
    return font.getlength(unit)


def _fitting_prefix(font, line: str, width: int) -> int:
    """How many leading characters of ``line`` fit in ``width`` (at least one): bisection, prefixes only grow."""
    low, high = 1, len(line) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(line[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _lay_out(units: list[str], font, width: int, max_lines: int, exact: bool) -> tuple[list[str], bool]:
    """Lines of ``units``, greedy, and whether text was left over. A candidate line's width is the sum of its
    units' widths (``exact``: measured whole instead, for a font that kerns across units)."""
    lines: list[str] = []
    line, line_width = "", 0.0
    overflow = False
    for unit in units:
        candidate = line + unit
        candidate_width = font.getlength(candidate) if exact else line_width + _length(font, unit)
        if candidate_width <= width:
            line, line_width = candidate, candidate_width
            continue
        if unit.isspace():
            lines.append(line)
            line, line_width = "", 0.0
        elif line.strip():
            lines.append(line.rstrip())
            line, line_width = unit, _length(font, unit)
        else:
            line, line_width = candidate, candidate_width  # a word wider than a line on its own: split below
        while line_width > width and len(lines) < max_lines:  # break inside it
            cut = _fitting_prefix(font, line, width)
            lines.append(line[:cut])
            line = line[cut:]
            line_width = font.getlength(line)
        if len(lines) >= max_lines:
            overflow = True
            break
    if line.strip() and len(lines) < max_lines:
        lines.append(line.strip())
    elif line.strip():
        overflow = True
    return [l.strip() for l in lines if l.strip()][:max_lines], overflow


def wrap(text: str, font, width: int, max_lines: int) -> list[str]:
    """``text`` in at most ``max_lines`` lines no wider than ``width``; the last ends with "…" when text is left over."""
    units = _units(clean(text))
    lines, overflow = _lay_out(units, font, width, max_lines, exact=False)
    if any(font.getlength(line) > width for line in lines):  # wider measured whole than its units added up
        lines, overflow = _lay_out(units, font, width, max_lines, exact=True)
    if overflow and lines:
        last = lines[-1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines[-1] = last.rstrip(" ，,、；;：:") + "…"
    return lines


def draw_card(card: Card, key: str | None = None) -> bytes:
    """The card as a palette PNG (optimised) carrying ``key`` in a tEXt chunk after the header."""
    from PIL import Image, ImageDraw, PngImagePlugin

    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    canvas = ImageDraw.Draw(image)
    text_width = WIDTH - 2 * MARGIN
    # The band: site name left, label right.
    canvas.rectangle((0, 0, WIDTH - 1, BAND - 1), fill=PRIMARY)
    label_font = _font(LABEL_SIZE, "Regular")
    label = wrap(card.label, label_font, 300, 1)
    label_width = int(label_font.getlength(label[0])) + 32 if label else 0
    site = wrap(card.site_name, _font(BAND_SIZE, "Bold"), text_width - label_width, 1)
    if site:
        canvas.text((MARGIN, BAND // 2), site[0], font=_font(BAND_SIZE, "Bold"), fill=WHITE, anchor="lm")
    if label:
        canvas.text((WIDTH - MARGIN, BAND // 2), label[0], font=label_font, fill=LABEL_COLOUR, anchor="rm")
    # Title, then summary, as many lines as the space above the footer holds.
    top = BAND + 44
    title_font = _font(TITLE_SIZE, "Bold")
    for line in wrap(card.title, title_font, text_width, TITLE_LINES):
        canvas.text((MARGIN, top), line, font=title_font, fill=INK)
        top += TITLE_LINE
    top += 22
    summary_font = _font(SUMMARY_SIZE, "Regular")
    room = max(0, min(SUMMARY_LINES, (FOOTER_TOP - 16 - top) // SUMMARY_LINE))
    for line in wrap(card.summary, summary_font, text_width, room) if room else []:
        canvas.text((MARGIN, top), line, font=summary_font, fill=SUMMARY_COLOUR)
        top += SUMMARY_LINE
    footer_font = _font(FOOTER_SIZE, "Medium")
    for line in wrap(card.footer, footer_font, text_width, 1):
        canvas.text((MARGIN, FOOTER_TOP), line, font=footer_font, fill=PRIMARY)
    canvas.rectangle((0, HEIGHT - BOTTOM_BAR, WIDTH - 1, HEIGHT - 1), fill=PRIMARY)

    palette = image.quantize(palette=_palette_image(), dither=Image.Dither.NONE)
    info = PngImagePlugin.PngInfo()
    info.add_text(KEY_CHUNK, key or card_key(card))
    out = io.BytesIO()
    # zlib level 7: a fifth of the time of level 9 or optimize=True for ~6% more bytes; level 6 saves a fifth of
    # the time for ~1.5% more bytes (measured on 50 cards: 15.9, 16.9, 17.2 KB; 65, 13, 10.5 ms).
    palette.save(out, "PNG", compress_level=7, pnginfo=info)
    return out.getvalue()


_DRAW_CARD = draw_card  # render_cards draws in worker processes only with this one (a test may replace draw_card)
