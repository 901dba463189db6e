"""The kept counts stay equal to a count from scratch through every way articles are written."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.counts import keeping
from articles.curation import bulk, taxonomy
from articles.importer.runner import import_paths
from articles.models import Article, Category, Tally
from articles.models.taxonomy import CATEGORIES, TAGS
from tests.factories import make_article, make_category, make_many
from tests.helpers import post_action
from tests.importer.posts import front_matter_post

from .helpers import assert_counts_right, expected, kept

pytestmark = pytest.mark.django_db
JULY = datetime(2022, 7, 20, 4, tzinfo=UTC)


@pytest.fixture
def articles():
    return [
        make_article("甲", tags=["台海", "国际"], categories=["中国"], author="早报", published_at=JULY),
        make_article("乙", tags=["台海"], author="路透社", published_at=JULY - timedelta(days=40)),
        make_article("丙", status=Article.Status.DRAFT, tags=["国际"], published_at=JULY),
    ]


def test_creating_articles_with_tags_and_categories(articles):
    assert kept()[("tag", str(Tag.objects.get(name="台海").pk), 202207)] == 1
    assert kept()[("archive", "", 0)] == 2
    assert_counts_right()


def test_saving_status_date_and_author(articles):
    first, second, draft = articles
    first.status = Article.Status.HIDDEN
    first.save()
    second.published_at = datetime(1999, 12, 31, 20, tzinfo=UTC)  # 1 January 2000 in Singapore
    second.author = "新华社"
    second.save(update_fields=["published_at", "author"])
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert ("archive", "", 200001) in kept()
    assert_counts_right()


def test_tags_and_categories_through_the_orm(articles):
    first, second, _ = articles
    first.tags.add("新标签")
    first.tags.remove("台海")
    second.tags.set(["甲标签", "乙标签"])
    second.categories.add(make_category("国际"))
    first.categories.clear()
    make_category("军事").articles.add(first, second)
    assert_counts_right()
    Category.objects.get(name="军事").articles.clear()
    Tag.objects.get(name="国际").delete()
    Category.objects.get(name="国际").delete()
    assert_counts_right()
    assert not Tally.objects.filter(kind="category", key=str(make_category("国际").pk)).exists()


def test_deleting_one_article_and_a_queryset(articles):
    articles[0].delete()
    assert_counts_right()
    Article.objects.filter(title__in=["乙", "丙"]).delete()
    assert kept() == {}


def test_queryset_update_and_bulk_update(articles):
    Article.objects.filter(title="甲").update(status=Article.Status.DRAFT)
    assert_counts_right()
    Article.objects.filter(title="丙").update(status=Article.Status.PUBLISHED, author="早报", published_at=JULY)
    second = articles[1]
    second.published_at = JULY + timedelta(days=400)
    Article.objects.bulk_update([second], ["published_at"])
    assert_counts_right()


def test_admin_bulk_actions(superuser_client, articles):
    url = reverse("admin:articles_article_changelist")
    ids = [article.pk for article in articles]
    post_action(superuser_client, url, "hide", ids[:1], apply="1", reason="版权")
    post_action(superuser_client, url, "publish", ids)
    assert_counts_right()
    selected = Article.objects.filter(pk__in=ids)
    bulk.add_tags(selected, TAGS.resolve(["加的", "台海"]))
    bulk.remove_tags(selected, [Tag.objects.get(name="国际")])
    bulk.set_category(selected, make_category("评论"))
    bulk.set_category(selected.filter(pk=ids[0]), make_category("军事"), replace=False)
    post_action(superuser_client, url, "return_to_draft", ids[1:2])
    assert_counts_right()


def test_merging_tags_and_categories(articles):
    taxonomy.merge(TAGS, Tag.objects.get(name="台海"), [Tag.objects.get(name="国际")])
    taxonomy.merge(CATEGORIES, make_category("国际"), [Category.objects.get(name="中国")])
    assert_counts_right()
    assert not Tally.objects.filter(kind="tag").exclude(key=str(Tag.objects.get(name="台海").pk)).exists()


def test_imports_create_and_update(tmp_path, articles):
    post = front_matter_post(tmp_path, "2021-03-04-news.md", title="导入", author="早报", tags=["台海", "新"])
    import_paths([tmp_path])
    assert_counts_right()
    front_matter_post(tmp_path, "2021-03-04-news.md", title="导入", author="联合早报", tags=["新"], categories=["港"])
    import_paths([tmp_path])
    assert Article.objects.get(title="导入").author == "联合早报", post
    assert_counts_right()


def test_a_failed_write_leaves_the_counts_as_they_were(articles):
    before = kept()
    with pytest.raises(ValueError), keeping.kept([articles[0].pk]):
        Article.objects.filter(pk=articles[0].pk).update(status=Article.Status.DRAFT)
        raise ValueError("stop")
    assert kept() == before


def test_bulk_create_is_counted_by_rebuild_counts():
    make_many(5, tags=["台海"])  # bulk_create: no signals
    assert kept() != expected()
    call_command("rebuild_counts", verbosity=0)
    assert_counts_right()


def test_rebuild_search_index_counts_too():
    make_many(3)
    call_command("rebuild_search_index", verbosity=0)
    assert_counts_right()


def test_months_at_the_edges_of_the_calendar_and_of_offsets(settings):
    for zone in ("Asia/Singapore", "America/New_York", "Asia/Kathmandu", "Etc/GMT+12", "Etc/GMT-14"):
        settings.TIME_ZONE = zone
        with timezone.override(zone):
            Article.objects.all().delete()
            for moment in (
                datetime(1, 1, 1, 12, tzinfo=UTC),
                datetime(1899, 12, 31, 16, 30, tzinfo=UTC),
                datetime(1982, 1, 1, 0, 0, tzinfo=UTC),
                datetime(2021, 3, 31, 23, 30, tzinfo=UTC),
                datetime(2021, 11, 1, 3, 59, 59, tzinfo=UTC),
                datetime(2099, 12, 31, 23, 0, tzinfo=UTC),
                datetime(9999, 12, 31, 0, 0, tzinfo=UTC),
            ):
                make_article(published_at=moment)
            keeping.rebuild()
            assert_counts_right()


def test_changed_time_zone_is_counted_again_when_read(settings, client):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0
    make_article("月末", published_at=datetime(2022, 7, 31, 17, tzinfo=UTC))  # 1 August in Singapore
    assert client.get("/archive/2022/").context["months"][0][0].month == 8
    settings.TIME_ZONE = "UTC"
    assert client.get("/archive/2022/").context["months"][0][0].month == 7
    assert_counts_right()
