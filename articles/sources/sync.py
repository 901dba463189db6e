"""Syncing a source: fetch its branch, and bring the archive to the new head through the importer.

A sync that finds no new commit costs a fetch and two small UPDATEs: it reads no post and records no
run. Otherwise it is an import run (``ImportRun.Source.SYNC``) naming the source and the commit range,
with a ``SourceSync`` beside it. The last synced commit moves only in the transaction that completes
the sync, so a sync killed at any point is finished by the next one, which redoes the same plan
(imports, renames and deletions are all safe to redo: nothing is duplicated).
"""

import time
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.core.locations import redact
from articles.importer.report import ImportReport
from articles.importer.runner import ResultKind, import_files, recorded
from articles.models import ImportRun, Source, SourceSync
from articles.models.sources import clone_dir

from . import lock, records, removals
from .blobs import GitFile, close_readers
from .changes import plan_sync
from .git import Clone, GitError


class State(StrEnum):
    SYNCED = "synced"  # a new head was imported
    UNCHANGED = "unchanged"  # no new commit
    FAILED = "failed"  # the source could not be read, or the sync stopped: nothing moved
    BUSY = "busy"  # another sync of the source holds its lock


@dataclass
class SyncResult:
    source: str
    state: State
    message: str
    run: ImportRun | None = None


class SourceError(Exception):
    """The source cannot be read: the message names it and says why."""


def sync_source(source, *, progress=False, workers=None):
    """Sync ``source`` (a ``Source``) now, in this process; a ``SyncResult``."""
    owner = lock.acquire(source.pk)
    if owner is None:
        return SyncResult(source.name, State.BUSY, f"source {source.name}: another sync of it is running")
    run = None
    try:
        source.refresh_from_db()
        Source.objects.filter(pk=source.pk).update(last_attempt_at=timezone.now())
        clone = Clone(clone_dir(source))
        head = _fetch(source, clone)
        if head.sha == source.last_commit:
            lock.release(source.pk, owner, last_synced_at=timezone.now(), last_error="", failures=0)
            return SyncResult(source.name, State.UNCHANGED, f"source {source.name}: no new commit ({head.sha[:12]})")
        run = ImportRun(source=ImportRun.Source.SYNC, paths=describe(source, source.last_commit, head.sha))
        report = ImportReport(dry_run=False, run=run)
        with recorded(report):
            sync = SourceSync.objects.create(run=run, source=source, from_commit=source.last_commit, to_commit=head.sha)
            _import(source, owner, clone, head, report, sync, progress=progress, workers=workers)
    except Exception as exc:  # the archive is as it was (or half-way, which the next sync completes)
        message = str(exc) if isinstance(exc, SourceError) else f"source {source.name}: {_why(exc)}"
        lock.release(source.pk, owner, last_error=message, failures=F("failures") + 1)
        return SyncResult(source.name, State.FAILED, message, run)
    finally:
        lock.release(source.pk, owner)  # a no-op once released with the result
        close_readers()
    counts = ", ".join(f"{n} {name}" for name, n in report.counts().items())
    return SyncResult(source.name, State.SYNCED, f"source {source.name}: synced to {head.sha[:12]} ({counts})", run)


def _fetch(source, clone):
    """Fetch the source's branch; its head commit, or ``SourceError`` naming the source."""
    try:
        clone.fetch(source.location, source.branch)
        return clone.commit(clone.head())
    except GitError as exc:
        raise SourceError(_fetch_error(source, str(exc))) from None


def _fetch_error(source, reason):
    where = redact(source.location)
    if "couldn't find remote ref" in reason and source.branch:
        return f"source {source.name}: the branch {source.branch!r} does not exist in {where}"
    if "couldn't find remote ref" in reason:
        return f"source {source.name}: {where} has no default branch (its HEAD names no commit): give a branch"
    return f"source {source.name}: cannot fetch from {where}: {reason}"


def describe(source, base, head):
    branch = source.branch or "default branch"
    span = f"{base[:12]}..{head[:12]}" if base else f"everything at {head[:12]}"
    return f"source {source.name} ({redact(source.location)}, {branch}): {span}"


def _import(source, owner, clone, head, report, sync, *, progress, workers):
    plan = plan_sync(clone, source, head)
    for note in plan.notes:
        report.note(source.name, note)
    sync.full = plan.full
    sync.renamed = records.move_renamed(source, plan.renames, report)
    stamp = head.committed_at.timestamp()
    files = [
        GitFile(clone.git_dir, f"{head.sha}:{path}" if entry.link else entry.blob, path, stamp)
        for path, entry in sorted(plan.imports.items())
    ]
    report.run.files_total = len(files)
    tracker = Tracker(source.pk, owner)
    known = None if plan.full else records.known_files(source, plan.imports)
    import_files(files, report, progress=progress, workers=workers, on_result=tracker, known=known)
    failed = tracker.failed | {display for display, _reason in report.errors}
    commits = {sha: clone.commit(sha) for sha in set(plan.deletions.values())}
    with transaction.atomic():
        involved = records.record_files(source, plan.imports, tracker.keys, failed)
        involved |= records.record_deletions(source, plan.deletions, commits)
        sync.removed, sync.restored = removals.refresh(involved)
        sync.save()
        kept = "hidden with the reason" if source.hide_removed else "kept"
        for path in sorted(plan.deletions):
            report.note(path, f"deleted from the source: its article is {kept}")
        done = lock.release(
            source.pk,
            owner,
            last_commit=head.sha,
            last_commit_message=head.subject[:500],
            last_commit_at=head.committed_at,
            last_synced_at=timezone.now(),
            last_error="",
            failures=0,
        )
        if not done:
            raise lock.LockLost("another sync took over this source before this one completed")


class Tracker:
    """Called with each file's parse result: which article key each file gave, which failed; beats
    the source's lock while a long import runs."""

    def __init__(self, source_id, owner):
        self.source_id, self.owner = source_id, owner
        self.keys, self.failed = {}, set()
        self.next_beat = time.monotonic() + lock.BEAT_SECONDS

    def __call__(self, result):
        path = result.source.relative
        if result.kind is ResultKind.FAILED:
            self.failed.add(path)
        elif result.key:
            self.keys[path] = result.key
        if time.monotonic() >= self.next_beat:
            lock.beat(self.source_id, self.owner)
            self.next_beat = time.monotonic() + lock.BEAT_SECONDS


def _why(exc):
    text = str(exc)
    return redact(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)
