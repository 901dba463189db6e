"""The admin: each article's images, totals, "archive images now", "retry", the source filter."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.models import Asset, SourceCheck
from tests.factories import make_article
from tests.helpers import post_action

from .test_archive_command import article_with, asset

pytestmark = pytest.mark.django_db
# The worker closes connections it finds inside a transaction (a plain test's): it needs real commits.
in_process_worker = pytest.mark.django_db(transaction=True)

ARTICLES = reverse("admin:articles_article_changelist")
ASSETS = reverse("admin:articles_asset_changelist")


def archive(*args):
    call_command("archive_assets", "--no-progress", *args, stdout=io.StringIO())


def test_an_articles_page_lists_its_images_with_thumbnail_status_and_size(editor_client, server, archive_settings):
    article = article_with(server, "/photo.jpg", "/missing.jpg")
    archive()
    html = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    photo = asset(server, "/photo.jpg")
    section = html[html.index("archived-images") - 400 :]
    assert "2 images" in section and "Archived: 1" in section and "Gone at the source: 1" in section
    assert f'<img src="/media/assets/{photo.sha256[:2]}/{photo.sha256}.w360.webp"' in section
    assert "HTTP 404 Not Found" in section and re.search(r"<td>\d+\.\d\sKB</td>", section)
    assert f"{ASSETS}?article={article.pk}" in html


def test_the_image_list_has_totals_and_no_add_or_delete(editor_client, server, archive_settings):
    article_with(server, "/photo.jpg", "/small.png", "/error.jpg")
    archive()
    response = editor_client.get(ASSETS)
    html = response.content.decode()
    assert response.status_code == 200
    totals = re.search(r'<p class="asset-totals">(.*?)</p>', html, re.S).group(1)
    assert "3 images" in totals and "Archived: 2" in totals and "Failed (will retry): 1" in totals
    assert "archived" in totals
    assert "/admin/articles/asset/add/" not in html
    assert editor_client.get(ASSETS + "?status=failed").content.decode().count('class="action-checkbox"') == 1
    pk = asset(server, "/photo.jpg").pk
    assert editor_client.post(reverse("admin:articles_asset_delete", args=[pk]), {"post": "yes"}).status_code == 403
    assert Asset.objects.filter(pk=pk).exists()


def test_filtering_by_article(editor_client, server, archive_settings):
    one, _two = article_with(server, "/photo.jpg"), article_with(server, "/small.png")
    archive()
    html = editor_client.get(f"{ASSETS}?article={one.pk}").content.decode()
    assert server.url("/photo.jpg") in html and server.url("/small.png") not in html


@in_process_worker
def test_archive_images_now_queues_a_task_the_worker_runs(editor_client, server, archive_settings, run_worker):
    article = article_with(server, "/photo.jpg", "/error.jpg")
    response = post_action(editor_client, ARTICLES, "archive_images_now", [article.pk], follow=True)
    assert "Archiving the images of 1 article in the background" in response.content.decode()
    assert server.requests == []  # nothing fetched in the request
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "articles.assets.tasks.archive_in_background"
    run_worker()
    photo, broken = asset(server, "/photo.jpg"), asset(server, "/error.jpg")
    assert photo.status == "fetched", photo.error  # failed once in CI, never since: say why if again
    assert broken.status == "failed"
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value[0].startswith("1 fetched (0 already stored), 1 not archived")


@in_process_worker
def test_retry_selected_images_now(editor_client, server, archive_settings, run_worker):
    article_with(server, "/photo.jpg", "/error.jpg", "/page.jpg")
    archive()
    server.requests.clear()
    failed = [asset(server, "/error.jpg").pk, asset(server, "/page.jpg").pk]
    response = post_action(editor_client, ASSETS, "retry_now", failed, follow=True)
    assert "Archiving 2 images in the background" in response.content.decode()
    run_worker()
    assert sorted(server.paths()) == ["/error.jpg", "/page.jpg"]
    assert asset(server, "/error.jpg").tries == 2


@in_process_worker
def test_a_task_works_within_its_time_budget(editor_client, server, archive_settings, run_worker):
    archive_settings.ARCHIVE_ASSETS_ADMIN_SECONDS = 0.1
    article = article_with(server, *[f"/busy-{n}.jpg" for n in range(6)])
    post_action(editor_client, ARTICLES, "archive_images_now", [article.pk])
    run_worker()
    left = Asset.objects.filter(status="pending", tries=0).count()
    assert left > 0 and f"{left} left for the next run" in DBTaskResult.objects.get().return_value


@in_process_worker
def test_a_stalled_server_cannot_hold_the_worker_past_the_budget(editor_client, server, archive_settings, run_worker):
    archive_settings.ARCHIVE_ASSET_TIMEOUT = 20
    archive_settings.ARCHIVE_ASSETS_ADMIN_SECONDS = 0.3
    article = article_with(server, "/slow.jpg")
    post_action(editor_client, ARTICLES, "archive_images_now", [article.pk])
    run_worker()
    stalled = asset(server, "/slow.jpg")
    assert (stalled.status, stalled.tries) == ("pending", 0)  # cut by the budget: not counted as a failure
    assert server.client_left("/slow.jpg")  # the server never answers: only the budget ended the request


def test_articles_filter_by_source(editor_client, archive_settings):
    gone = make_article("源已消失", original_url="https://news.example/a")
    alive = make_article("源仍在", original_url="https://news.example/b")
    unchecked = make_article("未检查", original_url="https://news.example/c")
    for article, status in ((gone, "gone"), (alive, "alive")):
        SourceCheck.objects.create(article=article, status=status, checked_at=article.updated_at)
    assert "源已消失" in editor_client.get(ARTICLES + "?source=gone").content.decode()
    html = editor_client.get(ARTICLES + "?source=unchecked").content.decode()
    assert unchecked.title in html and "源已消失" not in html and "源仍在" not in html
