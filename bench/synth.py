"""A realistic synthetic archive: every paper distinct, made from the parts of the real digests.

The real digests are parsed into papers; each synthetic paper takes each of
its five parts from a different real paper (so the Chinese text is recombined
across papers, not copied whole), gets a name of its own (generated
syllables and a code: ``FlowSeg-K7``), a title of its own (words drawn from
the real titles), its own Latin terms (every name-like term of the borrowed
text, such as ``GRPO`` or ``MIMIC-IV``, becomes a term made for this paper,
but for common words such as ``LLM``), its own numbers, and the field line of
a real paper (so fields follow the real mix). A few percent of the papers
come back on a later day with a new summary, as real papers do, and some
name an earlier synthetic paper (mentions). Everything is derived from a
seeded random generator: the same size gives the same archive.

How it differs from real digests: the parts of one paper come from papers
of different topics, so a paper's field line, contribution and results need
not agree; names are pronounceable but not meaningful; the vocabulary of the
Chinese text is that of the ~45 source papers (a real year has far more
distinct Chinese words), while the Latin terms are as many as a real year's.

Day ``i`` of ``days`` (oldest first) is ``end - (days - 1 - i)``. A paper's id
is ``YYMM.DDPPP``: the synthetic date's year, month and day and the paper's
1-based position in its day.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path

from generator.model import Paper
from generator.parse import parse_file
from generator.tokens import name_like_terms

# In the past, so that a digest date is never beyond what the parser accepts (today + 7 days).
END_DATE = dt.date(2026, 6, 30)
MAX_PAPERS_PER_DAY = 999
RETURNING_SHARE = 0.03  # papers that come back on a later day
MENTIONING_SHARE = 0.05  # papers whose contribution names an earlier paper
SEED = 20260118
SEPARATOR = "=" * 60
PART_HEADINGS = ("应用领域", "一句话核心贡献", "使用指南", "主要创新点", "实验效果")
PART_KEYS = ("field", "contribution", "usage", "innovations", "results")
# Latin terms that stay as they are: words every report uses.
COMMON_TERMS = frozenset(
    "llm llms vlm vlms mllm gpu gpus cpu ai rl sft dpo ppo api cot rag ocr 2d 3d 4d fid psnr ssim bleu "
    "rouge auc f1 top-1 top-5 h100 a100 moe lora vit clip bert gpt".split()
)
SYLLABLES = (
    "Flow Act Seg Match Tide Atom Grasp Drive Vox Orbit Sparse Mol Step Verify Rig Mo Cast Gen Lite Fold Bridge "
    "Think Plan Tool Safe Quant Vision Lang Chem Med Geo Nova Astra Pixel Wave Mind Core Sync Zen Delta Omni Echo "
    "Loop Path Graph Mesh Spark Stream Scope Forge Prism Pulse Quill Rune Sage Vista Weave"
).split()
# A number in running text (not a list item's number at the start of a line).
_NUMBER = re.compile(r"(?<![A-Za-z0-9.])(?<!^)(?<!^ )(?<!^  )(?<!^   )\d+(?:\.\d+)?(?![A-Za-z0-9])", re.M)
_TERM = re.compile(r"[0-9A-Za-z](?:(?<=[A-Za-z])|[0-9]*[A-Za-z])[A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*")


@dataclass(frozen=True)
class Pool:
    """The real papers the synthetic ones are made from, and the words of their titles."""

    papers: tuple[Paper, ...]
    title_words: tuple[str, ...]


@dataclass
class Archive:
    folder: Path
    dates: list[dt.date]
    ids: dict[str, list[str]]  # ISO date -> paper ids, in digest order
    serial: int = 0  # papers made so far (names and terms derive from it)
    returning: list = None  # (day to return on, paper) waiting

    @property
    def papers(self) -> int:
        return sum(len(v) for v in self.ids.values())


def source_digests(root: Path) -> list[Path]:
    """The real digests: ``../shared/digests`` beside the project if present, else the test samples."""
    root = root.resolve()
    for folder in (root.parent / "shared" / "digests", root / "tests" / "fixtures" / "samples"):
        if folder.is_dir():
            files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".md", ".txt") and not p.name.startswith("."))
            if files:
                return files
    raise FileNotFoundError("no source digests: ../shared/digests or tests/fixtures/samples")


def load_pool(files: list[Path]) -> Pool:
    papers: list[Paper] = []
    for file in files:
        digest, _ = parse_file(file)
        if digest is not None:
            papers.extend(p for p in digest.papers if all(p.part(key) for key in PART_KEYS))
    if not papers:
        raise ValueError("no complete papers in the source digests")
    words = sorted({w for p in papers for w in p.title.partition(":")[2].split() if w.isalpha() and len(w) > 2})
    return Pool(tuple(papers), tuple(words))


def synthetic_id(date: dt.date, position: int) -> str:
    """``YYMM.DDPPP`` for the paper at 1-based ``position`` of the day ``date``."""
    if not 1 <= position <= MAX_PAPERS_PER_DAY:
        raise ValueError(f"position {position} outside 1..{MAX_PAPERS_PER_DAY}")
    return f"{date.year % 100:02d}{date.month:02d}.{date.day:02d}{position:03d}"


def day_dates(days: int, end: dt.date = END_DATE) -> list[dt.date]:
    return [end - dt.timedelta(days=days - 1 - i) for i in range(days)]


def _code(number: int) -> str:
    """A short distinct code for a serial number: ``K7``, ``3QX``."""
    digits = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    code = ""
    number += len(digits)  # at least two characters
    while number:
        number, rest = divmod(number, len(digits))
        code = digits[rest] + code
    return code


def paper_name(serial: int) -> str:
    rng = random.Random(f"name-{serial}")
    return rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + "-" + _code(serial)


def _own_terms(text: str, serial: int, rng: random.Random, made: dict[str, str]) -> str:
    """Each name-like Latin term of borrowed text becomes one made for this paper (common words stay)."""

    def replace(match: re.Match) -> str:
        term = match.group(0)
        if term.lower() in COMMON_TERMS or not name_like_terms(term):
            return term
        if term not in made:
            made[term] = rng.choice(SYLLABLES).upper()[: rng.randint(2, 4)] + "-" + _code(serial * 64 + len(made))
        return made[term]

    return _TERM.sub(replace, text)


def _own_numbers(text: str, rng: random.Random) -> str:
    def replace(match: re.Match) -> str:
        value = match.group(0)
        if len(value) > 8:
            return value
        scaled = float(value) * rng.uniform(0.5, 1.5)
        if "." in value:
            return f"{scaled:.{len(value.split('.')[1])}f}"
        return str(max(1, round(scaled)))

    return _NUMBER.sub(replace, text)


def _body(text: str) -> str:
    """A part body under its numbered heading: on the heading's line when one line, else indented below it."""
    if "\n" not in text:
        return "：" + text
    return "：\n" + "\n".join(("   " + line) if line else "" for line in text.split("\n"))


def paper_text(pool: Pool, arxiv_id: str, serial: int, mention: str | None = None) -> tuple[str, str]:
    """One synthetic paper's block in a digest, and its name."""
    rng = random.Random(f"paper-{serial}")
    name = paper_name(serial)
    sources = rng.sample(range(len(pool.papers)), len(PART_KEYS))
    made: dict[str, str] = {}
    parts = []
    for key, heading, source in zip(PART_KEYS, PART_HEADINGS, sources):
        borrowed = pool.papers[source]
        text = borrowed.part(key)
        if borrowed.short_name:
            text = text.replace(borrowed.short_name, name)
        if key != "field":
            text = _own_numbers(_own_terms(text, serial, rng, made), rng)
        if key == "contribution" and mention:
            text += f"相比 {mention}，效果更好。"
        parts.append(f"{len(parts) + 1}. **{heading}**{_body(text)}")
    title = f"{name}: " + " ".join(rng.sample(pool.title_words, k=min(len(pool.title_words), rng.randint(4, 9)))).title()
    source_label = "HTML" if rng.random() < 0.75 else "ArXiv Abs"
    block = (
        f"## 📄 {title}\n\n- **链接**: https://huggingface.co/papers/{arxiv_id}\n- **阅读来源**: {source_label}\n\n"
        f"# {name} 论文报告\n\n" + "\n\n".join(parts) + "\n"
    )
    return block, name


def digest_text(date: dt.date, blocks: list[str]) -> str:
    iso = date.isoformat()
    header = f"# Hugging Face Daily Papers Report\n**Date**: {iso}\n**Source URL**: https://huggingface.co/papers/date/{iso}\n"
    return header + "".join(f"\n{SEPARATOR}\n\n{block}" for block in blocks) + f"\n{SEPARATOR}\n"


def write_day(archive: Archive, pool: Pool, date: dt.date, papers_per_day: int) -> Path:
    rng = random.Random(f"day-{date.isoformat()}")
    returning = [(day, item) for day, item in archive.returning if day <= date]
    archive.returning = [(day, item) for day, item in archive.returning if day > date]
    blocks, ids = [], []
    for _, (arxiv_id, serial) in returning[: papers_per_day // 2]:
        block, _ = paper_text(pool, arxiv_id, serial + 1_000_000)  # the same paper, summarised anew
        blocks.append(block.replace(paper_name(serial + 1_000_000), paper_name(serial)))
        ids.append(arxiv_id)
    position = 0
    while len(blocks) < papers_per_day:
        position += 1
        arxiv_id = synthetic_id(date, position)
        archive.serial += 1
        serial = archive.serial
        mention = paper_name(rng.randint(1, serial - 1)) if serial > 1 and rng.random() < MENTIONING_SHARE else None
        block, _ = paper_text(pool, arxiv_id, serial, mention)
        blocks.append(block)
        ids.append(arxiv_id)
        if rng.random() < RETURNING_SHARE:
            archive.returning.append((date + dt.timedelta(days=rng.randint(1, 7)), (arxiv_id, serial)))
    path = archive.folder / f"{date.isoformat()}.md"
    path.write_text(digest_text(date, blocks), encoding="utf-8")
    archive.ids[date.isoformat()] = ids
    return path


def synthesize(folder: Path, pool: Pool, days: int, papers_per_day: int, end: dt.date = END_DATE) -> Archive:
    """Write ``days`` digests ending at ``end`` into ``folder`` as ``YYYY-MM-DD.md``."""
    if days < 1 or not 1 <= papers_per_day <= MAX_PAPERS_PER_DAY:
        raise ValueError(f"need days >= 1 and 1 <= papers per day <= {MAX_PAPERS_PER_DAY}")
    folder.mkdir(parents=True, exist_ok=True)
    archive = Archive(folder, [], {}, 0, [])
    for date in day_dates(days, end):
        write_day(archive, pool, date, papers_per_day)
        archive.dates.append(date)
    return archive


def add_day(archive: Archive, pool: Pool, papers_per_day: int) -> Path:
    """Write the digest of the day after the archive's last day; return its path."""
    date = archive.dates[-1] + dt.timedelta(days=1)
    path = write_day(archive, pool, date, papers_per_day)
    archive.dates.append(date)
    return path
