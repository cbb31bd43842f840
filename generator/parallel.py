"""Running pure, per-item work on every core.

The cold build's costly steps (parsing and analysing papers, rendering
paper pages) are pure functions over many independent items. ``map_chunks``
runs such a function over chunks of the items in this process and in forked
helper processes, which inherit the data they read, and falls back to this
process alone when forking is unavailable or unsafe (other threads are
running, as under ``mkdocs serve``) or when there are too few items to pay
for it. The result is the same either way, in the same order.
``Background`` runs one pure call in a forked process while this one does
other work (scoring related papers while the listing pages render).

Both use plain forks and pipes, not a ``multiprocessing`` pool: only the
helpers' results travel (pickled, through a pipe), and this process works
instead of waiting, so its own share of the results never travels at all.
A helper that dies is reported, never waited for forever.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import struct
import threading
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
MAX_PROCESSES = 8
# Small chunks, taken one at a time by whichever process is free, so that no
# process is left with a long last one while the others idle.
CHUNKS_PER_PROCESS = 32
_CHUNK_NUMBER = struct.Struct("=I")


def worth_forking(count: int, minimum: int) -> int:
    """How many processes to use for ``count`` items (1: stay in this process)."""
    processes = min(os.cpu_count() or 1, MAX_PROCESSES)
    if count < minimum or processes < 2 or threading.active_count() > 1:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return processes


def map_chunks(function: Callable[[list[Item]], list[Result]], items: Sequence[Item], minimum: int) -> list[Result]:
    """``function`` over chunks of ``items``, concatenated; on every core when worth it."""
    items = list(items)
    processes = worth_forking(len(items), minimum)
    if processes == 1:
        return function(items)
    size = -(-len(items) // (processes * CHUNKS_PER_PROCESS))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    # The queue of work: chunk numbers in a pipe, read four bytes at a time by
    # every process (a pipe read is atomic), until it is empty.
    queue, feed = os.pipe()
    os.write(feed, b"".join(_CHUNK_NUMBER.pack(number) for number in range(len(chunks))))  # < 64 KiB: never blocks
    os.close(feed)
    done: dict[int, list[Result]] = {}
    helpers: list[_Forked] = []
    try:
        for _ in range(processes - 1):
            helpers.append(_Forked(_take_chunks, function, chunks, queue, True))
        done.update(_take_chunks(function, chunks, queue))
        for helper in helpers:
            done.update((number, pickle.loads(data)) for number, data in helper.receive().items())
    finally:
        os.close(queue)
        for helper in helpers:
            helper.stop()
    return [result for number in range(len(chunks)) for result in done[number]]


def _take_chunks(function: Callable[[list[Item]], list[Result]], chunks: list[list[Item]], queue: int, pickled: bool = False) -> dict:
    """``function`` over the chunks this process takes from the queue, by chunk number.

    ``pickled``: each result pickled as soon as it is made (in a forked
    process, whose results travel). The pickling then counts in the time a
    chunk takes there, so the processes share the work by what each has to
    do, and a forked process has little left to do when the queue is empty.
    """
    done = {}
    while len(data := os.read(queue, _CHUNK_NUMBER.size)) == _CHUNK_NUMBER.size:
        (number,) = _CHUNK_NUMBER.unpack(data)
        result = function(chunks[number])
        done[number] = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL) if pickled else result
    return done


class _Forked:
    """``function(*args)`` in a forked process; ``receive()`` its result (or its error, raised here)."""

    def __init__(self, function: Callable[..., Result], *args):
        # Frozen objects are never collected, so a collection in the forked
        # process does not write to the inherited objects and copy their pages.
        gc.freeze()
        read, write = os.pipe()
        try:
            pid = os.fork()
        except BaseException:
            os.close(read)
            os.close(write)
            raise
        if pid == 0:  # the forked process: compute, send, and leave without cleaning up the parent's state
            code = 1
            try:
                os.close(read)
                try:
                    outcome = (True, function(*args))
                except BaseException as error:  # noqa: BLE001 - passed on to receive()
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
        self._pid: int | None = pid
        self._read = read

    def receive(self) -> Result:
        pid, self._pid = self._pid, None  # from here on, receive() ends the process whatever happens
        try:
            with os.fdopen(self._read, "rb") as stream:
                data = stream.read()
        except BaseException:  # interrupted (Ctrl-C): the process is not waited for, it is ended
            _end(pid)
            raise
        _, status = os.waitpid(pid, 0)
        if not data:
            raise RuntimeError(f"the background process ended without a result (wait status {status})")
        succeeded, value = pickle.loads(data)
        if not succeeded:
            raise value
        return value

    def stop(self) -> None:
        """End the process if its result was not received (this process failed first); never raises."""
        if self._pid is not None:
            pid, self._pid = self._pid, None
            _end(pid)
            os.close(self._read)


def _end(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:  # already ended and waited for
        pass


class Background:
    """``function(*args)`` computed in a forked process while this one goes on.

    ``result()`` waits for it; leaving a ``with`` block ends the process if
    its result was never asked for (an error here came first). Without a
    safe fork, the call runs in this process when ``result()`` is asked, so
    the result is the same either way. The arguments are inherited, never
    pickled; only the result travels back, through a pipe.
    """

    def __init__(self, function: Callable[..., Result], *args):
        self._call = (function, args)
        self._forked = _Forked(function, *args) if worth_forking(2, 2) > 1 else None
        self._done = False
        self._result = None

    def __enter__(self) -> "Background":
        return self

    def __exit__(self, *_) -> None:
        self.stop()

    def stop(self) -> None:
        """End the forked process if its result was not asked for (this process failed first)."""
        if self._forked is not None:
            forked, self._forked = self._forked, None
            forked.stop()

    def result(self) -> Result:
        if not self._done:
            if self._forked is None:
                function, args = self._call
                self._result = function(*args)
            else:
                forked, self._forked = self._forked, None
                self._result = forked.receive()
            self._done = True
        return self._result
