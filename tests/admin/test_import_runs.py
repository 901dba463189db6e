"""The import runs' list and run page say what each run is doing: queued, running, finished or not."""

import importlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import ImportRun
from tests.factories import dead_pid, make_unfinished_run

pytestmark = pytest.mark.django_db

LIST = reverse("admin:articles_importrun_changelist")


def page(run):
    return reverse("admin:articles_importrun_change", args=[run.pk])


def test_a_run_whose_process_died_shows_as_interrupted(editor_client):
    run = make_unfinished_run(pid=dead_pid())
    assert "interrupted" in editor_client.get(LIST).text
    assert "interrupted: its process stopped before the end" in editor_client.get(page(run)).text


def test_a_running_run_shows_its_progress(editor_client):
    run = make_unfinished_run(files_total=5174, files_done=1200)
    for response in (editor_client.get(LIST), editor_client.get(page(run))):
        assert '<progress value="1200" max="5174"></progress> 1,200 of 5,174 files' in response.text


def test_a_failed_run_shows_why_it_stopped(editor_client):
    run = ImportRun.objects.create(finished_at=timezone.now(), failure="OperationalError: disk I/O error")
    assert "stopped: OperationalError: disk I/O error" in editor_client.get(page(run)).text


def test_runs_killed_before_heartbeats_existed_show_as_interrupted(editor_client):
    from django.apps import apps

    migration = importlib.import_module("articles.migrations.0007_runs_unfinished_before_heartbeats")
    killed = ImportRun.objects.create(started_at=timezone.now() - timedelta(days=3))  # no heartbeat, no pid
    assert killed.state == ImportRun.State.QUEUED  # what it showed without the migration
    migration.date_unfinished_runs(apps, None)
    killed.refresh_from_db()
    assert killed.state == ImportRun.State.INTERRUPTED
    assert "interrupted" in editor_client.get(page(killed)).text
