"""Admin uploads run in the background: the upload answers at once, the worker imports, the run
page shows progress and the result, and the upload's files go however the import ends."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.curation import upload_runs
from articles.models import Article, ImportRun
from tests.factories import dead_pid, make_unfinished_run

from .test_uploads import POST, URL, zip_upload

BAD = b"---\ntitle: [\n---\n"


# The worker closes connections it finds inside a transaction (a plain test's): it needs real commits.
in_process_worker = pytest.mark.django_db(transaction=True)


def page(run):
    return reverse("admin:articles_importrun_change", args=[run.pk])


def upload(client, members=None, **data):
    members = members or {"_posts/2022-07-07-ok.md": POST, "_posts/2022-07-08-bad.md": BAD}
    return client.post(URL, {"files": [zip_upload(members)], **data})


@pytest.mark.django_db
def test_the_upload_answers_at_once_with_the_queued_runs_page(editor_client, upload_dir):
    response = upload(editor_client)
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response.url == page(run)
    assert not Article.objects.exists()  # nothing imported in the request
    assert sorted(p.name for p in (upload_dir / f"run-{run.pk}" / "_posts").iterdir()) == [
        "2022-07-07-ok.md",
        "2022-07-08-bad.md",
    ]
    [task] = DBTaskResult.objects.all()
    assert (task.status, task.task_path, task.args_kwargs["args"]) == (
        TaskResultStatus.READY,
        "articles.curation.upload_runs.import_upload",
        [run.pk],
    )
    text = editor_client.get(response.url).text
    assert "queued: waiting for the import worker" in text
    assert '<meta http-equiv="refresh" content="2">' in text


@in_process_worker
def test_the_worker_imports_the_upload_and_the_run_page_shows_the_result(editor_client, editor, upload_dir, run_worker):
    run_page = upload(editor_client).url
    run_worker()
    run = ImportRun.objects.get()
    assert (run.state, run.user, run.source, run.created, run.failed) == ("finished", editor, "admin", 1, 1)
    assert run.paths == "site.zip"
    assert (run.files_total, run.files_done) == (2, 2)
    assert Article.objects.get().title == "测试"
    article = Article.objects.get()
    assert not article.history.exists()  # its own first version until it changes
    article.save()
    assert article.history.earliest().history_user == editor  # the first version: the editor's import
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    assert not any(upload_dir.iterdir())  # the upload's files are gone
    response = editor_client.get(run_page)
    assert response.status_code == 200
    assert "_posts/2022-07-08-bad.md" in response.text  # the per-file error
    assert "refresh" not in response.text


@in_process_worker
def test_a_dry_run_upload_writes_nothing(editor_client, run_worker):
    run_page = upload(editor_client, dry_run="on").url
    run_worker()
    assert not Article.objects.exists()
    assert ImportRun.objects.get().created == 1
    assert "finished: a dry run, nothing was written" in editor_client.get(run_page).text


@in_process_worker
def test_a_failing_import_still_finishes_its_run_and_removes_its_files(
    editor_client, upload_dir, run_worker, monkeypatch
):
    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("articles.importer.runner._stream", fail)
    run_page = upload(editor_client).url
    run_worker()
    run = ImportRun.objects.get()
    assert (run.state, run.failure) == (ImportRun.State.FAILED, "OSError: disk full")
    assert run.finished_at is not None
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    assert not any(upload_dir.iterdir())
    assert "stopped: OSError: disk full" in editor_client.get(run_page).text


@in_process_worker
def test_a_task_failing_before_the_import_starts_still_closes_the_run(
    editor_client, upload_dir, run_worker, monkeypatch
):
    monkeypatch.setattr(upload_runs, "remove_stale_folders", lambda: 1 / 0)
    upload(editor_client)
    run_worker()
    run = ImportRun.objects.get()
    assert (run.state, run.failure) == (ImportRun.State.FAILED, "the import task ended before the import started")
    assert not any(upload_dir.iterdir())


@in_process_worker
def test_the_next_task_removes_what_killed_runs_and_requests_left(editor_client, upload_dir, run_worker):
    upload_dir.mkdir()
    killed = make_unfinished_run(pid=dead_pid())
    queued = ImportRun.objects.create()  # its task has not run yet: its files stay
    old_partial, new_partial = upload_dir / "partial-old", upload_dir / "partial-new"
    for folder in (upload_dir / f"run-{killed.pk}", upload_dir / f"run-{queued.pk}", old_partial, new_partial):
        folder.mkdir()
        (folder / "a.md").write_bytes(POST)
    hours_ago = time.time() - 2 * upload_runs.PARTIAL_MAX_AGE
    os.utime(old_partial, (hours_ago, hours_ago))
    upload(editor_client)
    run_worker()
    assert sorted(p.name for p in upload_dir.iterdir()) == ["partial-new", f"run-{queued.pk}"]


@pytest.mark.django_db
def test_a_refused_upload_leaves_no_run_no_task_and_no_files(editor_client, upload_dir):
    response = upload(editor_client, {"../x.md": POST})
    assert response.status_code == 200
    assert "paths with &#x27;..&#x27; are not allowed" in response.text
    assert not ImportRun.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert not any(upload_dir.iterdir())


@pytest.mark.django_db
def test_uploading_still_needs_the_import_permission(client, django_user_model):
    staff = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(staff)
    assert upload(client).status_code == 403
    assert not ImportRun.objects.exists()
    assert not DBTaskResult.objects.exists()


def worker_process(upload_dir, *, batch, slow_writes=False):
    """``manage.py db_worker`` in its own process on the test database (PostgreSQL: shared)."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "IMPORT_UPLOAD_DIR": str(upload_dir), "DEBUG": "0"}
    options = ["--no-reload", "--no-startup-delay", "--interval", "0.1", *(["--batch"] if batch else [])]
    # Slowed writes hold the import mid-way, so that a kill lands while it runs.
    patch = "from articles.importer import runner; runner._write = lambda *a: time.sleep(60); " if slow_writes else ""
    code = (
        "import time, django; django.setup(); "
        + patch
        + f"from django.core.management import call_command; call_command('db_worker', *{options!r})"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, start_new_session=True, stdout=subprocess.DEVNULL
    )


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a worker process shares the test database on PostgreSQL only"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_runs_queued_uploads_to_the_end(editor, upload_dir):
    files = [zip_upload({f"_posts/2022-07-{n + 1:02d}-post.md": POST for n in range(20)})]
    run = upload_runs.queue_upload(files, user=editor)
    assert worker_process(upload_dir, batch=True).wait(timeout=120) == 0
    run.refresh_from_db()
    assert (run.state, run.created, run.files_done) == (ImportRun.State.FINISHED, 20, 20)
    assert not any(upload_dir.iterdir())


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_an_interrupted_run_whose_files_the_next_task_removes(editor, upload_dir):
    killed = upload_runs.queue_upload([zip_upload({"_posts/2022-07-07-a.md": POST})], user=editor)
    worker = worker_process(upload_dir, batch=False, slow_writes=True)
    try:
        wait_for(lambda: ImportRun.objects.get(pk=killed.pk).heartbeat_at is not None)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    killed.refresh_from_db()
    assert killed.state == ImportRun.State.INTERRUPTED
    assert (upload_dir / f"run-{killed.pk}").exists()
    nxt = upload_runs.queue_upload([zip_upload({"_posts/2022-07-08-b.md": POST})], user=editor)
    assert worker_process(upload_dir, batch=True).wait(timeout=120) == 0
    assert ImportRun.objects.get(pk=nxt.pk).state == ImportRun.State.FINISHED
    assert not any(upload_dir.iterdir())
