import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_search_box_on_every_page(client):
    make_article()
    for url in ("/", "/tags/", "/archive/"):
        assert 'role="search"' in client.get(url).content.decode()


def test_search_shows_count_snippets_and_order_switch(client):
    make_article("台海局势紧张", body_text="台海局势 正文", body_html="<p>台海局势 正文</p>")
    make_article("台海两岸", body_text="台海 正文", body_html="<p>台海 正文</p>")
    make_article("经济新闻")
    response = client.get("/search/", {"q": "台海"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 articles match “台海”" in html
    assert "台海局势紧张" in html and "经济新闻" not in html
    assert 'class="snippet"' in html
    assert "order=newest" in html and "order=oldest" in html


def test_search_never_finds_drafts(client):
    make_article("秘密草稿", status=Article.Status.DRAFT)
    assert "0 articles match" in client.get("/search/", {"q": "秘密草稿"}).content.decode()


@pytest.mark.parametrize("query", ["", "   ", "a", '"', "-", "x" * 500, "<script>alert(1)</script>", '台 -海 "x'])
def test_odd_queries_never_fail(client, query):
    make_article()
    response = client.get("/search/", {"q": query, "order": "sideways", "page": "1"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_search_bad_page_is_404(client):
    make_article("台海")
    assert client.get("/search/", {"q": "台海", "page": "abc"}).status_code == 404


def test_search_query_count_does_not_grow_with_results(client):
    def queries_for(n):
        Article.objects.all().delete()
        for _ in range(n):
            make_article("同一个词", tags=["a", "b", "c"])
        with CaptureQueriesContext(connection) as ctx:
            client.get("/search/", {"q": "同一个词"})
        return len(ctx.captured_queries)

    assert queries_for(2) == queries_for(15)
