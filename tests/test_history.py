"""Article history storage: the first version is the article until it changes; bodies stored compressed."""

import zlib

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.curation.history import record_relation_change, save_with_history
from articles.importer.runner import import_paths
from articles.models import Article, ImportRun
from tests.admin.test_change_form import form_data
from tests.factories import make_article
from tests.importer.posts import front_matter_post

pytestmark = pytest.mark.django_db

LONG_BODY = "<p>" + "台湾海峡局势紧张，各方呼吁克制。" * 200 + "</p>"


@pytest.fixture
def imported(tmp_path):
    front_matter_post(tmp_path, "a.md", title="原标题", body="原来的正文。\n", tags=["台海"])
    import_paths([tmp_path])
    return Article.objects.get()


def test_an_imported_article_has_no_history_row_until_it_changes(imported):
    assert not imported.history.exists()
    imported.title = "改过的标题"
    imported.save()
    changed, first = imported.history.all()
    assert (first.history_type, first.history_change_reason, first.title) == ("+", "import", "原标题")
    assert first.history_date == imported.first_imported_at
    assert first.body_html == "<p>原来的正文。</p>"
    assert (changed.history_type, changed.title) == ("~", "改过的标题")
    imported.save()
    assert imported.history.count() == 3  # the first version is recorded once


def feature(article):
    article.featured = True
    save_with_history([article], ["featured"], reason="featured")


@pytest.mark.parametrize(
    "change",
    [
        lambda article: feature(article),
        lambda article: record_relation_change([article.pk], reason="Tags added: 新"),
    ],
    ids=["bulk edit", "tags"],
)
def test_bulk_changes_record_the_first_version_before_theirs(imported, change):
    change(imported)
    changed, first = imported.history.all()
    assert (first.history_type, first.history_change_reason, first.featured) == ("+", "import", False)
    assert changed.history_type == "~"


def test_a_changed_reimport_records_the_first_version_then_its_own(imported, tmp_path):
    front_matter_post(tmp_path, "a.md", title="新标题", body="新的正文。\n", tags=["台海"])
    assert import_paths([tmp_path]).updated == 1
    changed, first = Article.objects.get().history.all()
    assert (first.title, first.body_html, changed.title) == ("原标题", "<p>原来的正文。</p>", "新标题")
    assert changed.history_change_reason == first.history_change_reason == "import"


def test_an_article_made_in_the_admin_keeps_its_creation_row_and_gets_no_second():
    article = make_article("手写的文章")
    assert [row.history_type for row in article.history.all()] == ["+"]
    assert Article.objects.record_first_versions([article.pk]) == 0
    article.save()
    assert [row.history_type for row in article.history.all()] == ["~", "+"]


def test_the_first_version_names_the_user_whose_import_made_it(tmp_path, django_user_model):
    user = django_user_model.objects.create_user("curator")
    front_matter_post(tmp_path, "a.md", title="某文")
    import_paths([tmp_path], user=user)
    ImportRun.objects.create(user=None, started_at=timezone.now())  # a later run, still going
    article = Article.objects.get()
    Article.objects.record_first_versions([article])
    assert article.history.get().history_user == user


def test_history_bodies_are_stored_compressed_and_read_back_as_text():
    article = make_article("长文", body_html=LONG_BODY)
    table = Article.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body_html FROM {table} WHERE id = %s", [article.pk])  # noqa: S608
        [(stored,)] = cursor.fetchall()
    assert zlib.decompress(bytes(stored)).decode() == LONG_BODY
    assert len(bytes(stored)) * 20 < len(LONG_BODY.encode())
    assert article.history.get().body_html == LONG_BODY
    empty = make_article("空", body_html="")
    assert empty.history.get().body_html == ""


def test_the_admin_reverts_an_imported_article_to_its_first_version(imported, admin_client):
    change_url = reverse("admin:articles_article_change", args=[imported.pk])
    assert (
        admin_client.post(change_url, form_data(imported, title="改过的标题", body_html=LONG_BODY)).status_code == 302
    )
    changed, first = imported.history.all()
    history = admin_client.get(reverse("admin:articles_article_history", args=[imported.pk])).text
    assert "原标题" in history and "改过的标题" in history
    revert_url = reverse("admin:articles_article_simple_history", args=[imported.pk, first.history_id])
    assert admin_client.get(revert_url).status_code == 200
    imported.refresh_from_db()
    response = admin_client.post(revert_url, form_data(imported, title=first.title, body_html=first.body_html))
    assert response.status_code == 302
    imported.refresh_from_db()
    assert (imported.title, imported.body_html) == ("原标题", "<p>原来的正文。</p>")
    assert imported.history.count() == 3
