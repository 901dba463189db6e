"""Recording an import run as it goes: its process (so a dead one shows), a heartbeat with the
files done, and the result, written whatever happens."""

import os
import socket

from django.utils import timezone

from articles.models import ImportRun


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
    run.save()
