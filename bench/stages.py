"""Where a generator build's time goes: ``python -m bench.stages DIGESTS DOCS TAXONOMY``.

Runs the stages of ``generator.build`` one after another, in this process,
and prints the seconds of each: reading the inputs and the memo of
``DOCS`` (warm after a build of the same digests), linking, the search
index, the pages, the feeds and the cards (drawn only when ``DOCS`` lacks
them). Nothing is written. What a ``python -m generator build`` does beside
these is not timed here: the interpreter's start, the no-change check,
comparing and writing the files, and saving the memo and the state.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from generator import store
from generator.build import code_version, gather, read_inputs
from generator.cards import render_cards
from generator.feeds import render_feeds
from generator.links import link_archive
from generator.paths import DEFAULT_SITE_URL
from generator.render import SiteOptions, render_pages
from generator.search_index import render_search_index


def stage_seconds(digests: Path, docs: Path, taxonomy: Path) -> dict[str, float]:
    """The seconds of each stage of a build of ``digests`` into ``docs``, in the build's order."""
    seconds: dict[str, float] = {}
    start = time.perf_counter()

    def done(stage: str) -> None:
        nonlocal start
        now = time.perf_counter()
        seconds[stage] = now - start
        start = now

    archive, _ = gather([digests], taxonomy, store.Memo(docs), code_version(), read_inputs([digests]))
    done("read, parse and analyse (memo), merge")
    links = link_archive(archive)
    done("related papers and mentions")
    render_search_index(archive)
    done("search index")
    render_pages(archive, links, SiteOptions())
    done("pages")
    render_feeds(archive, DEFAULT_SITE_URL, SiteOptions.site_name)
    done("feeds")
    render_cards(archive, docs, SiteOptions.site_name)
    done("cards (those on disk with their key are kept)")
    return seconds


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python -m bench.stages DIGESTS DOCS TAXONOMY", file=sys.stderr)
        return 2
    for stage, value in stage_seconds(*map(Path, argv)).items():
        print(f"{value:7.2f} s  {stage}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
