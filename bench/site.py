"""The synthetic site: MkDocs configs that reuse the project's, and the built site's sizes."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import tarfile
import zlib
from pathlib import Path

# Hand-written pages and static files of the project's docs folder.
STATIC_DOCS = ("about.md", "me.md", "assets")


def prepare_docs(root: Path, docs: Path) -> None:
    """Copy the hand-written parts of ``root/docs`` into ``docs`` (the generator writes the rest)."""
    docs.mkdir(parents=True, exist_ok=True)
    for name in STATIC_DOCS:
        source = root / "docs" / name
        if source.is_dir():
            shutil.copytree(source, docs / name, dirs_exist_ok=True)
        elif source.is_file():
            shutil.copy2(source, docs / name)


def write_config(root: Path, path: Path, docs: Path, site: Path, floor: bool) -> Path:
    """A config inheriting the project's ``mkdocs.yml`` with every path made absolute.

    The floor config keeps the nav, theme and Markdown extensions but has no
    plugins and no hooks: it builds the pages the generator already wrote.
    """
    config = {
        "INHERIT": str(root / "mkdocs.yml"),
        "docs_dir": str(docs),
        "site_dir": str(site),
        "theme": {"custom_dir": str(root / "templates" / "theme")},
        "hooks": [] if floor else [str(root / "generator" / "mkdocs_hook.py")],
    }
    if floor:
        config["plugins"] = []
    # JSON is YAML; the inherited file keeps its own tags (!ENV, python/object).
    path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def tree_size(folder: Path) -> tuple[int, int]:
    """Total bytes (apparent size) and number of files under ``folder``."""
    total = files = 0
    for current, _, names in os.walk(folder):
        for name in names:
            total += os.lstat(os.path.join(current, name)).st_size
            files += 1
    return total, files


class _DeflatedSize:
    """A write-only file that deflates what it is given and counts the bytes in and out."""

    def __init__(self, level: int) -> None:
        self._deflate = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
        self.raw = self.packed = 0

    def write(self, data: bytes) -> int:
        self.raw += len(data)
        self.packed += len(self._deflate.compress(data))
        return len(data)

    def close(self) -> None:
        self.packed += len(self._deflate.flush())


def pages_artifact_size(site: Path) -> dict[str, int]:
    """The bytes of what the workflow uploads to GitHub Pages: ``site`` as a tar, zipped.

    actions/upload-pages-artifact runs ``tar --dereference --hard-dereference --directory site -cf
    artifact.tar .`` and uploads the tar with actions/upload-artifact, which zips it (deflate, level 6
    by default); actions/deploy-pages warns when that artifact is over 1 GiB. Measured by streaming a
    GNU tar of the folder (links followed) through deflate, nothing written.
    """
    sink = _DeflatedSize(level=6)
    with tarfile.open(fileobj=sink, mode="w|", format=tarfile.GNU_FORMAT, dereference=True) as archive:
        archive.add(site, arcname=".")
    sink.close()
    return {"tar_bytes": sink.raw, "zipped_bytes": sink.packed}


def largest_paper_page(site: Path) -> tuple[int, str]:
    best = (0, "")
    papers = site / "papers"
    if papers.is_dir():
        for entry in os.scandir(papers):
            page = Path(entry.path, "index.html")
            if entry.is_dir() and page.is_file():
                size = page.stat().st_size
                if size > best[0]:
                    best = (size, f"papers/{entry.name}/index.html")
    return best


def largest_html_page(site: Path) -> tuple[int, str]:
    """The largest HTML file anywhere in ``site`` (listings, months, stats, paper pages), and its path."""
    best = (0, "")
    for folder, _, names in os.walk(site):
        for name in names:
            if name.endswith(".html"):
                page = os.path.join(folder, name)
                size = os.stat(page).st_size
                if size > best[0]:
                    best = (size, os.path.relpath(page, site))
    return best


def search_index_size(site: Path) -> dict[str, int]:
    """The prebuilt paper index the browser loads (manifest, term buckets, paper files), raw and gzip -9."""
    folder = site / "search"
    files = sorted(p for p in folder.rglob("*.js") if p.name != "search_index.js")  # the manifest, term buckets and paper files
    raw = gz = largest_raw = largest_gz = 0
    for file in files:
        data = file.read_bytes()
        packed = len(gzip.compress(data, compresslevel=9))
        raw += len(data)
        gz += packed
        largest_raw = max(largest_raw, len(data))
        largest_gz = max(largest_gz, packed)
    extra = folder / "search_index.json"  # Material's own index, if its plugin still runs
    return {
        "files": len(files),
        "raw_bytes": raw,
        "gzip_bytes": gz,
        "largest_shard_raw_bytes": largest_raw,
        "largest_shard_gzip_bytes": largest_gz,
        "material_search_index_json_bytes": extra.stat().st_size if extra.is_file() else 0,
    }


def warning_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(("WARNING", "ERROR"))]
