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
