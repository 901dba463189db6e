"""Sources in the admin: status, last commit, last sync, counts, next due time, "Sync now", runs."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Source
from articles.sources.sync import sync_source

from .repos import dead_owner

pytestmark = pytest.mark.django_db
LIST = reverse("admin:articles_source_changelist")
ADD = reverse("admin:articles_source_add")


def change(source):
    return reverse("admin:articles_source_change", args=[source.pk])


def form_data(**values):
    data = {"name": "news", "location": "/srv/news", "branch": "", "folders": "", "every_minutes": "", **values}
    return {key: value for key, value in data.items() if value is not None}


def test_the_list_shows_status_last_commit_last_sync_counts_and_next_due(superuser_client, source, repo):
    source.every_minutes = 15
    source.save()
    sync_source(source)
    source.refresh_from_db()
    text = superuser_client.get(LIST).text
    assert "up to date" in text
    assert f"<code>{repo.head()[:7]}</code> two posts" in text
    assert "2 articles, 0 removed, 0 files failing" in text
    due = source.next_due_at.astimezone(source.last_synced_at.tzinfo)
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text) and due > source.last_synced_at


def test_a_failing_source_shows_why(superuser_client, tmp_path):
    Source.objects.create(name="broken", location=str(tmp_path / "missing"))
    sync_source(Source.objects.get(name="broken"))
    text = superuser_client.get(LIST).text
    assert "failing (1 in a row): source broken: cannot fetch from" in text


# The worker closes the connection between tasks: a test transaction would not survive it.
@pytest.mark.django_db(transaction=True)
def test_sync_now_queues_one_sync_for_the_worker(superuser_client, source, run_worker, repo):
    url = reverse("admin:articles_source_sync", args=[source.pk])
    response = superuser_client.post(url, follow=True)
    assert "Sync queued: the worker runs it in a moment." in response.text
    assert "queued: waiting for the worker" in superuser_client.get(LIST).text
    assert "A sync of this source is queued already." in superuser_client.post(url, follow=True).text
    assert DBTaskResult.objects.count() == 1
    run_worker()
    source.refresh_from_db()
    assert source.last_commit == repo.head()
    page = superuser_client.get(change(source)).text
    assert f"..{repo.head()[:7]}" in page and "2 created" in page
    every = f"{reverse('admin:articles_importrun_changelist')}?sync_source={source.pk}"
    assert every in page
    run = source.syncs.get().run
    assert reverse("admin:articles_importrun_change", args=[run.pk]) in superuser_client.get(every).text
    assert "Source sync" in superuser_client.get(every).text


def test_the_sync_now_action(superuser_client, source):
    data = {"action": "sync_now", "_selected_action": [source.pk]}
    response = superuser_client.post(LIST, data, follow=True)
    assert "1 sync queued for the worker." in response.text
    assert DBTaskResult.objects.count() == 1


def test_the_form_checks_location_and_folders(superuser_client):
    response = superuser_client.post(ADD, form_data(location="ext::sh -c id", folders="../etc\n_posts"))
    assert response.status_code == 200
    assert "Unsupported URL scheme" not in response.text  # ext:: is no URL: it is not a path either
    assert "Give an absolute path (starting with /) or a URL" in response.text
    assert "give a folder inside the repository" in response.text
    assert not Source.objects.exists()
    superuser_client.post(ADD, form_data(location="https://git.example.org/news.git", folders="_posts\nnews/_posts/"))
    source = Source.objects.get()
    assert source.folders == ["_posts", "news/_posts"]


def test_the_secret_is_never_shown_and_empty_keeps_it(superuser_client):
    superuser_client.post(ADD, form_data(new_secret="hunter2-very-secret"))
    source = Source.objects.get()
    assert source.secret == "hunter2-very-secret"
    page = superuser_client.get(change(source)).text
    assert "hunter2" not in page and "a secret is set" in page
    superuser_client.post(change(source), form_data(new_secret=""))
    source.refresh_from_db()
    assert source.secret == "hunter2-very-secret"
    superuser_client.post(change(source), form_data(clear_secret="on"))
    source.refresh_from_db()
    assert source.secret == ""


def test_credentials_in_the_location_are_not_listed(superuser_client):
    Source.objects.create(name="private", location="https://bot:ghp_token123@git.example.org/news.git")
    assert "ghp_token123" not in superuser_client.get(LIST).text


def test_the_list_costs_the_same_queries_for_one_source_or_many(superuser_client):
    Source.objects.create(name="a", location="/srv/a")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert superuser_client.get(LIST).status_code == 200
        return len(captured)

    one = queries()
    for n in range(5):
        Source.objects.create(name=f"s{n}", location=f"/srv/s{n}", every_minutes=5)
    assert queries() == one


def test_editors_do_not_manage_sources(editor_client, source):
    assert editor_client.get(LIST).status_code == 403
    assert editor_client.post(reverse("admin:articles_source_sync", args=[source.pk])).status_code == 403


def test_a_sync_that_died_shows_so_until_the_next_one_finishes_it(superuser_client, source):
    Source.objects.filter(pk=source.pk).update(sync_owner=dead_owner(), sync_beat=timezone.now())
    assert "a sync stopped before the end: the next one finishes it" in superuser_client.get(LIST).text
    Source.objects.filter(pk=source.pk).update(sync_owner="elsewhere 1 token")
    assert "syncing now" in superuser_client.get(LIST).text
