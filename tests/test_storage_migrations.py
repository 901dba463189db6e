"""The data migrations that made storage leaner, run forwards on populated databases."""

import zlib

import pytest
from django.db import connection
from django.utils import timezone

from articles.importer.merge import digest
from articles.importer.runner import import_paths
from articles.models import Article
from tests.helpers import migrate
from tests.importer.posts import front_matter_post

LONG_BODY = "<p>" + "台湾海峡局势紧张，各方呼吁克制。" * 200 + "</p>"


BEFORE = ("articles", "0008_assets")


def old_version(history, article, **values):
    """A history row as the code before migration 0009 wrote it (the body as plain text)."""
    names = [f.attname for f in history._meta.concrete_fields if not f.attname.startswith("history_")]
    copied = {name: getattr(article, name) for name in names}
    return history.objects.create(**{**copied, "history_date": timezone.now(), **values})


@pytest.mark.django_db(transaction=True)
def test_the_migration_drops_untouched_first_versions_and_compresses_the_rest():
    apps = migrate(BEFORE)
    old_article, old_history = apps.get_model("articles", "Article"), apps.get_model("articles", "HistoricalArticle")
    for title, body in [("untouched", "<p>原文</p>"), ("edited", LONG_BODY), ("changed quietly", "<p>旧</p>")]:
        slug = title.replace(" ", "-")
        article = old_article.objects.create(title=title, slug=slug, body_html=body, first_imported_at=timezone.now())
        old_version(old_history, article, history_type="+", history_change_reason="import")
    old_version(old_history, old_article.objects.get(title="edited"), history_type="~", history_change_reason="by hand")
    old_article.objects.filter(title="changed quietly").update(body_html="<p>新</p>")  # no history row

    migrate(None)
    history = Article.history.model
    assert not history.objects.filter(title="untouched").exists()
    assert history.objects.get(title="changed quietly").body_html == "<p>旧</p>"  # the only copy of the import
    edited = history.objects.filter(title="edited")
    assert [row.body_html for row in edited] == [LONG_BODY, LONG_BODY]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body_html FROM {history._meta.db_table} WHERE title = 'edited'")  # noqa: S608
        assert [zlib.decompress(bytes(body)).decode() for (body,) in cursor.fetchall()] == [LONG_BODY, LONG_BODY]
    untouched = Article.objects.get(title="untouched")
    untouched.title = "now edited"
    untouched.save()
    assert [row.title for row in untouched.history.all()] == ["now edited", "untouched"]


@pytest.mark.django_db(transaction=True)
def test_snapshots_keep_digests_after_the_migration_and_curated_fields_stay(tmp_path):
    front_matter_post(tmp_path, "a.md", title="原标题", excerpt="原摘要", body="正文。\n")
    import_paths([tmp_path])
    article = Article.objects.get()
    written = dict(article.import_snapshot)
    assert written["title"] == digest("原标题") and written["excerpt"] == digest("原摘要")
    apps = migrate(("articles", "0009_history_first_versions_compressed"))
    old = {**written, "title": "原标题", "excerpt": "原摘要", "lead_image_caption": ""}  # as imports wrote them
    # The model as it was then: today's tells tables that did not exist yet (the content version's).
    apps.get_model("articles", "Article").objects.filter(pk=article.pk).update(import_snapshot=old)
    migrate(None)
    article.refresh_from_db()
    assert article.import_snapshot == written
    article.title = "编辑改过的标题"
    article.save()
    front_matter_post(tmp_path, "a.md", title="来源的新标题", excerpt="来源的新摘要", body="正文。\n")
    report = import_paths([tmp_path])
    article.refresh_from_db()
    assert (article.title, article.excerpt) == ("编辑改过的标题", "来源的新摘要")
    assert report.conflicts == [(str(tmp_path / "a.md"), "title")]


@pytest.mark.django_db
def test_postgresql_keeps_only_the_pattern_index_a_query_reads():
    """Django's varchar_pattern_ops copies serve only LIKE; the article slug's is the one a query uses."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no pattern indexes")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.relname, a.attname FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0] "
            "JOIN pg_opclass o ON o.oid = x.indclass[0] "
            "WHERE o.opcname = 'varchar_pattern_ops' AND t.relname LIKE 'articles%%'"
        )
        assert cursor.fetchall() == [("articles_article", "slug")]
    assert Article.objects.filter(slug__startswith="nothing-").count() == 0  # the one LIKE query still runs
