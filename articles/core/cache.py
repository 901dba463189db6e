"""Cache keys of bounded length."""

import hashlib


def cache_key(namespace, *parts):
    """``archive:<namespace>:<hash of parts>``: short and ASCII however long or Unicode the parts are.

    Memcached refuses keys over 250 bytes or with spaces, and a Chinese path percent-encoded
    grows nine-fold, so every variable part of a key is hashed.
    """
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16).hexdigest()
    return f"archive:{namespace}:{digest}"
