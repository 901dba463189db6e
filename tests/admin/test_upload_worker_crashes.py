"""The import worker survives an upload whatever its files do to the processes parsing them.

A real ``manage.py db_worker`` runs on a SQLite file of its own: an upload with a post nested
25,000 levels deep and one that kills its parser, then a good upload. Both imports finish (the
bad files fail with a line each), and SIGTERM then stops the worker at once.
"""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers import run_python, sqlite_env
from tests.importer.test_crashes import CRASHES, CRASHING_PARSER, DEEP, TOO_DEEP

from .test_uploads import POST, zip_upload

QUEUE_UPLOADS = """
import os
from django.core.files.uploadedfile import SimpleUploadedFile
from articles.curation.upload_runs import queue_upload
for path in sys.argv[1:]:
    upload = SimpleUploadedFile(os.path.basename(path), open(path, 'rb').read(), content_type='application/zip')
    queue_upload([upload], user=None)
"""
WORKER = (
    "import django; django.setup()\n"
    + CRASHING_PARSER
    + "from django.core.management import call_command\n"
    + "call_command('db_worker', '--no-reload', '--no-startup-delay', '--interval', '0.1')\n"
)
WAIT_SECONDS = 300  # only bounds a hang


def runs(database):
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT paths, finished_at IS NOT NULL, failure, created, failed, errors FROM articles_importrun"
        )
        return {row[0]: row[1:] for row in rows.fetchall()}


def task_statuses(database):
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT status FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at")
        return [row[0] for row in rows]


def wait_for(condition, process):
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert process.poll() is None, f"the worker stopped (exit status {process.returncode})"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_worker_survives_an_upload_that_crashes_its_parser_and_stops_on_sigterm(sqlite_file, tmp_path):
    env = sqlite_env(sqlite_file, IMPORT_UPLOAD_DIR=str(tmp_path / "uploads"))
    segv = POST.replace(b'title: "\xe6\xb5\x8b\xe8\xaf\x95"', b"title: SEGV")
    bad = {"_posts/2022-07-07-deep.md": DEEP["deep-list.md"], "_posts/2022-07-07-segv.md": segv}
    bad["_posts/2022-07-07-ok.md"] = POST
    good = {"_posts/2022-07-08-good.md": POST.replace(b"<p>hi</p>", b"<p>good</p>")}
    for name, members in ("bad.zip", bad), ("good.zip", good):
        (tmp_path / name).write_bytes(zip_upload(members, name=name).read())
    queued = run_python(QUEUE_UPLOADS, tmp_path / "bad.zip", tmp_path / "good.zip", env=env)
    assert queued.returncode == 0, queued.stderr
    with open(tmp_path / "worker.log", "wb") as log:
        command = [sys.executable, "-c", WORKER]
        options = {"cwd": settings.BASE_DIR, "env": env, "stdout": log, "stderr": log, "start_new_session": True}
        worker = subprocess.Popen(command, **options)  # noqa: S603
    try:
        wait_for(lambda: all(finished for finished, *_ in runs(sqlite_file).values()), worker)
        done = runs(sqlite_file)
        finished, failure, created, failed, errors = done["bad.zip"]
        assert (finished, failure, created, failed) == (1, "", 1, 2)
        assert f'["_posts/2022-07-07-deep.md", "{TOO_DEEP}"]' in errors
        assert f'["_posts/2022-07-07-segv.md", "{CRASHES["SEGV"]}"]' in errors
        assert done["good.zip"] == (1, "", 1, 0, "[]")
        assert task_statuses(sqlite_file) == ["SUCCESSFUL", "SUCCESSFUL"]
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=WAIT_SECONDS) == 0
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    assert not any((tmp_path / "uploads").iterdir())  # both uploads' files removed


HANGING_WORKER = """
import time, django
django.setup()
from articles.importer import runner
parse_post = runner.parse_post
def hanging(text, path, **options):
    if 'title: HANG' in text:
        time.sleep(3600)
    return parse_post(text, path, **options)
runner.parse_post = hanging
from django.core.management import call_command
call_command('db_worker', '--no-reload', '--no-startup-delay', '--interval', '0.1')
"""


def test_sigterm_twice_stops_a_worker_waiting_on_a_hung_parser_and_closes_the_run(sqlite_file, tmp_path):
    """The first SIGTERM lets the task finish (django-tasks' graceful stop); the second stops the
    import at once: the run is closed as stopped and no parse process is left behind."""
    env = sqlite_env(sqlite_file, IMPORT_UPLOAD_DIR=str(tmp_path / "uploads"))
    hang = POST.replace(b'title: "\xe6\xb5\x8b\xe8\xaf\x95"', b"title: HANG")
    (tmp_path / "hang.zip").write_bytes(zip_upload({"_posts/2022-07-07-hang.md": hang}, name="hang.zip").read())
    queued = run_python(QUEUE_UPLOADS, tmp_path / "hang.zip", env=env)
    assert queued.returncode == 0, queued.stderr
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        options = {"cwd": settings.BASE_DIR, "env": env, "stdout": log, "stderr": log, "start_new_session": True}
        worker = subprocess.Popen([sys.executable, "-c", HANGING_WORKER], **options)  # noqa: S603
    try:
        wait_for(lambda: children(worker.pid), worker)  # the import waits on its hung parse process
        worker.send_signal(signal.SIGTERM)
        wait_for(lambda: b"shutting down gracefully" in log_path.read_bytes(), worker)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=WAIT_SECONDS) == 0, log_path.read_text()  # its task failed, it did not
        finished, failure, *_ = runs(sqlite_file)["hang.zip"]
        assert (finished, failure) == (1, "shut down mid-run (SystemExit)")
        assert task_statuses(sqlite_file) == ["FAILED"]
        with pytest.raises(ProcessLookupError):  # its parse process went with it
            os.killpg(worker.pid, 0)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def children(pid):
    """The processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_bytes().rsplit(b")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found
