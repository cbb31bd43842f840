"""A synthetic archive made from the text of the real digests.

The digests are not parsed here: their text is cut into paper blocks at the
``====`` separator lines and the blocks are copied into new daily files with
a new date header and a new arXiv id per paper. Everything else in a block
stays byte for byte, so parsing and rendering cost what they cost on real
digests.

Day ``i`` of ``days`` (oldest first) is ``end - (days - 1 - i)``; its papers
are the next ``papers_per_day`` blocks of the pool, cycling. A paper's id is
``YYMM.DDPPP``: the synthetic date's year, month and day and the paper's
1-based position in its day, so ids are unique and stable for a given size.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

# In the past, so that a digest date is never beyond what the parser accepts (today + 7 days).
END_DATE = dt.date(2026, 6, 30)
MAX_PAPERS_PER_DAY = 999

_SEPARATOR = re.compile(r"(?m)^={20,}[ \t]*\n?")
_TITLE = re.compile(r"(?m)^## 📄 ")
_LINK = re.compile(r"https://huggingface\.co/papers/(\d{4}\.\d{4,5})\b")
_DATE_LINE = re.compile(r"(?m)^(\*\*Date\*\*:[ \t]*)\S+")
_SOURCE_LINE = re.compile(r"(?m)^(\*\*Source URL\*\*:[ \t]*https://huggingface\.co/papers/date/)\S+")


@dataclass(frozen=True)
class Block:
    """One paper of a real digest: the text between two separator lines."""

    source: str
    arxiv_id: str
    text: str


@dataclass(frozen=True)
class Template:
    """The header, separator line and tail of a real digest, to wrap the blocks."""

    header: str
    separator: str
    tail: str


@dataclass(frozen=True)
class Pool:
    template: Template
    blocks: tuple[Block, ...]


def source_digests(root: Path) -> list[Path]:
    """The real digests: ``../shared/digests`` beside the project if present, else ``digests/``."""
    shared = root.parent / "shared" / "digests"
    folders = [shared] if shared.is_dir() else []
    folders.append(root / "digests")
    for folder in folders:
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".md", ".txt") and not p.name.startswith("."))
        if files:
            return files
    raise FileNotFoundError(f"no digests in {' or '.join(map(str, folders))}")


def split_digest(text: str, source: str = "") -> tuple[Template, list[Block]]:
    separators = list(_SEPARATOR.finditer(text))
    if not separators:
        raise ValueError(f"{source}: no separator lines")
    chunks = _SEPARATOR.split(text)
    header, rest = chunks[0], chunks[1:]
    blocks: list[Block] = []
    for chunk in rest:
        if not _TITLE.search(chunk):
            continue
        ids = _LINK.findall(chunk)
        if not ids:
            continue  # a paper without a link cannot be re-numbered; the real digests have none
        if not chunk.endswith("\n\n"):
            chunk = chunk.rstrip("\n") + "\n\n"
        blocks.append(Block(source, ids[0], chunk))
    tail = rest[-1] if rest and not _TITLE.search(rest[-1]) else "\n"
    separator = separators[0].group(0)
    if not separator.endswith("\n"):
        separator += "\n"
    return Template(header, separator, tail), blocks


def load_pool(files: list[Path]) -> Pool:
    """All paper blocks of the given digests; the template of the one with the most papers."""
    best: tuple[int, Template] | None = None
    blocks: list[Block] = []
    for file in files:
        template, found = split_digest(file.read_text(encoding="utf-8"), file.name)
        blocks.extend(found)
        if found and (best is None or len(found) > best[0]):
            best = (len(found), template)
    if best is None:
        raise ValueError("no paper blocks in the source digests")
    return Pool(best[1], tuple(blocks))


def synthetic_id(date: dt.date, position: int) -> str:
    """``YYMM.DDPPP`` for the paper at 1-based ``position`` of the day ``date``."""
    if not 1 <= position <= MAX_PAPERS_PER_DAY:
        raise ValueError(f"position {position} outside 1..{MAX_PAPERS_PER_DAY}")
    return f"{date.year % 100:02d}{date.month:02d}.{date.day:02d}{position:03d}"


def day_dates(days: int, end: dt.date = END_DATE) -> list[dt.date]:
    return [end - dt.timedelta(days=days - 1 - i) for i in range(days)]


def digest_text(pool: Pool, date: dt.date, day_index: int, papers_per_day: int) -> tuple[str, list[str]]:
    """The digest of one synthetic day and its papers' ids, in order."""
    template = pool.template
    iso = date.isoformat()
    header = _DATE_LINE.sub(lambda m: m.group(1) + iso, template.header, count=1)
    header = _SOURCE_LINE.sub(lambda m: m.group(1) + iso, header, count=1)
    parts = [header]
    ids = []
    for position in range(1, papers_per_day + 1):
        block = pool.blocks[(day_index * papers_per_day + position - 1) % len(pool.blocks)]
        new_id = synthetic_id(date, position)
        # Every mention of the old id (the link line) becomes the new one.
        parts.append(template.separator)
        parts.append(block.text.replace(block.arxiv_id, new_id))
        ids.append(new_id)
    parts.append(template.separator)
    parts.append(template.tail)
    return "".join(parts), ids


@dataclass
class Archive:
    folder: Path
    dates: list[dt.date]
    ids: dict[str, list[str]]  # ISO date -> paper ids

    @property
    def papers(self) -> int:
        return sum(len(v) for v in self.ids.values())


def write_digest(folder: Path, pool: Pool, date: dt.date, day_index: int, papers_per_day: int) -> list[str]:
    text, ids = digest_text(pool, date, day_index, papers_per_day)
    (folder / f"{date.isoformat()}.md").write_text(text, encoding="utf-8")
    return ids


def synthesize(folder: Path, pool: Pool, days: int, papers_per_day: int, end: dt.date = END_DATE) -> Archive:
    """Write ``days`` digests ending at ``end`` into ``folder`` as ``YYYY-MM-DD.md``."""
    if days < 1 or not 1 <= papers_per_day <= MAX_PAPERS_PER_DAY:
        raise ValueError(f"need days >= 1 and 1 <= papers per day <= {MAX_PAPERS_PER_DAY}")
    folder.mkdir(parents=True, exist_ok=True)
    dates = day_dates(days, end)
    ids = {}
    for index, date in enumerate(dates):
        ids[date.isoformat()] = write_digest(folder, pool, date, index, papers_per_day)
    return Archive(folder, dates, ids)


def add_day(archive: Archive, pool: Pool, papers_per_day: int) -> Path:
    """Write the digest of the day after the archive's last day; return its path."""
    date = archive.dates[-1] + dt.timedelta(days=1)
    index = len(archive.dates)
    archive.ids[date.isoformat()] = write_digest(archive.folder, pool, date, index, papers_per_day)
    archive.dates.append(date)
    return archive.folder / f"{date.isoformat()}.md"
