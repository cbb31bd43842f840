"""The build as a short script: gather, render, write.

``gather`` reads every digest and the taxonomy into one immutable archive
with diagnostics; ``render`` turns it into page texts; ``write`` puts them
under docs/. Only the last step touches the disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .archive import Archive, merge
from .model import Diagnostic
from .render import Renderer
from .search import render_search_files
from .sources import find_digests, load_digests
from .taxonomy import load_taxonomy
from .write import WriteResult, write_pages


@dataclass
class BuildResult:
    archive: Archive
    diagnostics: list[Diagnostic]
    written: WriteResult = field(default_factory=WriteResult)

    def summary(self) -> str:
        errors = sum(1 for d in self.diagnostics if d.level == "error")
        warnings = len(self.diagnostics) - errors
        return (
            f"{len(self.archive.days)} days, {len(self.archive.entries)} papers, "
            f"{len(self.written.written)} pages written, {self.written.unchanged} unchanged, "
            f"{len(self.written.removed)} removed, {errors} errors, {warnings} warnings"
        )


def gather(digests_dir: Path, taxonomy_path: Path) -> tuple[Archive, list[Diagnostic]]:
    taxonomy, diagnostics = load_taxonomy(taxonomy_path)
    digests, found = load_digests(find_digests([digests_dir]))
    diagnostics.extend(found)
    archive, merged = merge(digests, taxonomy)
    diagnostics.extend(merged)
    return archive, diagnostics


def build(digests_dir: Path, docs_dir: Path, taxonomy_path: Path = Path("taxonomy.yml")) -> BuildResult:
    archive, diagnostics = gather(digests_dir, taxonomy_path)
    pages = Renderer(archive).render_all()
    pages.update(render_search_files(archive))
    written = write_pages(docs_dir, pages)
    return BuildResult(archive, diagnostics, written)
