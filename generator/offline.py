"""The offline copy: the built site zipped under one folder, ``daily-papers/``.

Nothing is built a second time: the site as published (directory URLs) opens
from ``file://`` as it is. Its links name folders (``papers/2601.04211/``),
which a browser reading files shows as a file listing, so there
``assets/javascripts/file-worker.js`` points them at the folder's
``index.html``; search, MathJax and the theme's assets load by relative URLs.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

FOLDER = "daily-papers"

# Files that are compressed already are stored as they are: deflating the cards' PNGs would win
# ~10% of their bytes (~1.3 MB at a year, 1% of the zip) for ~4% more of the zip's time.
STORED_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".gz", ".zip", ".woff", ".woff2"})

# The rest (HTML, scripts, CSS, XML: nearly all the bytes) is deflated at level 1. Zipping a
# year-sized tree (439 MB, 32,000 files) this way took 0.7 times the CPU of deflating everything at
# the default level 6 for a zip 10% larger (137 MB against 124 MB); storing everything took 0.37
# times but made a zip of 444 MB (README, "Benchmark").
LEVEL = 1


def zip_site(site: Path, target: Path, folder: str = FOLDER) -> int:
    """Zip every file under ``site`` into ``target`` as ``folder/<path>``; returns how many files.

    Written under a temporary name and moved into place, so a failed run leaves no partial zip
    and an earlier one stays as it was.
    """
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"no built site at {site} (no index.html): run `make site` first")
    files = _files(site)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".tmp")
    try:
        # strict_timestamps=False: a file dated before 1980 (a reproducible build's epoch) is
        # zipped as of 1980 instead of failing the zip.
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=LEVEL, strict_timestamps=False) as archive:
            for name in files:
                stored = os.path.splitext(name)[1].lower() in STORED_SUFFIXES
                archive.write(site / name, f"{folder}/{name}", zipfile.ZIP_STORED if stored else None)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return len(files)


def _files(site: Path) -> list[str]:
    """Every file under ``site`` as a sorted path relative to it, with ``/`` (os.walk: at a year's
    32,000 files a third of the time of ``Path.rglob`` and a ``stat`` a path)."""
    names: list[str] = []
    for directory, _, files in os.walk(site):
        prefix = Path(directory).relative_to(site).as_posix()
        names += [name if prefix == "." else f"{prefix}/{name}" for name in files]
    return sorted(names)
