"""A pool of forked worker processes that survives whatever one item does to its process.

The importer parses and the exporter writes through it. ``multiprocessing.Pool`` loses a task whose
worker dies (a C parser's segmentation fault, ``os._exit``) and then waits for its result forever.
Here each worker has a pipe of its own (no lock shared with the others, which a dying worker could
leave held), takes a chunk of items at a time, sends their results back together, and marks in
shared memory the item it is on, so when a worker dies the pool knows the item it died on: that
item's result is ``on_death(item, reason)``, the rest of its chunk goes to a new worker, and the
run goes on. An item that loops is stopped by
a budget of CPU time (``RLIMIT_CPU``: the kernel ends the process, however busy its C code), and
one whose process stops answering by a generous wall-clock budget.

The per-run state reaches the workers as an argument of their main function, inherited through
``fork`` (never pickled, never a module global), so two pools in one process never see each
other's. Workers must not use the database: the connections they inherit stay the parent's (a
worker ends with ``os._exit``, or is killed, and so never closes them; closing them before each
fork instead would cost a small import more than the import itself, SQLite's checkpoint on close).

Results come back in the order of the items, at most ``ahead`` items past the one the
caller is reading: memory stays flat however many items there are.
"""

import contextlib
import math
import os
import pickle
import resource
import signal
import threading
import time
from collections import deque
from multiprocessing import connection, get_context

FORK = get_context("fork")
# One fork at a time in this process: a pipe's worker end must live only in its own worker, or that
# worker's death would not show as the end of its pipe while another pool's worker holds a copy.
_fork_lock = threading.Lock()
# How often an idle worker looks whether its parent is still alive, and the collecting thread at
# the items its busy workers are on.
IDLE_CHECK_SECONDS = 1.0
IDLE = -1  # a worker's marker between items


class ProcessPool:
    """``imap(items)`` gives ``work(state, item)`` for each item, computed in ``workers`` processes.

    ``work`` must not raise (it reports its own errors in its result; one that does raise ends its
    process, which counts as a death). ``on_death(item, reason)`` is the result of an item whose
    process died, ``reason`` saying how ("signal 11, Segmentation fault", "exit status 3", "over
    60 s of CPU time", "no answer in 300 s").
    """

    def __init__(self, work, state, *, workers, chunksize, ahead, on_death, cpu_seconds, wall_seconds):
        self.work, self.state, self.on_death = work, state, on_death
        self.size, self.chunksize, self.ahead = workers, chunksize, max(ahead, chunksize)
        self.cpu_seconds, self.wall_seconds = cpu_seconds, wall_seconds
        self.workers = []
        self.queue = deque()  # chunks waiting for a worker: lists of (index, item)
        self.results = {}  # index -> pickled result, until the caller takes (and unpickles) it
        self.changed = threading.Condition()
        self.wake_r, self.wake_w = os.pipe()  # a byte in it wakes the collecting thread
        os.set_blocking(self.wake_w, False)
        self.closing = False
        self.failure = None  # an error of the collecting thread (a bug), raised in the caller's
        self.collector = None

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        self.close(kill=kind is not None)

    def imap(self, items):
        """The results of ``items``, in their order."""
        items, chunk = iter(items), []  # whole chunks go out, but for the last
        taken = submitted = 0
        exhausted = False
        self._spawn()
        self.collector = threading.Thread(target=self._collect, name="process-pool", daemon=True)
        self.collector.start()
        while True:
            while not exhausted and submitted - taken <= self.ahead - self.chunksize:  # room for a chunk
                for _ in range(self.chunksize):
                    item = next(items, _END)
                    if item is _END:
                        exhausted = True
                        break
                    chunk.append((submitted, item))
                    submitted += 1
                if chunk:
                    self._submit(chunk)
                    chunk = []
            if taken == submitted:
                return
            yield self._take(taken)
            taken += 1

    def close(self, *, kill=False):
        """Stop the workers: ask them to finish (after the last result), or kill them (after an error)."""
        self.closing = True
        self._wake()
        if self.collector is not None:
            self.collector.join()
        for worker in self.workers:
            if kill or worker.chunk:
                worker.process.kill()
            else:
                with contextlib.suppress(OSError):  # it died meanwhile
                    worker.conn.send(None)
        for worker in self.workers:
            worker.process.join()
            worker.conn.close()
        self.workers = []
        os.close(self.wake_r)
        os.close(self.wake_w)

    def _wake(self):
        with contextlib.suppress(BlockingIOError):  # full: it has plenty to wake it already
            os.write(self.wake_w, b"x")

    def _submit(self, chunk):
        with self.changed:
            self.queue.append(chunk)
        self._wake()

    def _take(self, index):
        """The result of item ``index``, waiting for it; meanwhile dead workers are replaced here,
        in the caller's thread (forking from the collecting thread could copy a lock the caller holds)."""
        with self.changed:
            while index not in self.results:
                if self.failure is not None:
                    raise RuntimeError("the process pool's collecting thread failed") from self.failure
                if sum(worker.alive for worker in self.workers) < self.size:
                    self.changed.release()
                    try:
                        self._spawn()
                    finally:
                        self.changed.acquire()
                    continue
                self.changed.wait(timeout=IDLE_CHECK_SECONDS)
            payload = self.results.pop(index)
        return pickle.loads(payload)  # noqa: S301 (our own worker's)

    def _spawn(self):
        """Start workers until there are ``size`` alive (the dead ones' places are taken)."""
        with self.changed:
            self.workers = [worker for worker in self.workers if worker.alive]
            missing = self.size - len(self.workers)
        for _ in range(missing):
            current = FORK.RawValue("q", IDLE)  # shared memory: no lock a dying worker could hold
            with _fork_lock:
                ours, theirs = FORK.Pipe()
                process = FORK.Process(
                    target=_serve, args=(theirs, current, self.work, self.state, self.cpu_seconds), daemon=True
                )
                process.start()
                theirs.close()
            worker = _Worker(process, ours, current)
            with self.changed:
                self.workers.append(worker)
        self._wake()

    def _collect(self):
        """The collecting thread: hands chunks to idle workers, stores results, and accounts for deaths."""
        try:
            while not self.closing:
                self._dispatch()
                busy = [w for w in self.workers if w.alive and w.chunk]
                ready = connection.wait(
                    [self.wake_r] + [w.conn for w in busy] + [w.process.sentinel for w in busy],
                    timeout=min(IDLE_CHECK_SECONDS, self.wall_seconds) if busy else None,
                )
                if self.wake_r in ready:
                    os.read(self.wake_r, 4096)
                for worker in busy:
                    self._receive(worker, ready)
        except BaseException as exc:  # a bug here must not leave the caller waiting forever
            with self.changed:
                self.failure = exc
                self.changed.notify_all()

    def _dispatch(self):
        for worker in list(self.workers):
            with self.changed:
                if not worker.alive or worker.chunk or not self.queue:
                    continue
                worker.chunk = self.queue.popleft()
            worker.seen = (IDLE, time.monotonic())
            try:
                worker.conn.send(worker.chunk)
            except OSError:
                self._died(worker)

    def _receive(self, worker, ready):
        """Take the results ``worker`` sent; note its death, or stop it when an item ran out of time."""
        if worker.conn in ready or worker.process.sentinel in ready:
            try:
                results = worker.conn.recv() if worker.conn.poll() else None
            except (EOFError, OSError):
                results = None  # it died mid-message: its exit status tells how
            if results is not None:
                with self.changed:
                    self.results.update(results)
                    worker.chunk = None
                    self.changed.notify_all()
            elif worker.process.sentinel in ready or worker.process.exitcode is not None:
                self._died(worker)
            return
        now, at = time.monotonic(), worker.current.value
        if at != worker.seen[0]:
            worker.seen = (at, now)
        elif at != IDLE and now - worker.seen[1] >= self.wall_seconds:
            worker.process.kill()
            self._died(worker, reason=f"no answer in {self.wall_seconds:g} s")

    def _died(self, worker, *, reason=None):
        """Account for a worker that died: the item it was on (its marker says which) fails with the
        reason, the rest of its chunk (the results it had not sent too) goes back to the front of the
        queue, and the caller's thread starts another worker."""
        worker.process.join()
        worker.conn.close()
        worker.alive = False
        at = worker.current.value
        with self.changed:
            rest = []
            for index, item in worker.chunk or ():
                if index == at:
                    result = self.on_death(item, reason or self._death_reason(worker.process.exitcode))
                    self.results[index] = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
                else:
                    rest.append((index, item))
            if rest:
                self.queue.appendleft(rest)
            worker.chunk = None
            self.changed.notify_all()

    def _death_reason(self, exitcode):
        if exitcode is not None and exitcode < 0:
            number = -exitcode
            if number == signal.SIGXCPU:
                return f"over {self.cpu_seconds:g} s of CPU time"
            return f"signal {number}, {signal.strsignal(number) or 'unknown signal'}"
        return f"exit status {exitcode}"


class _Worker:
    def __init__(self, process, conn, current):
        self.process, self.conn = process, conn
        self.current = current  # the index of the item it is on (IDLE between items): it writes, we read
        self.alive = True
        self.chunk = None  # the (index, item) pairs sent and not answered yet; None when idle
        self.seen = (IDLE, 0.0)  # its marker when last looked at, and since when (time.monotonic)


class _End:
    """The end of the items (``None`` may be an item)."""


_END = _End()


def _serve(conn, current, work, state, cpu_seconds):
    """A worker's main function: chunks in, their results out (one message a chunk: a message an
    item would cost more than a small item's work), until told to stop. ``current`` names the item
    it is on, so that when this process dies its parent knows which item killed it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler (the task worker's): just end
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file in the folder
    parent = os.getppid()
    while True:
        while not conn.poll(IDLE_CHECK_SECONDS):
            if os.getppid() != parent:  # the parent died (killed): nobody will read the results
                return
        chunk = conn.recv()
        if chunk is None:
            return
        results = []
        for index, item in chunk:
            current.value = index
            _limit_cpu(cpu_seconds)
            # Pickled here, so that a result that cannot be is the fault of its item, not of the chunk.
            results.append((index, pickle.dumps(work(state, item), pickle.HIGHEST_PROTOCOL)))
        current.value = IDLE
        conn.send(results)


def _limit_cpu(seconds):
    """Let this process use ``seconds`` more of CPU time (whole seconds: the limit's unit), then be
    ended by SIGXCPU."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + seconds)
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
