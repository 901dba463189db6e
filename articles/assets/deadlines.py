"""One deadline per file, kept by the sockets themselves: connect, TLS, headers and body all end by it.

httpx's time limits are per operation: a read may wait ``timeout`` seconds, and the next read may
wait as long again. A host that sends one header line a second, or an HTTP 102 every second, never
lets a single read wait long, and held the archiver for 93 s against a 20 s limit. So the fetcher
sets the file's deadline (``until``) for the thread that fetches it, and every socket operation
(sync httpx does all of a request's I/O in the calling thread) may wait only for what is left of
it: once it has passed, the next read, write or connect raises httpcore's timeout at once, and httpx
closes the connection as for any timeout. No watchdog thread, nothing left open.

Name resolution is not covered: ``getaddrinfo`` cannot be interrupted, and the system resolver
has its own limits.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from time import monotonic

import httpcore

_deadline = ContextVar("fetch_deadline", default=None)


@contextmanager
def until(deadline):
    """Socket operations in this thread end by ``deadline`` (a ``monotonic()`` time) inside the block."""
    token = _deadline.set(deadline)
    try:
        yield
    finally:
        _deadline.reset(token)


def left(timeout, error):
    """``timeout`` cut to what is left before the deadline; ``error`` raised when nothing is left."""
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    remaining = deadline - monotonic()
    if remaining <= 0:
        raise error("the file's time limit has passed")
    return remaining if timeout is None else min(timeout, remaining)


class DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation waits only for what is left of the deadline."""

    def __init__(self, stream):
        self._stream = stream

    def read(self, max_bytes, timeout=None):
        return self._stream.read(max_bytes, left(timeout, httpcore.ReadTimeout))

    def write(self, buffer, timeout=None):
        self._stream.write(buffer, left(timeout, httpcore.WriteTimeout))

    def close(self):
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        stream = self._stream.start_tls(ssl_context, server_hostname, left(timeout, httpcore.ConnectTimeout))
        return DeadlineStream(stream)

    def get_extra_info(self, info):
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend, its connections keeping the deadline."""

    def __init__(self):
        self._backend = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        timeout = left(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._backend.connect_tcp(host, port, timeout, local_address, socket_options))
