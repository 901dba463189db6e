"""Admin uploads, imported in the background.

The web request only unpacks the upload into a folder of its own, records a queued import run and
enqueues a task; the worker (``manage.py db_worker``) runs the import. The folder is removed
however the task ends, and a killed worker's folder by the next task (its run shows interrupted).
"""

import os
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from articles.importer.runner import import_paths
from articles.models import ImportRun

from .uploads import extract_uploads

RUN_PREFIX = "run-"
PARTIAL_PREFIX = "partial-"
# A folder still being unpacked belongs to a web request; after this long, to a killed one.
PARTIAL_MAX_AGE = 3600  # seconds
LIVE_STATES = (ImportRun.State.QUEUED, ImportRun.State.RUNNING)


def run_folder(run_id):
    return Path(settings.IMPORT_UPLOAD_DIR) / f"{RUN_PREFIX}{run_id}"


def queue_upload(files, *, user, dry_run=False, overwrite=False):
    """Unpack ``files`` (``UploadError`` when refused), record a queued run, enqueue its import."""
    root = Path(settings.IMPORT_UPLOAD_DIR)
    root.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=PARTIAL_PREFIX, dir=root))
    run = None
    try:
        extract_uploads(files, partial)
        run = ImportRun.objects.create(
            user=user,
            source=ImportRun.Source.ADMIN,
            paths="\n".join(upload.name for upload in files),
            dry_run=dry_run,
            overwrite=overwrite,
        )
        partial.rename(run_folder(run.pk))
        import_upload.enqueue(run.pk)
    except BaseException as exc:
        shutil.rmtree(partial, ignore_errors=True)
        if run is not None:
            shutil.rmtree(run_folder(run.pk), ignore_errors=True)
            _close(run.pk, f"not queued: {type(exc).__name__}: {exc}")
        raise
    return run


@task()
def import_upload(run_id):
    """Import queued run ``run_id``'s upload (in the worker), then remove its folder."""
    folder = run_folder(run_id)
    try:
        remove_stale_folders()
        run = ImportRun.objects.filter(pk=run_id, heartbeat_at=None, finished_at=None).first()
        if run is not None:  # else deleted by a curator, or already run
            import_paths([folder], root=folder, run=run, progress=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        _close(run_id, "the import task ended before the import started")


def remove_stale_folders():
    """Remove the upload folders no task will use: those of runs finished, interrupted (a killed
    worker's) or deleted, and unpacking cut short over an hour ago (a killed web request's)."""
    try:
        entries = list(os.scandir(settings.IMPORT_UPLOAD_DIR))
    except FileNotFoundError:
        return
    runs = {}
    for entry in entries:
        suffix = entry.name.removeprefix(RUN_PREFIX)
        if suffix != entry.name and suffix.isdigit():
            runs[int(suffix)] = entry.path
        elif entry.name.startswith(PARTIAL_PREFIX) and time.time() - entry.stat().st_mtime > PARTIAL_MAX_AGE:
            shutil.rmtree(entry.path, ignore_errors=True)
    live = {run.pk for run in ImportRun.objects.filter(pk__in=runs, finished_at=None) if run.state in LIVE_STATES}
    for run_id, path in runs.items():
        if run_id not in live:
            shutil.rmtree(path, ignore_errors=True)


def _close(run_id, failure):
    """Mark the run finished with ``failure`` if its import never started (once started, the
    import closes it itself)."""
    now = timezone.now()
    unstarted = ImportRun.objects.filter(pk=run_id, heartbeat_at=None, finished_at=None)
    unstarted.update(finished_at=now, heartbeat_at=now, failure=failure)
