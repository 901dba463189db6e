"""One image's way into the archive: fetch, record in the WARC, verify, store (and derive, when the
WebP copies are not made on request: ``copies.py``).

Runs in the run's worker threads and touches no database: it returns an ``Outcome`` that the
run's own thread writes (``records.save_outcomes``). Pillow releases the GIL while it decodes,
resizes and encodes, so threads use both cores; a semaphore keeps at most one decode per core,
which also bounds memory (one decoded picture per core).
"""

import hashlib
import os
import threading
from dataclasses import dataclass, field

from articles.models import Asset

from . import copies, derivatives, storage
from .fetching import FAILED, GONE, OK, REFUSED, SKIPPED
from .verification import Refused, decode, open_image, verify

STATUSES = {FAILED: Asset.Status.FAILED, GONE: Asset.Status.GONE, REFUSED: Asset.Status.REFUSED, SKIPPED: SKIPPED}
_decoding = threading.BoundedSemaphore(os.cpu_count() or 2)


@dataclass
class Outcome:
    """What one attempt found; ``status`` is an Asset status, or SKIPPED (left for the next run)."""

    asset_id: int
    status: str
    http_status: int | None = None
    error: str = ""
    retry_after: object = None
    sha256: str = ""
    kind: str = ""
    size: int = 0
    width: int | None = None
    height: int | None = None
    variants: list = field(default_factory=list)
    written: int = 0  # bytes this attempt added to storage (0: the content was stored already)


def archive_one(asset_id, url, *, fetcher, warc, max_pixels):
    """Fetch ``url`` and keep it if it is a sound image; never raises for a bad file or server."""
    result = fetcher.fetch(url)
    warc.write(result.exchanges)
    if result.outcome != OK:
        return Outcome(asset_id, STATUSES[result.outcome], result.http_status, result.error, result.retry_after)
    try:
        outcome = keep(asset_id, result.body, max_pixels=max_pixels)
    except Refused as error:
        return Outcome(asset_id, Asset.Status.REFUSED, result.http_status, str(error))
    outcome.http_status = result.http_status
    return outcome


def keep(asset_id, data, *, max_pixels):
    """Verify ``data``, then store it under its SHA-256 (once per content), with its WebP copies when
    they are not made on request (``copies.on_request``).

    The original is stored last, so a stored original means its copies are stored too (or are made
    on request) and that it was verified: the same content at another URL is neither decoded nor
    written again, only its headers are read.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    picture = open_image(data, max_pixels=max_pixels)
    widths = derivatives.planned_widths(picture.width, animated=picture.animated)
    original = storage.original_name(sha256, picture.kind)
    rendered, stored = {}, storage.is_stored(original, len(data))
    if not stored:
        with _decoding:
            if copies.on_request():
                verify(picture)
            else:
                rendered = derivatives.render(decode(picture, draft_width=max(widths, default=None)), widths)
    picture.image.close()
    written = sum(
        len(copy) for width, copy in rendered.items() if storage.store(storage.variant_name(sha256, width), copy)
    )
    if not stored and storage.store(original, data):
        written += len(data)
    return Outcome(
        asset_id,
        Asset.Status.FETCHED,
        sha256=sha256,
        kind=picture.kind,
        size=len(data),
        width=picture.width,
        height=picture.height,
        variants=sorted(widths),
        written=written,
    )
