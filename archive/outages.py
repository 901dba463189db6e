"""Working on when a shared service (the cache, a read replica) cannot be reached.

After a failure the service is skipped for ``RETRY_SECONDS``, so a dead or hung server costs one
timeout per process every few seconds instead of one on every request, and each outage is
logged at most once per ``LOG_SECONDS``, so a long one does not flood the log.
"""

import logging
import threading
import time

logger = logging.getLogger("archive.outages")

RETRY_SECONDS = 5
LOG_SECONDS = 60


class Outage:
    """The failure state of one service in this process, shared by its threads."""

    clock = staticmethod(time.monotonic)

    def __init__(self, name):
        self.name = name
        self._retry_at = float("-inf")
        self._logged_at = float("-inf")
        self._lock = threading.Lock()

    def available(self):
        """False for RETRY_SECONDS after a failure: callers take their fallback without trying."""
        return self.clock() >= self._retry_at

    def failed(self, error, fallback):
        """Record a failure; log it unless this service's last log line is under LOG_SECONDS old."""
        now = self.clock()
        with self._lock:
            self._retry_at = now + RETRY_SECONDS
            if now - self._logged_at < LOG_SECONDS:
                return
            self._logged_at = now
        logger.error(
            "%s cannot be reached (%s: %s); %s. Retrying every %d s, logging at most once a minute.",
            self.name,
            type(error).__name__,
            error,
            fallback,
            RETRY_SECONDS,
        )


_outages = {}
_outages_lock = threading.Lock()


def outage(name):
    """The one Outage of the service called ``name`` in this process."""
    with _outages_lock:
        return _outages.setdefault(name, Outage(name))
