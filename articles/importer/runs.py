"""Recording an import run as it goes: its process (so a dead one shows), a heartbeat with the
files done, and the result, written whatever happens."""

import logging
import os
import socket

from django.db import DatabaseError
from django.utils import timezone

from articles.models import ImportRun

logger = logging.getLogger("articles.importer")


def start(run):
    """Mark ``run`` (a new one, or a queued upload's) as running in this process."""
    now = timezone.now()
    run.started_at = run.heartbeat_at = now
    run.host, run.pid = socket.gethostname(), os.getpid()
    run.files_done = 0
    run.save()


def beat(run, report):
    """Record that ``run`` is alive, the files done and the counts so far (one UPDATE)."""
    run.heartbeat_at = timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(
        heartbeat_at=run.heartbeat_at, files_done=run.files_done, files_total=run.files_total, **report.counts()
    )


def finish(run, report):
    """Store ``report``'s counts and lines and mark ``run`` finished (``run.failure`` says if it stopped)."""
    run.finished_at = run.heartbeat_at = timezone.now()
    for outcome, n in report.counts().items():
        setattr(run, outcome, n)
    report.errors.sort()
    run.errors = [list(error) for error in report.errors]
    run.conflicts = [list(conflict) for conflict in report.conflicts]
    run.notes = [list(note) for note in report.notes]
    try:
        run.save()
    except DatabaseError:  # a full disk, say: close the run with the least it needs (the row exists)
        try:
            ImportRun.objects.filter(pk=run.pk).update(
                finished_at=run.finished_at, heartbeat_at=run.finished_at, failure=run.failure, **report.counts()
            )
        except DatabaseError:  # not even that: the run shows as interrupted once this process ends
            logger.exception("import run %s could not be closed", run.pk)
