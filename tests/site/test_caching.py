import time
import warnings

import pytest
from django.core.cache import CacheKeyWarning
from django.core.cache.backends import locmem

from articles.core.cache import cache_key
from articles.models import Article
from articles.web import queries
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


def test_long_unicode_paths_give_short_cache_keys(client, page_cache):
    title = "李作成与美参谋长联席会主席通话要求停止美台军事勾连" * 4
    article = make_article(title, author="联合早报驻北京特派员" * 10, tags=["军事勾连" * 20])
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        for url in ("/", article.get_absolute_url(), f"/author/{article.author}/", f"/tag/{'军事勾连' * 20}/"):
            assert client.get(url, {"q": "台海" * 50}).status_code == 200, url
    assert len(cache_key("page", "example.org", "zh-hans", "/" + "台" * 2000)) < 80


@pytest.fixture
def later(monkeypatch, settings):
    """Move the cache's clock just past the page-cache time (counts, kept 60 s, are still cached)."""

    def advance():
        moved = time.time() + settings.ARCHIVE_PAGE_CACHE_SECONDS + 1
        monkeypatch.setattr(locmem, "time", type("Clock", (), {"time": staticmethod(lambda: moved)}))

    return advance


def test_hidden_edited_and_published_articles_reach_readers_within_the_page_cache_time(
    client, staff_client, page_cache, later
):
    shown = make_article("将被隐藏", tags=["台海"], excerpt="")
    edited = make_article("旧标题", tags=["台海"], excerpt="")
    draft = make_article("待发布", tags=["台海"], excerpt="", status=Article.Status.DRAFT)
    pages = ("/", "/tag/台海/", "/api/articles/", f"/archive/{shown.published_at:%Y/%m}/")
    for url in (*pages, shown.get_absolute_url()):
        client.get(url)
    shown.status = Article.Status.HIDDEN
    shown.save()
    edited.title = "新标题"
    edited.save()
    draft.status = Article.Status.PUBLISHED
    draft.save()
    # Staff carry a session cookie: they never see the cached copies.
    assert "将被隐藏" not in staff_client.get("/").content.decode()
    assert "preview-banner" in staff_client.get(shown.get_absolute_url()).content.decode()
    later()
    for url in pages:
        html = client.get(url).content.decode()
        assert "将被隐藏" not in html and "旧标题" not in html, url
        assert "新标题" in html and "待发布" in html, url
    assert client.get(shown.get_absolute_url()).status_code == 404


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
