"""The cache named by CACHE_URL: per-process memory by default, or a Redis that every worker shares.

A Redis that cannot be reached must not take the site down, so the Redis backend here answers
like an empty cache while it is down (pages render uncached) and says so in the log, at most
once a minute (see ``outages``).
"""

from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from .outages import outage

# A cache read that waits longer than a render would is worse than no cache: Redis answers
# in well under a millisecond on a LAN, so a server that takes 0.25 s to accept or 0.5 s to
# answer is treated as down. One immediate retry reconnects a pooled connection that a Redis
# restart closed, instead of counting it as an outage.
CONNECT_TIMEOUT = 0.25
READ_TIMEOUT = 0.5
RETRIES = 1

REDIS_SCHEMES = ("redis", "rediss")
# Per-process memory: bounded, since each worker holds its own copy.
LOCAL_MEMORY = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10000}}


def cache_settings(url):
    """The CACHES["default"] entry for CACHE_URL: local memory when empty, Redis for redis:// or rediss://."""
    if not url:
        return dict(LOCAL_MEMORY)
    scheme = urlsplit(url).scheme
    if scheme not in REDIS_SCHEMES:
        raise ImproperlyConfigured(
            f"CACHE_URL must start with redis:// or rediss:// (or be empty for local memory), not {scheme or url!r}://"
        )
    return {"BACKEND": "archive.cache.ResilientRedisCache", "LOCATION": url}


def public_location(url):
    """The URL without its password, for log lines."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


class ResilientRedisCache(RedisCache):
    """Django's RedisCache with short timeouts, answering like an empty cache while Redis is down."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._options = {
            "socket_connect_timeout": CONNECT_TIMEOUT,
            "socket_timeout": READ_TIMEOUT,
            "retry": Retry(NoBackoff(), RETRIES),
            **self._options,
        }
        self._outage = outage(f"The cache at {', '.join(map(public_location, self._servers))}")

    def _try(self, fallback, method, *args, **kwargs):
        if not self._outage.available():
            return fallback
        try:
            return method(*args, **kwargs)
        except RedisError as error:
            self._outage.failed(error, "pages are served uncached")
            return fallback

    def get(self, key, default=None, version=None):
        return self._try(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._try({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._try(False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._try(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._try(None, super().delete_many, keys, version)

    def clear(self):
        return self._try(False, super().clear)

    def incr(self, key, delta=1, version=None):
        """Raises ValueError, as for a missing key, while Redis is down (callers then start a new count)."""
        missing = object()
        value = self._try(missing, super().incr, key, delta, version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found: the cache cannot be reached.")
        return value
