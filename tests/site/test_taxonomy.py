import pytest
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, TagAlias
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_tag_page_lists_only_public_articles_with_that_tag(client):
    make_article("台海新闻", tags=["台海"])
    make_article("别的新闻", tags=["经济"])
    make_article("台海草稿", tags=["台海"], status=Article.Status.DRAFT)
    response = client.get("/tag/台海/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "台海新闻" in html and "别的新闻" not in html and "台海草稿" not in html
    assert "1 article" in html
    assert "/tag/%E5%8F%B0%E6%B5%B7/feed/atom/" in html


def test_unknown_tag_is_404(client):
    assert client.get("/tag/不存在/").status_code == 404


def test_renamed_tag_redirects_permanently_to_the_kept_tag(client):
    make_article(tags=["台湾"])
    kept = Tag.objects.get(name="台湾")
    TagAlias.objects.create(name="臺灣", slug="臺灣", tag=kept)
    response = client.get("/tag/臺灣/")
    assert response.status_code == 301
    assert response["Location"] == "/tag/%E5%8F%B0%E6%B9%BE/"


def test_category_page(client):
    make_article("分类文章", categories=["中国"])
    make_article("别的", categories=["世界"])
    html = client.get("/category/中国/").content.decode()
    assert "分类文章" in html and "别的" not in html
    assert client.get("/category/没有/").status_code == 404


def test_author_page(client):
    make_article("早报文章", author="联合早报")
    make_article("别人文章", author="路透社")
    make_article("早报草稿", author="联合早报", status=Article.Status.DRAFT)
    html = client.get("/author/联合早报/").content.decode()
    assert "早报文章" in html and "别人文章" not in html and "早报草稿" not in html
    assert client.get("/author/无名氏/").status_code == 404


def test_author_with_a_slash_in_the_name(client):
    make_article("合写", author="新华社/路透社")
    assert "合写" in client.get("/author/新华社/路透社/").content.decode()


def test_tags_index_counts_public_articles_only(client):
    make_article(tags=["台海", "中美"])
    make_article(tags=["台海"])
    make_article(tags=["台海", "草稿专用"], status=Article.Status.DRAFT)
    tags = {row["name"]: row["count"] for row in client.get("/tags/").context["tags"]}
    assert tags == {"台海": 2, "中美": 1}


@pytest.mark.parametrize("count", [2, 25])
def test_tag_category_author_pages_query_counts(client, django_assert_num_queries, count):
    for n in range(count):
        make_article(tags=["共同"] + [f"t{n}-{k}" for k in range(n % 6)], categories=["中国"], author="早报")
    # tag lookup + kept month counts (the size too) + ids + rows + tags
    with django_assert_num_queries(5):
        client.get("/tag/共同/")
    # category lookup + kept month counts + ids + rows + tags
    with django_assert_num_queries(5):
        client.get("/category/中国/")
    # kept month counts (which also say the author has articles) + ids + rows + tags
    with django_assert_num_queries(4):
        client.get("/author/早报/")
    # narrowed to a year: lookup + kept month counts (which hold the year's) + ids + rows + tags
    year = timezone.localtime(Article.objects.earliest("published_at").published_at).year
    with django_assert_num_queries(5):
        assert client.get("/tag/共同/", {"year": year}).status_code == 200
    # kept totals + tag names, however many articles (read each time: nothing to cache apart from the page)
    with django_assert_num_queries(2):
        client.get("/tags/")
