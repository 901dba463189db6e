"""Running an import: find the files, parse them in parallel, write them in batches, report.

``import_paths`` is the entry point for files and folders, shared by the ``import_seeds`` command and
the admin; ``import_files`` imports items read from elsewhere (a git source's blobs) into a run.
Worker processes only read and parse (they never touch the database); the main process streams
their results into batched transactions, so memory stays flat however large the archive.
"""

import hashlib
import multiprocessing
import os
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, reset_queries
from django.utils import timezone
from tqdm import tqdm

from articles.batches import BATCH_SIZE
from articles.importer.models import ImportRun

from . import runs
from .files import FileError, FileNote, SourceFile, discover
from .identity import import_key
from .known import KnownFiles
from .plan import Derived, NameMap, PendingPost, derive
from .post import NoFrontMatter, PostError
from .report import ImportReport, Outcome, one_line, unexpected
from .writer import BatchWriter, analyze, finish_index

# Fewer files than this parse in the main process: starting workers would cost more.
INLINE_LIMIT = 64
CHUNKSIZE = 64
# Posts parsed ahead of the writer: a whole batch more, so workers keep parsing while it is written.
IN_FLIGHT_PER_WORKER = 2 * CHUNKSIZE
# A batch is written at BATCH_SIZE posts or this many characters of text, whichever comes first,
# so a run of 20 KB posts does not hold 500 of them (and their history rows) at once.
BATCH_CHARS = 4_000_000
# Seconds between records of a run's heartbeat and progress: each is an UPDATE and a commit (1 ms,
# 13 ms on a loaded machine), so a fixed count of files would cost a fast import too much.
BEAT_SECONDS = 2
# Runs writing more articles than this refresh the planner's statistics afterwards.
ANALYZE_AFTER = 1000


@dataclass
class ParseSettings:
    """What a parse worker needs besides the file (see ``_worker_settings``)."""

    known: KnownFiles  # the imported articles' content hashes, paths and keys
    max_bytes: int
    tz: object
    use_hashes: bool
    tag_names: NameMap  # the alias tables, so workers prepare search documents with final names
    category_names: NameMap


class ResultKind(StrEnum):
    """What reading one file gave."""

    PARSED = "parsed"  # a post to write
    UNCHANGED = "unchanged"  # the bytes an article was imported from: not parsed again
    NOTE = "note"  # not a post (no front matter): skipped with a note
    FAILED = "failed"  # a file that cannot be imported, with the reason


@dataclass
class Result:
    source: SourceFile
    kind: ResultKind
    post: object = None
    content_hash: str = ""
    key: str = ""
    message: str = ""
    derived: Derived | None = None


# The running import's ParseSettings, set before the parse workers are forked so they inherit it
# (the pool's tasks then carry only file names); None between imports.
_worker_settings = None


def parse_file(source):
    """Read, hash and parse one file; never raises. Runs in a worker process."""
    from .decode import decode_bytes
    from .parse import parse_post

    config = _worker_settings
    try:
        data = source.read(config.max_bytes)
        content_hash = hashlib.sha256(data).hexdigest()
        known_key = config.known.key(content_hash, source.relative) if config.use_hashes else None
        if known_key:
            return Result(source, ResultKind.UNCHANGED, content_hash=content_hash, key=known_key)
        if not data.strip():
            raise PostError("empty file")
        mtime = source.modified()  # dates a draft without a date, as Jekyll does
        post = parse_post(decode_bytes(data), source.relative, tz=config.tz, mtime=mtime)
        derived = derive(post, config.tag_names, config.category_names)
    except NoFrontMatter as exc:
        return Result(source, ResultKind.NOTE, message=f"skipped: {exc}")
    except PostError as exc:
        return Result(source, ResultKind.FAILED, message=str(exc))
    except Exception as exc:  # a parser bug must not stop the run: report it against the file
        return Result(source, ResultKind.FAILED, message=unexpected(exc))
    return Result(source, ResultKind.PARSED, post=post, content_hash=content_hash, derived=derived)


def import_paths(
    paths,
    *,
    root=None,
    dry_run=False,
    overwrite=False,
    user=None,
    source=ImportRun.Source.COMMAND,
    progress=None,
    workers=None,
    run=None,
):
    """Import the posts under ``paths`` (files and folders) and return an ``ImportReport``.

    ``root``: what path-based import keys are relative to (default: each folder given, a file's
    parent). ``dry_run`` parses, merges and reports but writes no article (the run is still
    recorded, marked as a dry run). ``overwrite`` replaces curators' edits with the source.
    ``progress``: show a tqdm bar (default: only when stderr is a terminal). ``workers``: parsing
    processes (default: one per core). ``run``: an ``ImportRun`` recorded beforehand (a queued
    upload), whose user and options then apply. The run is marked finished whatever happens.
    """
    paths = [Path(p) for p in paths]
    if run is None:
        if user is not None and not getattr(user, "is_authenticated", False):
            user = None
        paths_text = "\n".join(map(str, paths))
        run = ImportRun(user=user, source=source, paths=paths_text, dry_run=dry_run, overwrite=overwrite)
    report = ImportReport(dry_run=run.dry_run, run=run)
    with recorded(report):
        import_files(_discover(paths, root, report), report, progress=progress, workers=workers)
    return report


@contextmanager
def recorded(report):
    """Run the block as ``report.run``: started in this process, and finished with the report
    (``failure`` saying why when the block raised) whatever happens."""
    run = report.run
    runs.start(run)
    try:
        yield
    except BaseException as exc:
        run.failure = _why_stopped(exc)
        raise
    finally:
        runs.finish(run, report)


def import_files(files, report, *, progress=None, workers=None, on_result=None, known=None):
    """Parse and write ``files`` (a list of ``SourceFile``, or items that read like one) into
    ``report``, within ``recorded(report)``. ``on_result(result)``: called with each ``Result`` as
    it is accounted for, its ``key`` set when it names an article (a git source records which
    article each of its files gave). ``known``: the ``KnownFiles`` to skip unchanged bytes with
    (default: every imported article's), for a caller that knows which articles its files can be."""
    _stream(files, report, progress=progress, workers=workers, on_result=on_result, known=known)
    if not report.run.dry_run and report.created + report.updated:
        finish_index()
    if not report.run.dry_run and report.created + report.updated > ANALYZE_AFTER:
        analyze()


def _discover(paths, root, report):
    """The post files under ``paths``; the files that cannot be read (or are not posts) go in the report."""
    sources = []
    for found in discover(paths, root=root, max_bytes=settings.IMPORT_MAX_FILE_BYTES):
        if isinstance(found, FileError):
            report.error(found.display, found.reason)
        elif isinstance(found, FileNote):
            report.note(found.display, found.note)
        else:
            sources.append(found)
    report.run.files_total = len(sources)
    runs.beat(report.run, report)
    return sources


def _stream(sources, report, *, progress, workers, on_result=None, known=None):
    """Parse ``sources`` in worker processes and write their posts in batches as the results come."""
    global _worker_settings
    run = report.run
    writer = BatchWriter(user=run.user, overwrite=run.overwrite, dry_run=run.dry_run)
    if run.overwrite:
        known = KnownFiles()
    elif known is None:
        known = KnownFiles.from_database(frozenset(s.relative for s in sources))
    _worker_settings = ParseSettings(
        known=known,
        max_bytes=settings.IMPORT_MAX_FILE_BYTES,
        tz=timezone.get_default_timezone(),
        use_hashes=not run.overwrite,
        tag_names=writer.planner.tag_names,
        category_names=writer.planner.category_names,
    )
    show = sys.stderr.isatty() if progress is None else progress
    try:
        with _parsed(sources, workers) as results:
            bar = tqdm(results, total=len(sources), disable=not show, unit="post", file=sys.stderr)
            _consume(bar, writer, report, on_result)
    finally:
        _worker_settings = None


def _consume(results, writer, report, on_result=None):
    """Account for each parse result and write the posts in batches, beating as the run goes."""
    run = report.run
    first_file = {}  # import key -> the file that gave it in this run
    batch, batch_chars = [], 0
    next_beat = time.monotonic() + BEAT_SECONDS
    for result in results:
        run.files_done += 1
        try:
            pending = _take(result, report, first_file)
        except Exception as exc:  # a bug must not stop the run: report it against the file
            report.error(result.source.display, unexpected(exc))
            pending = None
        if on_result is not None:
            on_result(result)
        if pending is not None:
            batch.append(pending)
            batch_chars += _size(pending)
        if len(batch) >= BATCH_SIZE or batch_chars >= BATCH_CHARS:
            _write(writer, batch, report)
            batch, batch_chars = [], 0
        if time.monotonic() >= next_beat:
            runs.beat(run, report)
            next_beat = time.monotonic() + BEAT_SECONDS
    _write(writer, batch, report)


def _why_stopped(exc):
    if isinstance(exc, KeyboardInterrupt | SystemExit):  # Ctrl-C, or a worker told to stop twice
        return f"shut down mid-run ({type(exc).__name__})"
    return one_line(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


def _size(pending):
    """Characters a pending post holds (its body, text and search document), to bound a batch's memory."""
    post = pending.post
    document = pending.derived.document.text if pending.derived else ""
    return len(post.body_html) + len(post.body_text) + len(document)


def _take(result, report, first_file):
    """Account for one parse result; return a ``PendingPost`` when it has something to write."""
    display = result.source.display
    if result.kind is ResultKind.FAILED:
        report.error(display, result.message)
        return None
    if result.kind is ResultKind.NOTE:
        report.note(display, result.message)
        report.count(Outcome.SKIPPED)
        return None
    post = result.post
    key = (
        result.key
        if result.kind is ResultKind.UNCHANGED
        else post.import_key or import_key(post.original_url, result.source.relative)
    )
    result.key = key
    if key in first_file:
        report.note(display, f"same article as {first_file[key]} ({key}): imported once, from the first file")
        report.count(Outcome.SKIPPED)
        return None
    first_file[key] = display
    if result.kind is ResultKind.UNCHANGED:
        report.count(Outcome.UNCHANGED)
        return None
    for warning in result.post.warnings:
        report.note(display, warning)
    return PendingPost(result.post, key, result.source.relative, display, result.content_hash, result.derived)


def _write(writer, batch, report):
    if settings.DEBUG and not connection.force_debug_cursor:
        reset_queries()  # with DEBUG, Django keeps every query's SQL: a big import would hold them all
    for outcome in writer.write(batch) if batch else ():
        if outcome.outcome is Outcome.FAILED:
            report.error(outcome.item.display, outcome.reason)
            continue
        report.count(outcome.outcome)
        for field_name in outcome.conflicts:
            report.conflict(outcome.item.display, field_name)


@contextmanager
def _parsed(sources, workers):
    """Parse results in the order of ``sources``: inline for a few files, else in a process pool."""
    workers = workers or len(os.sched_getaffinity(0))
    if workers <= 1 or len(sources) < INLINE_LIMIT:
        yield map(parse_file, sources)
        return
    # Children inherit open connections when forked; close them first unless a caller's
    # transaction is open (then the children, which never use them, just leave them alone).
    if not any(conn.in_atomic_block for conn in connections.all(initialized_only=True)):
        connections.close_all()
    throttle = _Throttle(sources, BATCH_SIZE + workers * IN_FLIGHT_PER_WORKER)
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        yield throttle.track(pool.imap(parse_file, throttle, chunksize=CHUNKSIZE))
        pool.close()
    except BaseException:
        throttle.stop()
        pool.terminate()
        raise
    finally:
        pool.join()


class _Throttle:
    """Feeds tasks to the pool only as fast as results are taken, so parsed posts never pile up."""

    def __init__(self, items, limit):
        self.items = items
        self.slots = threading.Semaphore(limit)
        self.stopped = threading.Event()

    def __iter__(self):
        for item in self.items:
            while not self.slots.acquire(timeout=0.2):
                if self.stopped.is_set():
                    return
            yield item

    def track(self, results):
        for result in results:
            self.slots.release()
            yield result

    def stop(self):
        self.stopped.set()
