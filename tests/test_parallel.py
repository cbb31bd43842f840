"""Forked chunk mapping gives the same result as one process."""

from __future__ import annotations

import threading

from generator import parallel


def square_all(chunk: list[int]) -> list[int]:
    return [n * n for n in chunk]


def test_forked_and_single_process_results_are_equal(monkeypatch):
    items = list(range(1000))
    forked = parallel.map_chunks(square_all, items, minimum=10)
    monkeypatch.setattr(parallel, "worth_forking", lambda count, minimum: 1)
    assert forked == parallel.map_chunks(square_all, items, minimum=10) == [n * n for n in items]


def pids_of(chunk: list[int]) -> list[int]:
    import os
    import time

    time.sleep(0.01)  # long enough for every process to take chunks
    return [os.getpid()] * len(chunk)


def test_this_process_and_the_forked_ones_share_the_chunks(monkeypatch):
    import os

    monkeypatch.setattr(parallel, "worth_forking", lambda count, minimum: 2)
    pids = parallel.map_chunks(pids_of, list(range(1000)), minimum=10)
    assert len(pids) == 1000
    assert os.getpid() in pids and len(set(pids)) == 2


def fail_on_seven(chunk: list[int]) -> list[int]:
    if 7 in chunk:
        raise ValueError("seven")
    return chunk


def test_an_error_in_any_chunk_is_raised_here(monkeypatch):
    import pytest

    monkeypatch.setattr(parallel, "worth_forking", lambda count, minimum: 3)
    with pytest.raises(ValueError, match="seven"):
        parallel.map_chunks(fail_on_seven, list(range(1000)), minimum=10)


def die_if_forked(chunk: list[int]) -> list[int]:
    import os
    import time

    if os.getpid() != PARENT:
        os._exit(3)
    time.sleep(0.01)  # leaves chunks for the forked process to take
    return chunk


PARENT = 0


def test_a_forked_process_that_dies_is_reported(monkeypatch):
    import os

    import pytest

    monkeypatch.setattr(parallel, "worth_forking", lambda count, minimum: 2)
    monkeypatch.setitem(globals(), "PARENT", os.getpid())
    with pytest.raises(RuntimeError, match="ended without a result"):
        parallel.map_chunks(die_if_forked, list(range(1000)), minimum=10)


def test_few_items_stay_in_process():
    assert parallel.worth_forking(5, minimum=10) == 1


def test_no_fork_while_other_threads_run():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parallel.worth_forking(10_000, minimum=10) == 1
    finally:
        stop.set()
        thread.join()


def process_and_sum(numbers: list[int]) -> tuple[int, int]:
    import os

    return os.getpid(), sum(numbers)


def test_background_computes_in_another_process_and_returns_the_result():
    import os

    background = parallel.Background(process_and_sum, list(range(100)))
    pid, total = background.result()
    assert total == 4950
    assert pid != os.getpid()
    assert background.result() == (pid, total)  # asked twice, computed once


def test_background_runs_in_this_process_while_other_threads_run():
    import os

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parallel.Background(process_and_sum, [1, 2]).result() == (os.getpid(), 3)
    finally:
        stop.set()
        thread.join()


def fail(message: str):
    raise ValueError(message)


def test_background_passes_the_error_on():
    import pytest

    with pytest.raises(ValueError, match="no good"):
        parallel.Background(fail, "no good").result()


def die():
    import os

    os._exit(3)


def test_background_process_that_dies_is_reported():
    import pytest

    with pytest.raises(RuntimeError, match="ended without a result"):
        parallel.Background(die).result()


def unpicklable():
    return lambda: None


def test_background_result_that_cannot_travel_back_is_reported():
    import pytest

    with pytest.raises(RuntimeError, match="cannot travel back"):
        parallel.Background(unpicklable).result()


def test_background_whose_result_is_never_asked_for_is_ended_on_leaving_the_block():
    import os
    import time

    import pytest

    with parallel.Background(time.sleep, 60) as background:
        pid = background._forked._pid
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # ended and waited for: no such process any more


def interrupt_here(chunk: list[int]) -> list[int]:
    import os
    import time

    if os.getpid() == PARENT:
        raise KeyboardInterrupt
    time.sleep(0.01)
    return chunk


def test_an_interrupt_here_ends_the_forked_processes_and_is_raised_as_it_is(monkeypatch):
    import os

    import pytest

    monkeypatch.setattr(parallel, "worth_forking", lambda count, minimum: 3)
    monkeypatch.setitem(globals(), "PARENT", os.getpid())
    with pytest.raises(KeyboardInterrupt):
        parallel.map_chunks(interrupt_here, list(range(1000)), minimum=10)


class _InterruptedRead:
    """A pipe whose read is interrupted (Ctrl-C while waiting for a forked process)."""

    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.stream.close()

    def read(self):
        raise KeyboardInterrupt

    def write(self, data):
        return self.stream.write(data)


def test_an_interrupt_while_receiving_is_raised_as_it_is(monkeypatch):
    import os

    import pytest

    real_fdopen = os.fdopen
    monkeypatch.setattr(parallel.os, "fdopen", lambda fd, mode: _InterruptedRead(real_fdopen(fd, mode)))
    monkeypatch.setattr(parallel, "worth_forking", lambda count, minimum: 3)
    with pytest.raises(KeyboardInterrupt):
        parallel.map_chunks(square_all, list(range(1000)), minimum=10)
