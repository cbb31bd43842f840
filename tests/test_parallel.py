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
