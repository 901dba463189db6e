"""One archiving run: find the images of the articles in scope, fetch what is due, report.

A run can be killed at any moment and lose nothing: files are stored before their rows say so,
outcomes are saved every ``SAVE_EVERY`` images, and whatever was not saved is still due next time
(stored files are then found in place, not written again). A second run fetches nothing already
archived and touches the network only for failures whose retry time has come.
"""

import logging
import sys
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from time import monotonic

from django.conf import settings
from django.utils import timezone
from tqdm import tqdm

from articles.core.batches import chunked
from articles.models import Article, Asset

from . import records
from .discovery import image_urls
from .fetching import SKIPPED, Fetcher
from .guard import Guard
from .pipeline import Outcome, archive_one
from .warc import WARC_DIR, WarcFile

logger = logging.getLogger(__name__)

DEFAULT_WORKERS = 8
SAVE_EVERY = 100


@dataclass
class Scope:
    """Which articles a run covers: all by default."""

    article_ids: list | None = None
    published_since: object = None  # an aware datetime
    imported_since: object = None
    asset_ids: list | None = None  # just these images (no article is scanned)

    def articles(self):
        articles = Article.objects.all()
        if self.article_ids is not None:
            articles = articles.filter(id__in=self.article_ids)
        if self.published_since is not None:
            articles = articles.filter(published_at__gte=self.published_since)
        if self.imported_since is not None:
            articles = articles.filter(imported_at__gte=self.imported_since)
        return articles

    def assets(self):
        if self.asset_ids is not None:
            return Asset.objects.filter(id__in=self.asset_ids)
        everything = self.article_ids is None and self.published_since is None and self.imported_since is None
        return records.assets_of(None if everything else self.articles())


@dataclass
class RunReport:
    new: int = 0  # images found for the first time
    archived_before: int = 0
    fetched: int = 0
    already_stored: int = 0  # fetched, but the same content was stored already
    downloaded: int = 0  # bytes
    stored: int = 0  # bytes added to storage (originals and derivatives)
    problems: Counter = field(default_factory=Counter)  # (status, reason) -> images
    skipped: int = 0  # hosts that asked to be left alone: tried next run
    left: int = 0  # due, but past --limit or the time budget
    warc: str = ""

    def add(self, outcome):
        if outcome.status == Asset.Status.FETCHED:
            self.fetched += 1
            self.downloaded += outcome.size
            self.stored += outcome.written
            self.already_stored += not outcome.written
        elif outcome.status == SKIPPED:
            self.skipped += 1
        else:
            self.problems[outcome.status, outcome.error.split(": ")[0][:80]] += 1  # the reason, not its details

    def summary(self):
        """The run in a few lines: fetched, already stored, failed by reason, bytes."""
        failed = sum(self.problems.values())
        lines = [
            f"{self.fetched:,} fetched ({self.already_stored:,} already stored), {failed:,} not archived, "
            f"{self.archived_before:,} archived before, {self.new:,} new images found",
            f"{_size(self.downloaded)} downloaded, {_size(self.stored)} stored",
        ]
        lines += [f"  {status}: {reason}: {n:,}" for (status, reason), n in sorted(self.problems.items())]
        if self.skipped or self.left:
            lines.append(f"{self.skipped + self.left:,} left for the next run")
        if self.warc:
            lines.append(f"WARC: {self.warc}")
        return lines


def archive_assets(scope=None, *, retry_failed=False, workers=DEFAULT_WORKERS, limit=None, seconds=None, progress=None):
    """Archive the images of the articles in ``scope``; returns a RunReport.

    ``limit``: at most this many images fetched; ``seconds``: the admin's budget: no new fetch
    starts after this long, and a fetch still running then is cut off (headers included) and left
    for the next run; ``progress``: a bar on stderr (default: when it is a terminal).
    """
    scope = scope or Scope()
    report = RunReport()
    if scope.asset_ids is None:
        report.new = find_images(scope.articles())
    assets = scope.assets()
    now = timezone.now()
    report.archived_before = assets.filter(status=Asset.Status.FETCHED).count()
    due = list(records.due(assets, now, retry_failed=retry_failed).values_list("id", "url", "tries"))
    if limit is not None:
        report.left, due = max(len(due) - limit, 0), due[:limit]
    if not due:
        return report
    warc = WarcFile(settings.MEDIA_ROOT / WARC_DIR)
    fetcher = make_fetcher(workers)
    fetcher.stop_at = monotonic() + seconds if seconds else None
    show = sys.stderr.isatty() if progress is None else progress
    try:
        with tqdm(total=len(due), disable=not show, unit="image", file=sys.stderr) as bar:
            report.left += _fetch_all(due, report, fetcher, warc, workers, bar)
    finally:
        fetcher.close()
        warc.close()
    report.warc = str(warc.path) if warc.records else ""
    return report


def find_images(articles):
    """Link each article to the images it shows, a batch of articles at a time; returns new images."""
    new = 0
    # Every article's body is read: it is stored compressed, so SQL cannot look for "<img" in it.
    ids = list(articles.order_by("id").values_list("id", flat=True))
    for batch in chunked(ids):
        chunk = Article.objects.filter(id__in=batch)
        found = {
            pk: image_urls(body, lead, base)
            for pk, body, lead, base in chunk.values_list("id", "body_html", "lead_image_url", "original_url")
        }
        new += records.link_images(found)
    return new


def make_fetcher(workers):
    guard = Guard(
        allow_private=settings.ARCHIVE_ASSETS_ALLOW_PRIVATE, allow_networks=settings.ARCHIVE_ASSETS_ALLOW_NETWORKS
    )
    return Fetcher(
        guard,
        user_agent=settings.ARCHIVE_ASSETS_USER_AGENT,
        max_bytes=settings.ARCHIVE_ASSET_MAX_BYTES,
        timeout=settings.ARCHIVE_ASSET_TIMEOUT,
        connect_timeout=settings.ARCHIVE_ASSET_CONNECT_TIMEOUT,
        connections=2 * workers,
    )


def _fetch_all(due, report, fetcher, warc, workers, bar):
    """Fetch ``due`` with ``workers`` threads, saving outcomes as they come; returns how many were left."""
    stop_at = fetcher.stop_at
    tries = {pk: count for pk, _url, count in due}
    queue = iter(due)
    unsaved = []
    with ThreadPoolExecutor(workers, thread_name_prefix="archive") as pool:
        running = set()
        try:
            while True:
                while len(running) < 2 * workers and (stop_at is None or monotonic() < stop_at):
                    item = next(queue, None)
                    if item is None:
                        break
                    running.add(pool.submit(_attempt, *item[:2], fetcher=fetcher, warc=warc))
                if not running:
                    break
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    outcome = future.result()
                    report.add(outcome)
                    unsaved.append(outcome)
                    bar.update()
                if len(unsaved) >= SAVE_EVERY:
                    records.save_outcomes(unsaved, timezone.now(), tries)
                    unsaved = []
        finally:
            for future in running:
                future.cancel()
            records.save_outcomes(unsaved, timezone.now(), tries)
    return sum(1 for _ in queue)


def _attempt(asset_id, url, *, fetcher, warc):
    try:
        return archive_one(asset_id, url, fetcher=fetcher, warc=warc, max_pixels=settings.ARCHIVE_ASSET_MAX_PIXELS)
    except Exception as error:  # a storage or library failure: this image waits for the next run
        logger.exception("archiving %s failed", url)
        return Outcome(asset_id, Asset.Status.FAILED, error=f"internal error: {error}")


def _size(n):
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
