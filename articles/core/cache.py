"""Cache keys of bounded length, and how long each kind of entry is kept: the one table of timeouts.

Four of them are settings (docs/configuration.md), read when used so an override applies at once;
the others are fixed here, each with why.
"""

import hashlib

from django.conf import settings

# A card's key names everything it shows, so an edit makes a new key: the time only bounds memory.
CARD_SECONDS = 24 * 60 * 60
# A search-limit refusal, rendered once per path, host, language and script (never per query).
REFUSAL_SECONDS = 600


def page_seconds():
    """Whole canonical public pages, shared by anonymous readers (0: not kept)."""
    return settings.ARCHIVE_PAGE_CACHE_SECONDS


def count_seconds():
    """A list's count (how many page links to show) and its years."""
    return settings.ARCHIVE_COUNT_CACHE_SECONDS


def index_seconds():
    """The tags index, the date archive's counts, search facets and sitemaps."""
    return settings.ARCHIVE_INDEX_CACHE_SECONDS


def related_seconds():
    """An article version's related articles."""
    return settings.ARCHIVE_RELATED_CACHE_SECONDS


def cache_key(namespace, *parts):
    """``archive:<namespace>:<hash of parts>``: short and ASCII however long or Unicode the parts are.

    Memcached refuses keys over 250 bytes or with spaces, and a Chinese path percent-encoded
    grows nine-fold, so every variable part of a key is hashed.
    """
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16).hexdigest()
    return f"archive:{namespace}:{digest}"
