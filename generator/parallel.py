"""Running pure, per-item work on every core.

The cold build's costly steps (jieba segmentation, rendering paper pages,
scoring related papers) are pure functions over many independent items.
``map_chunks`` runs such a function over chunks of the items in forked
worker processes, which inherit the data they read, and falls back to one
process when forking is unavailable or unsafe (other threads are running,
as under ``mkdocs serve``) or when there are too few items to pay for it.
The result is the same either way, in the same order.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
MAX_PROCESSES = 8


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
    size = -(-len(items) // (processes * 4))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return [result for chunk in pool.map(function, chunks) for result in chunk]
