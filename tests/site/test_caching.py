import pytest

from articles.models import Article
from articles.views import queries
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 30


def test_anonymous_repeat_requests_are_served_from_the_page_cache(client, page_cache, django_assert_num_queries):
    article = make_article(tags=["台海"])
    for url in ("/", "/tag/台海/", article.get_absolute_url(), "/archive/"):
        first = client.get(url)
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.content == first.content
        assert "script-src 'self'" in again["Content-Security-Policy"]


def test_languages_and_pages_are_cached_apart(client, page_cache):
    for _ in range(25):
        make_article()
    assert "Latest articles" in client.get("/").content.decode()
    assert "最新文章" in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert client.get("/?page=2").context["page_obj"].number == 2


def test_staff_never_get_a_cached_public_page(client, staff_client, page_cache):
    draft = make_article("草稿", status=Article.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = staff_client.get(draft.get_absolute_url())
    assert response.status_code == 200 and "preview-banner" in response.content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_errors_are_not_cached(client, page_cache):
    assert client.get("/tag/台海/").status_code == 404
    make_article(tags=["台海"])
    assert client.get("/tag/台海/").status_code == 200


@pytest.mark.parametrize("url", ["/tag/共同/", "/category/中国/"])
def test_large_tags_and_categories_list_the_same_articles_by_walking_the_index(client, monkeypatch, url):
    for n in range(25):
        make_article(f"文章{n}", tags=["共同"], categories=["中国"])
    make_article("无关", tags=["别的"], categories=["世界"])
    make_article("草稿", tags=["共同"], categories=["中国"], status=Article.Status.DRAFT)
    joined = [a.pk for a in client.get(url, {"page": 2}).context["articles"]]
    monkeypatch.setattr(queries, "WALK_THRESHOLD", 3)
    from django.core.cache import cache

    cache.clear()
    walked = [a.pk for a in client.get(url, {"page": 2}).context["articles"]]
    assert walked == joined and len(walked) == 5
