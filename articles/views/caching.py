"""Cache keys of bounded length, and a short-lived cache of whole public pages for anonymous readers."""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language


def cache_key(namespace, *parts):
    """``archive:<namespace>:<hash of parts>``: short and ASCII however long or Unicode the parts are.

    Memcached refuses keys over 250 bytes or with spaces, and a Chinese path percent-encoded
    grows nine-fold, so every variable part of a key is hashed.
    """
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16).hexdigest()
    return f"archive:{namespace}:{digest}"


def cache_public_page(view):
    """Serve repeat requests for the same page from the cache for ARCHIVE_PAGE_CACHE_SECONDS.

    Only anonymous readers share cached pages: a request that carries a session cookie
    (staff previewing drafts) always gets a fresh page, and only plain 200 responses
    that set no cookie are kept. The key holds host, language and full path, so page
    numbers, filters and both languages are cached apart. Security headers are added by
    the middleware on every response, cached or not.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        timeout = settings.ARCHIVE_PAGE_CACHE_SECONDS
        if not timeout or request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        key = cache_key("page", request.get_host(), get_language(), request.get_full_path())
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies and not response.streaming:
                cache.set(key, response, timeout)
        return response

    return wrapped
