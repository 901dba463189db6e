"""WebP copies made on the first request for each, when pages link them to the app's own ``/media/``.

Encoding the copies costs several times what decoding the picture does (CPU here, for photos 2,048
px wide: 9 ms to decode one in full, 27 ms to encode its 1,440 px copy, 8 ms the 720 and 2.6 ms
the 360), and most archived pictures are seldom shown, many never at 1,440 px. So
``archive_assets`` verifies and stores the original and records the widths worth making
(``Asset.variants``, which pages put in ``srcset``); the first request for a copy makes it and
stores it, and later ones are served the stored file (by nginx, from disk, in production).

- Only a width recorded for a fetched picture is made: any other name is a 404, so nobody can have
  the app resize pictures to widths of their choosing.
- One request makes a copy: others for the same copy at the same time, from any thread or worker
  process of the host, wait on its lock (``flock`` on one of ``LOCK_FILES`` files under
  ``MEDIA_ROOT/locks/``, released by the kernel if a worker dies) and then serve what it stored.
  It is written whole (``storage.store_whole``): nginx, serving the same name, never sees half of it.
- An original that cannot be decoded any more (damaged on disk) or is missing: a 404, and a warning
  in the log naming the file and the reason.
- The original is decoded once, a JPEG at the smallest scale that covers the width
  (``derivatives.copy_of``).
- When pages link another site (``MEDIA_URL`` on a CDN, or a bucket's own URLs), requests for
  copies never reach the app, so the archiver makes every copy as it archives (``on_request``).
"""

import fcntl
import logging
import zlib
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from articles.models import Asset
from articles.models.assets import STORAGE_PREFIX

from . import storage
from .derivatives import copy_of
from .verification import Refused

logger = logging.getLogger(__name__)

LOCK_FILES = 64  # copies share a lock only when their names fall on the same file


def on_request():
    """Whether copies are made on first request: pages link archived files to this site's ``/media/``."""
    return settings.MEDIA_URL.startswith("/") and storage.url(STORAGE_PREFIX).startswith("/")


def made(sha256, width):
    """The WebP copy ``width`` wide of the archived picture ``sha256``: stored, or made and stored now.

    None when no such copy is planned, or its original is not stored.
    """
    planned = Asset.objects.filter(sha256=sha256, status=Asset.Status.FETCHED).values_list("kind", "variants")
    found = planned.first()
    if found is None or width not in found[1]:
        return None
    name = storage.variant_name(sha256, width)
    with lock(name):
        data = storage.read(name)  # made while this request waited for the lock
        if data is None:
            original_name = storage.original_name(sha256, found[0])
            original = storage.read(original_name)
            if original is None:
                logger.warning("no %s px copy of %s: the file is not stored", width, original_name)
                return None
            data = _make(original_name, original, width)
            if data is None:
                return None
            storage.store_whole(name, data)
    return data


def _make(name, original, width):
    """The copy's bytes, or None (logged with the file and the reason) when the stored original
    cannot be decoded: damaged on disk since it was verified, or over a pixel limit lowered since."""
    try:
        return copy_of(original, width, max_pixels=settings.ARCHIVE_ASSET_MAX_PIXELS)
    except Refused as error:
        logger.warning("no %s px copy of %s: %s", width, name, error)
        return None


@contextmanager
def lock(name):
    """Hold the lock of the copy ``name`` on this host, across threads and processes (yields its file)."""
    folder = Path(settings.MEDIA_ROOT) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"copies-{zlib.crc32(name.encode()) % LOCK_FILES:02d}.lock"
    # Opened for each hold: flock excludes another open file, in this process's other threads too.
    with open(path, "ab") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        yield path
