"""The process pool the importer and the exporter share: results in order, each pool with its own
state, and an item that kills, ends or hangs its process fails alone while the others go on."""

import os
import signal
import time

import pytest

from articles.core.process_pool import ProcessPool

# What an item may do to its process; the others are multiplied by the pool's state.
DEEDS = {
    "segv": lambda: os.kill(os.getpid(), signal.SIGSEGV),
    "exit": lambda: os._exit(3),
    "raise": lambda: 1 / 0,
    "loop": lambda: _spin(),
    "hang": lambda: time.sleep(3600),
}


def _spin():
    while True:
        pass


def work(state, item):
    if item in DEEDS:
        DEEDS[item]()
    if item == "unpicklable":
        return lambda: None
    return item * state


def run(items, *, state=2, workers=2, chunksize=3, ahead=12, cpu_seconds=60, wall_seconds=600):
    with ProcessPool(
        work,
        state,
        workers=workers,
        chunksize=chunksize,
        ahead=ahead,
        on_death=lambda item, reason: f"{item} died: {reason}",
        cpu_seconds=cpu_seconds,
        wall_seconds=wall_seconds,
    ) as pool:
        return list(pool.imap(items))


def test_results_come_in_the_order_of_the_items():
    assert run(range(50)) == [n * 2 for n in range(50)]


def test_no_items_no_results():
    assert run([]) == []


@pytest.mark.parametrize(
    ("deed", "reason"),
    [
        ("segv", "signal 11, Segmentation fault"),
        ("exit", "exit status 3"),
        ("raise", "exit status 1"),  # work() must not raise: if it does, its process ends
        ("unpicklable", "exit status 1"),  # nor give a result that cannot be sent back
    ],
)
def test_an_item_that_ends_its_process_fails_alone(deed, reason, capfd):
    items = [*range(7), deed, *range(7, 20)]
    assert run(items) == [*(n * 2 for n in range(7)), f"{deed} died: {reason}", *(n * 2 for n in range(7, 20))]
    capfd.readouterr()  # the traceback of "raise", printed by its process


def test_a_worker_dying_again_and_again_never_stops_the_rest(capfd):
    items = ["segv" if n % 4 == 0 else n for n in range(40)]
    results = run(items, workers=2, chunksize=5)
    assert results == ["segv died: signal 11, Segmentation fault" if n % 4 == 0 else n * 2 for n in range(40)]


def test_an_item_that_loops_is_stopped_by_its_cpu_budget():
    """CPU time, not the clock: the budget holds however loaded the machine is."""
    assert run([1, "loop", 2], workers=1, cpu_seconds=1) == [2, "loop died: over 1 s of CPU time", 4]


def test_an_item_that_stops_answering_is_killed_after_the_wall_clock_budget():
    assert run([1, "hang", 2], workers=1, wall_seconds=5) == [2, "hang died: no answer in 5 s", 4]


def test_two_pools_in_one_process_each_keep_their_own_state():
    with (
        ProcessPool(work, 2, workers=1, chunksize=2, ahead=4, on_death=None, cpu_seconds=60, wall_seconds=600) as a,
        ProcessPool(work, 10, workers=1, chunksize=2, ahead=4, on_death=None, cpu_seconds=60, wall_seconds=600) as b,
    ):
        pairs = list(zip(a.imap(range(20)), b.imap(range(20)), strict=True))
    assert pairs == [(n * 2, n * 10) for n in range(20)]


def test_items_are_read_only_a_bounded_way_ahead_of_the_results_taken():
    read = []

    def items():
        for n in range(100):
            read.append(n)
            yield n

    with ProcessPool(work, 1, workers=2, chunksize=4, ahead=10, on_death=None, cpu_seconds=60, wall_seconds=600) as p:
        results = p.imap(items())
        assert next(results) == 0
        assert len(read) <= 10
        assert list(results) == list(range(1, 100))
