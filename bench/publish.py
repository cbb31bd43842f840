"""``make site`` (with the previous build) and ``make offline`` as CI runs them: timed steps.

The Makefile's recipes, step for step, in the benchmark's work folder:

- ``site``: ``mkdocs build --site-dir site.tmp`` with ``DAILY_PAPERS_SITE_STATE=cache/site.json``
  and ``DAILY_PAPERS_PREVIOUS_SITE=site``, then ``site`` is replaced by ``site.tmp``;
- ``offline``: ``python -m generator offline site dist/site-offline.zip`` in a fresh interpreter,
  the zip of the site just built (no build of its own).

The builds are not ``--strict``: ``strict`` is one of the settings the site cache compares (a
change renders every page), so every build here must agree on it, and the full build reports its
warnings rather than stop at the first (a strict ``make site`` fails on any; digest problems are
not counted).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path

from . import run
from .site import warning_lines

# What generator/site_cache.py logs at the end of a build that asked for the cache.
_SITE_CACHE = re.compile(
    r"site cache: (?:(?P<copied>\d+) pages copied from .*, (?P<rendered>\d+) rendered"
    r"|full build \((?P<reason>.*)\), (?P<full_rendered>\d+) pages rendered"
    r"|off \((?P<off>.*)\))\s*$"
)

def site_cache(stderr: str) -> dict:
    """The site cache's line of a build's log, as figures: mode, pages rendered and taken over, why full."""
    for line in reversed(stderr.splitlines()):
        match = _SITE_CACHE.search(line)
        if not match:
            continue
        line = line[match.start():]
        if match["copied"] is not None:
            return {"mode": "incremental", "rendered": int(match["rendered"]), "copied": int(match["copied"]), "reason": None, "line": line}
        if match["reason"] is not None:
            return {"mode": "full", "rendered": int(match["full_rendered"]), "copied": 0, "reason": match["reason"], "line": line}
        return {"mode": "off", "rendered": None, "copied": 0, "reason": match["off"], "line": line}
    return {"mode": None, "rendered": None, "copied": 0, "reason": "no site cache line in the log", "line": ""}


def mkdocs_build(config: Path, work: Path, logs: Path, name: str, env: dict[str, str], site_dir: Path | None = None,
                 args: tuple[str, ...] = (), state: Path | None = None, previous: Path | None = None) -> dict:
    """One timed ``mkdocs build -f config``; with ``state``, incremental as the Makefile's are."""
    argv = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), *args]
    if site_dir is not None:
        argv += ["--site-dir", str(site_dir)]
    env = dict(env)
    if state is not None:
        env["DAILY_PAPERS_SITE_STATE"] = str(state)
        env["DAILY_PAPERS_PREVIOUS_SITE"] = str(previous)
    os.sync()  # as before each generator run: earlier writes are not this build's
    result = run.run(argv, logs, name, env=env, cwd=work).check()
    warnings = warning_lines(result.stderr)
    figures = {"seconds": result.seconds, "peak_rss_bytes": result.peak_rss_bytes, "warnings": len(warnings), "warning_sample": warnings[:5]}
    if state is not None:
        figures["site_cache"] = site_cache(result.stderr)
    return figures


def replace_folder(new: Path, current: Path) -> float:
    """``mv current current.old && mv new current`` (as ``make site``, which removes the ``.old`` of a
    previous run before it builds: ``site``, below, does that untimed, as CI never has one); the seconds it took."""
    os.sync()
    start = time.perf_counter()
    if current.is_dir():
        current.rename(current.with_name(current.name + ".old"))
    new.rename(current)
    return time.perf_counter() - start


def site(config: Path, work: Path, logs: Path, name: str, env: dict[str, str]) -> dict:
    """``make site``: build into ``site.tmp`` from the previous ``site`` (if any), then swap it in."""
    shutil.rmtree(work / "site.old", ignore_errors=True)
    figures = mkdocs_build(config, work, logs, name, env, site_dir=work / "site.tmp",
                           state=work / "cache" / "site.json", previous=work / "site")
    figures["swap_s"] = replace_folder(work / "site.tmp", work / "site")
    return figures


def offline(work: Path, logs: Path, name: str) -> dict:
    """``make offline``: the zip of ``site`` (the Makefile's own command)."""
    zip_file = work / "dist" / "site-offline.zip"
    os.sync()  # the site's writes are the build's, not the zip's
    zipped = run.run([sys.executable, "-m", "generator", "offline", "site", str(zip_file.relative_to(work))], logs, name, cwd=work).check()
    return {"seconds": zipped.seconds, "peak_rss_bytes": zipped.peak_rss_bytes, "bytes": zip_file.stat().st_size}
