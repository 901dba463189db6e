"""The content version that search facets are cached under: every change that alters what they count
moves it, at the cost of one query of index lookups whatever the archive's size."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from articles.curation.bulk import add_tags, remove_tags, set_category
from articles.curation.taxonomy import merge
from articles.facets.version import bump, bumped_once, content_version
from articles.importer.runner import import_paths
from articles.models import Article, Category, ContentWrites
from articles.models.taxonomy import CATEGORIES, TAGS
from tests.factories import make_article, make_category, make_many
from tests.importer.posts import front_matter_post

pytestmark = pytest.mark.django_db


def stamp():
    return content_version(connection.alias)


@pytest.fixture
def labelled():
    """Two published articles in the category rss and the tags 台海 and 台灣, one of them also 军事."""
    first = make_article("台海 一", tags=["台海", "军事"], categories=["rss"])
    second = make_article("台海 二", tags=["台灣"], categories=["rss"])
    return first, second


def rename(model, current, **values):
    item = model.objects.get(name=current)
    for field, value in values.items():
        setattr(item, field, value)
    item.save()


def import_post(folder, **front_matter):
    front_matter_post(folder, "imported.md", title="导入的台海新闻", **front_matter)
    report = import_paths([folder], workers=1)
    assert report.ok, report.errors


EVENTS = {
    "create": lambda articles, tmp: make_article("新的"),
    "edit": lambda articles, tmp: articles[0].save(),
    "delete": lambda articles, tmp: articles[0].delete(),
    "queryset update": lambda articles, tmp: Article.objects.filter(pk=articles[0].pk).update(featured=True),
    "queryset update of a searched field": lambda articles, tmp: Article.objects.filter(pk=articles[0].pk).update(
        title="改了"
    ),
    "queryset delete": lambda articles, tmp: Article.objects.filter(pk=articles[0].pk).delete(),
    "bulk_update": lambda articles, tmp: Article.objects.bulk_update([articles[0]], ["author"]),
    "bulk_create": lambda articles, tmp: Article.objects.bulk_create([Article(title="批量", slug="bulk")]),
    "import a new post": lambda articles, tmp: import_post(tmp),
    "tag deleted": lambda articles, tmp: Tag.objects.get(name="军事").delete(),
    "category deleted": lambda articles, tmp: Category.objects.get(name="rss").delete(),
    "tag renamed": lambda articles, tmp: rename(Tag, "军事", name="军事新闻"),
    "tag's slug changed": lambda articles, tmp: rename(Tag, "军事", slug="junshi"),
    "category renamed": lambda articles, tmp: rename(Category, "rss", name="RSS"),
    "tags merged": lambda articles, tmp: merge(TAGS, Tag.objects.get(name="台海"), [Tag.objects.get(name="台灣")]),
    "categories merged": lambda articles, tmp: merge(
        CATEGORIES, make_category("世界"), [Category.objects.get(name="rss")]
    ),
    "tag added": lambda articles, tmp: articles[1].tags.add("新标签"),
    "tag removed": lambda articles, tmp: articles[0].tags.remove("军事"),
    "tags cleared": lambda articles, tmp: articles[0].tags.clear(),
    "category added": lambda articles, tmp: articles[0].categories.add(make_category("世界")),
    "category removed": lambda articles, tmp: articles[0].categories.remove(Category.objects.get(name="rss")),
    "categories cleared": lambda articles, tmp: articles[0].categories.clear(),
    "articles added to a category": lambda articles, tmp: make_category("世界").articles.add(*articles),
    "bulk tags added": lambda articles, tmp: add_tags(Article.objects.all(), [Tag.objects.create(name="新")]),
    "bulk tags removed": lambda articles, tmp: remove_tags(Article.objects.all(), [Tag.objects.get(name="台海")]),
    "bulk category set": lambda articles, tmp: set_category(Article.objects.all(), make_category("世界")),
    "search index rebuilt": lambda articles, tmp: call_command("rebuild_search_index", verbosity=0),
}


@pytest.mark.parametrize("event", EVENTS)
def test_each_change_moves_the_version(labelled, tmp_path, event):
    before = stamp()
    EVENTS[event](labelled, tmp_path)
    assert stamp() != before


def test_a_re_import_that_changes_a_post_moves_it(tmp_path):
    import_post(tmp_path, tags=["台海"])
    before = stamp()
    import_post(tmp_path, tags=["台海", "军事"])
    assert stamp() != before


def test_a_scheduled_article_moves_it_when_its_time_comes(monkeypatch):
    later = timezone.now() + timedelta(hours=1)
    make_article("预告", published_at=later)
    before = stamp()
    monkeypatch.setattr(timezone, "now", lambda: later + timedelta(seconds=1))
    assert stamp() != before


def test_what_changes_nothing_counted_leaves_it(labelled, tmp_path):
    before = stamp()
    rename(Tag, "军事")  # saved as it was
    Tag.objects.create(name="还没有文章")  # a tag or category without articles counts nothing yet
    make_category("还没有文章")
    Article.objects.filter(pk=-1).update(featured=True)  # no row
    labelled[0].tags.add("军事")  # linked already
    import_post(tmp_path)
    after_import = stamp()
    import_post(tmp_path)  # the same file again: unchanged
    assert stamp() == after_import and after_import != before


def test_a_version_never_comes_back(labelled):
    seen = {stamp()}
    new = make_article("来了又走")
    seen.add(stamp())
    new.delete()  # the same articles as at first, and the same last edit
    assert stamp() not in seen


def facets_of(client, query="台海"):
    body = client.get("/api/articles/", {"q": query}).json()
    return {dimension: {item["name"]: item["count"] for item in items} for dimension, items in body["facets"].items()}


def test_the_facets_shown_follow_deletions_merges_and_renames(client, labelled):
    assert facets_of(client)["category"] == {"rss": 2}
    Category.objects.get(name="rss").delete()  # listed with its count for up to ten minutes, once
    assert facets_of(client)["category"] == {}
    assert facets_of(client)["tag"] == {"台海": 1, "军事": 1, "台灣": 1}
    merge(TAGS, Tag.objects.get(name="台海"), [Tag.objects.get(name="台灣")])
    assert facets_of(client)["tag"] == {"台海": 2, "军事": 1}
    rename(Tag, "军事", name="军情")
    assert facets_of(client)["tag"] == {"台海": 2, "军情": 1}
    Tag.objects.get(name="军情").delete()
    assert facets_of(client)["tag"] == {"台海": 2}
    labelled[1].categories.add(make_category("国际"))
    assert facets_of(client)["category"] == {"国际": 1}


@pytest.mark.parametrize("count", [3, 300])
def test_reading_it_is_one_query_that_counts_nothing(django_assert_num_queries, count):
    make_many(count)
    make_article("预告", published_at=timezone.now() + timedelta(days=1))
    with django_assert_num_queries(1) as captured:
        stamp()
    assert "COUNT" not in captured.captured_queries[0]["sql"].upper()


def test_it_reads_indexes_not_the_articles_table():
    make_many(50)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            plan = " ".join(str(row) for row in _explain(cursor, "EXPLAIN QUERY PLAN "))
            assert "SCAN articles_article" not in plan and "USING COVERING INDEX" in plan, plan
        else:
            with transaction.atomic():  # with sequential scans off, only a missing index shows one
                cursor.execute("SET LOCAL enable_seqscan = off")
                plan = " ".join(str(row) for row in _explain(cursor, "EXPLAIN "))
            assert "Seq Scan on articles_article" not in plan, plan


def _explain(cursor, prefix):
    with CaptureQueriesContext(connection) as captured:
        stamp()
    sql = captured.captured_queries[0]["sql"]
    cursor.execute(prefix + sql)
    return cursor.fetchall()


def test_a_bulk_writer_bumps_once_at_the_end_of_its_transaction(labelled, django_assert_num_queries):
    start = ContentWrites.objects.get().writes
    with bumped_once():
        for article in labelled:
            article.save()
        Tag.objects.get(name="军事").delete()
        assert ContentWrites.objects.get().writes == start  # not yet: the row is not held meanwhile
    assert ContentWrites.objects.get().writes == start + 1
    with pytest.raises(RuntimeError), bumped_once():
        labelled[0].save()
        raise RuntimeError("rolled back: nothing written, nothing counted")
    assert ContentWrites.objects.get().writes == start + 1


@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_lose_no_bump():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite takes its write lock for the whole transaction: writers cannot interleave")
    bump()
    start = ContentWrites.objects.get().writes
    rounds, ready = 40, threading.Barrier(2)
    errors = []

    def write():
        try:
            ready.wait()
            for _ in range(rounds):
                with transaction.atomic():
                    bump()
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ContentWrites.objects.get().writes == start + 2 * rounds


@pytest.mark.django_db(transaction=True)
def test_a_flushed_table_starts_counting_again():
    """A transactional test's flush empties the table: the next write makes the row again."""
    ContentWrites.objects.all().delete()
    assert stamp()[0] is None
    make_article("第一篇", published_at=datetime(2024, 1, 1, tzinfo=UTC))
    assert stamp()[0] == ContentWrites.objects.get().writes >= 1
