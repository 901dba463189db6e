"""Responses that differ for a signed-in user are private and never shared through any cache."""

import pytest
from django.core.cache import cache
from django.test import Client

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 30


def page_entries():
    return sum(":archive:page:" in key for key in cache._cache)


def is_private(response):
    control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",")}
    return {"private", "no-store"} <= control and "cookie" in vary


def test_a_hidden_articles_preview_and_its_reason_are_private(staff_client):
    hidden = make_article("隐藏文章", status=Article.Status.HIDDEN, hidden_reason="版权问题")
    response = staff_client.get(hidden.get_absolute_url())
    assert response.status_code == 200 and "版权问题" in response.content.decode()
    assert is_private(response)


@pytest.mark.parametrize(
    "url", ["/", "/tags/", "/archive/", "/search/?q=文章", "/api/articles/", "/feed/rss/", "/admin/"]
)
def test_every_page_a_signed_in_user_gets_is_private(staff_client, url):
    make_article("文章", tags=["台海"])
    response = staff_client.get(url)
    assert response.status_code == 200, url
    assert is_private(response), url


def test_staff_pages_never_enter_the_page_cache_and_staff_never_get_a_cached_one(client, staff_client):
    article = make_article("文章", tags=["台海"])
    for url in ("/", "/tag/台海/", article.get_absolute_url(), "/api/articles/"):
        staff_client.get(url)
    assert page_entries() == 0
    client.get(article.get_absolute_url())
    assert page_entries() == 1
    Article.objects.filter(pk=article.pk).update(status=Article.Status.HIDDEN, hidden_reason="撤稿")
    assert "撤稿" in staff_client.get(article.get_absolute_url()).content.decode()


def test_anonymous_pages_stay_public_and_an_article_page_varies_on_the_cookie(client, django_assert_num_queries):
    article = make_article("文章")
    first = client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        again = client.get(article.get_absolute_url())  # from the page cache
    for response in (first, again):
        assert "private" not in response.get("Cache-Control", "") and "no-store" not in response.get(
            "Cache-Control", ""
        )
        assert "Cookie" in response["Vary"]
    assert "Cookie" not in client.get("/").get("Vary", "")


@pytest.mark.parametrize("cookie", ["made-up", "abcdefgh12345678abcdefgh12345678"])
def test_a_made_up_session_cookie_is_served_from_the_cache(client, django_assert_max_num_queries, cookie):
    make_article("文章")
    cached = client.get("/")
    stranger = Client()
    stranger.cookies["sessionid"] = cookie
    with django_assert_max_num_queries(1):  # at most the session lookup; no page is rendered
        response = stranger.get("/")
    assert response.content == cached.content and not is_private(response)
