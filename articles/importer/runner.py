"""Running an import: find the files, parse them in parallel, write them in batches, report.

``import_paths`` is the entry point for files and folders, shared by the ``import_seeds`` command and
the admin; ``import_files`` imports items read from elsewhere (a git source's blobs) into a run.
Worker processes only read and parse (they never touch the database); the main process streams
their results into batched transactions, so memory stays flat however large the archive.
"""

import hashlib
import logging
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from enum import StrEnum
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, reset_queries
from django.utils import timezone
from tqdm import tqdm

from articles.core.batches import BATCH_SIZE
from articles.core.process_pool import ProcessPool
from articles.models import ImportRun
from articles.text.spaces import one_line

from . import runs
from .decode import decode_bytes
from .files import FileError, FileNote, SourceFile, discover
from .identity import import_key
from .known import KnownFiles
from .parse import parse_post
from .plan import Derived, NameMap, PendingPost, derive
from .post import NoFrontMatter, PostError
from .report import ImportReport, Outcome, unexpected
from .writer import BatchWriter, analyze, finish_index

# Files handed to a parse worker at a time; an import of fewer gets one worker. Even one file is
# parsed in a worker process (30 ms to start and stop one), never in this one: whatever a file does
# to the process parsing it (a C parser's crash, a loop), the import goes on, and so does the task
# worker running an admin upload. Which file is risky cannot be known before parsing it.
CHUNKSIZE = 64
# A file's parse is stopped past this much CPU time (a 5 MB post parses in a few seconds), or when
# its process gives no answer for this long (a loaded machine: generous; under the 5 minutes after
# which a run without a heartbeat shows as interrupted).
PARSE_CPU_SECONDS = 60
PARSE_WALL_SECONDS = 240
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

logger = logging.getLogger("articles.importer")
# A post of our own, parsed once in the importing process (see ``_warm_up``).
WARM_UP_POST = "---\ntitle: 测试\ndate: 2020-02-26\n---\n<p>正文 <img src='https://example.org/a.jpg'></p>\n"


class ImportStopped(Exception):
    """The database or the system stopped the run (a full disk, a lost connection); the message
    says why, in one line, and the run is closed with it."""


# What stops a run rather than failing one file: the writer lets only these through (see
# ``writer.stops_the_run``), and they come from the system, not from a bug.
STOPPING_ERRORS = (DatabaseError, OSError)


@dataclass
class ParseSettings:
    """One import's settings for its parse workers (handed to each when it starts: see ``ProcessPool``)."""

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


def parse_file(config, source):
    """Read, hash and parse one file with ``config`` (a ``ParseSettings``); never raises. Runs in a
    worker process."""
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
    except Exception as exc:  # a parser bug must not stop the run: report it against the file, log its traceback
        logger.exception("unexpected error parsing %s", source.display)
        return Result(source, ResultKind.FAILED, message=unexpected(exc))
    return Result(source, ResultKind.PARSED, post=post, content_hash=content_hash, derived=derived)


@cache
def _warm_up():
    """Parse a post of our own once in this process, so that what parsing builds on first use (the
    strip rules' selectors, the decoder's tables: 0.7 s) is inherited by every parse worker forked
    from it rather than built again in each."""
    parse_post(decode_bytes(WARM_UP_POST.encode("gb18030")), "warm-up.md", tz=UTC)


def parse_crashed(source, reason):
    """The result of a file whose parse process died (``ProcessPool``'s ``on_death``)."""
    logger.error("the parser crashed on %s (%s)", source.display, reason)
    return Result(source, ResultKind.FAILED, message=f"the parser crashed ({reason})")


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
    """Import the posts under ``paths`` (files and folders) and return an ``ImportReport``;
    ``ImportStopped`` when the database or the system cannot go on (a full disk, say).

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
    (``failure`` saying why when the block raised) whatever happens; ``ImportStopped`` when the
    database or the system cannot go on (a full disk, say)."""
    run = report.run
    try:
        runs.start(run)
    except STOPPING_ERRORS as exc:
        raise ImportStopped(_why_stopped(exc)) from exc
    try:
        yield
    except STOPPING_ERRORS as exc:
        run.failure = _why_stopped(exc)
        raise ImportStopped(run.failure) from exc
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
    if not sources:
        return
    run = report.run
    writer = BatchWriter(user=run.user, overwrite=run.overwrite, dry_run=run.dry_run)
    if run.overwrite:
        known = KnownFiles()
    elif known is None:
        known = KnownFiles.from_database(frozenset(s.relative for s in sources))
    config = ParseSettings(
        known=known,
        max_bytes=settings.IMPORT_MAX_FILE_BYTES,
        tz=timezone.get_default_timezone(),
        use_hashes=not run.overwrite,
        tag_names=writer.planner.tag_names,
        category_names=writer.planner.category_names,
    )
    workers = min(workers or len(os.sched_getaffinity(0)), -(-len(sources) // CHUNKSIZE))
    show = sys.stderr.isatty() if progress is None else progress
    _warm_up()
    with ProcessPool(
        parse_file,
        config,
        workers=workers,
        chunksize=CHUNKSIZE,
        ahead=BATCH_SIZE + workers * IN_FLIGHT_PER_WORKER,  # a batch more than one being written
        on_death=parse_crashed,
        cpu_seconds=PARSE_CPU_SECONDS,
        wall_seconds=PARSE_WALL_SECONDS,
    ) as pool:
        bar = tqdm(pool.imap(sources), total=len(sources), disable=not show, unit="post", file=sys.stderr)
        _consume(bar, writer, report, on_result)


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
        except Exception as exc:  # a bug must not stop the run: report it against the file, log its traceback
            logger.exception("unexpected error importing %s", result.source.display)
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
        for note in outcome.notes:
            report.note(outcome.item.display, note)
        for field_name in outcome.conflicts:
            report.conflict(outcome.item.display, field_name)
