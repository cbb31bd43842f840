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
import pickle
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
        return [result for chunk in pool.map(function, chunks, chunksize=1) for result in chunk]


class Background:
    """``function(*args)`` computed in a forked process while this one goes on.

    ``result()`` waits for it. Without a safe fork, the call runs in this
    process when ``result()`` is asked, so the result is the same either way.
    The arguments are inherited, never pickled; only the result travels back,
    through a pipe. A plain fork, not a ``multiprocessing`` pool, whose helper
    threads would keep this process from forking workers meanwhile.
    """

    def __init__(self, function: Callable[..., Result], *args):
        self._call = (function, args)
        self._child: tuple[int, int] | None = None  # process id, read end of the pipe
        self._done = False
        self._result = None
        if worth_forking(2, 2) > 1:
            gc.freeze()  # as in map_chunks: the forked process then shares the pages it only reads
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the forked process: compute, send, and leave without cleaning up the parent's state
                code = 1
                try:
                    os.close(read)
                    try:
                        outcome = (True, function(*args))
                    except BaseException as error:  # noqa: BLE001 - passed on to result()
                        outcome = (False, error)
                    try:
                        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
                    except Exception as error:  # noqa: BLE001 - an unpicklable result or error
                        data = pickle.dumps((False, RuntimeError(f"background result cannot travel back: {error!r}")))
                    with os.fdopen(write, "wb") as stream:
                        stream.write(data)
                    code = 0
                finally:
                    os._exit(code)  # never return into the parent's code
            os.close(write)
            self._child = (pid, read)

    def result(self) -> Result:
        if not self._done:
            if self._child is None:
                function, args = self._call
                self._result = function(*args)
            else:
                pid, read = self._child
                self._child = None
                with os.fdopen(read, "rb") as stream:
                    data = stream.read()
                _, status = os.waitpid(pid, 0)
                if not data:
                    raise RuntimeError(f"the background process ended without a result (wait status {status})")
                succeeded, value = pickle.loads(data)
                if not succeeded:
                    raise value
                self._result = value
            self._done = True
        return self._result
