"""Running pure, per-item work on every core.

The cold build's costly steps (parsing and analysing papers, rendering
paper pages) are pure functions over many independent items. ``map_chunks``
runs such a function over chunks of the items in forked worker processes,
which inherit the data they read, and falls back to one process when
forking is unavailable or unsafe (other threads are running, as under
``mkdocs serve``) or when there are too few items to pay for it. The result
is the same either way, in the same order. ``Background`` runs one pure
call in a forked process while this one does other work (scoring related
papers while the listing pages render).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
MAX_PROCESSES = 8
# Small chunks, so that no process is left with a long last one while the others idle.
CHUNKS_PER_PROCESS = 16


def worth_forking(count: int, minimum: int) -> int:
    """How many processes to use for ``count`` items (1: stay in this process)."""
    processes = min(os.cpu_count() or 1, MAX_PROCESSES)
    if count < minimum or processes < 2 or threading.active_count() > 1:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return processes


def map_chunks(function: Callable[[list[Item]], list[Result]], items: Sequence[Item], minimum: int) -> list[Result]:
    """``function`` over chunks of ``items``, concatenated; forked when worth it."""
    items = list(items)
    processes = worth_forking(len(items), minimum)
    if processes == 1:
        return function(items)
    size = -(-len(items) // (processes * CHUNKS_PER_PROCESS))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    # Frozen objects are never collected, so a collection in a worker does not
    # write to the inherited objects and copy their memory pages.
    gc.freeze()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return [result for chunk in pool.map(function, chunks) for result in chunk]


_background_call = None  # what a Background's forked process runs: set before forking, so it inherits it


def _run_background():
    function, args = _background_call
    return function(*args)


class Background:
    """``function(*args)`` computed in a forked process while this one goes on.

    ``result()`` waits for it. Without a safe fork, the call runs in this
    process when ``result()`` is asked, so the result is the same either way.
    The arguments are inherited, never pickled; only the result travels back.
    """

    def __init__(self, function: Callable[..., Result], *args):
        global _background_call
        self._call = (function, args)
        self._pool = None
        self._done = False
        self._result = None
        if worth_forking(2, 2) > 1:
            _background_call = self._call
            gc.freeze()  # as in map_chunks: the forked process then shares the pages it only reads
            try:
                self._pool = multiprocessing.get_context("fork").Pool(1)
            finally:
                _background_call = None
            self._pending = self._pool.apply_async(_run_background)

    def result(self) -> Result:
        if not self._done:
            if self._pool is None:
                function, args = self._call
                self._result = function(*args)
            else:
                try:
                    self._result = self._pending.get()
                finally:
                    self._pool.terminate()
                    self._pool.join()
                    self._pool = None
            self._done = True
        return self._result
