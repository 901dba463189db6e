import xml.etree.ElementTree as ET

import pytest

from articles.models import Article, CategoryAlias, TagAlias
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(content):
    """Our own feed output, not untrusted XML."""
    return ET.fromstring(content)  # noqa: S314


@pytest.fixture
def archive():
    make_article("公开台海", tags=["台海", "中美"], categories=["中国"], author="联合早报")
    make_article("公开经济", tags=["经济"])
    make_article("草稿台海", tags=["台海"], categories=["中国"], status=Article.Status.DRAFT)


def test_site_rss(client, archive):
    response = client.get("/feed/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    items = parse(response.content).findall("./channel/item")
    assert [i.findtext("title") for i in items] == ["公开台海", "公开经济"]
    assert sorted(c.text for c in items[0].findall("category")) == ["中美", "台海"]


def test_site_atom(client, archive):
    root = parse(client.get("/feed/atom/").content)
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == ["公开台海", "公开经济"]


@pytest.mark.parametrize("url", ["/tag/台海/feed/rss/", "/category/中国/feed/rss/"])
def test_tag_and_category_rss_never_include_drafts(client, archive, url):
    items = parse(client.get(url).content).findall("./channel/item")
    assert [i.findtext("title") for i in items] == ["公开台海"]


@pytest.mark.parametrize("url", ["/tag/台海/feed/atom/", "/category/中国/feed/atom/"])
def test_tag_and_category_atom(client, archive, url):
    root = parse(client.get(url).content)
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == ["公开台海"]


def test_unknown_tag_feed_is_404(client):
    assert client.get("/tag/没有/feed/rss/").status_code == 404


@pytest.mark.parametrize("count", [2, 20])
def test_feed_query_count_is_constant(client, django_assert_num_queries, count):
    for n in range(count):
        make_article(tags=[f"t{k}" for k in range(n % 7)] + ["共同"])
    with django_assert_num_queries(2):
        client.get("/feed/atom/")
    with django_assert_num_queries(3):
        client.get("/tag/共同/feed/rss/")


def test_sitemap_index_and_articles_with_lastmod(client, archive):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert b"sitemap-articles.xml" in index.content and b"sitemap-pages.xml" in index.content
    body = client.get("/sitemap-articles.xml").content.decode()
    assert body.count("<url>") == 2
    assert "<lastmod>" in body
    assert "%E5%85%AC%E5%BC%80%E5%8F%B0%E6%B5%B7" in body
    assert "%E8%8D%89%E7%A8%BF" not in body  # the draft


def test_sitemap_is_paged_for_large_archives(client, archive, monkeypatch):
    from articles.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 1)
    assert b"sitemap-articles.xml?p=2" in client.get("/sitemap.xml").content
    assert client.get("/sitemap-articles.xml?p=2").content.count(b"<url>") == 1
    assert client.get("/sitemap-articles.xml?p=9").status_code == 404


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_feeds_of_a_renamed_tag_or_category_serve_the_kept_one(client):
    article = make_article("改名后的文章", tags=["台海"], categories=["两岸"])
    tag, category = article.tags.get(), article.categories.get()
    TagAlias.objects.create(name="台湾海峡", slug="台湾海峡", tag=tag)
    CategoryAlias.objects.create(name="海峡两岸", slug="海峡两岸", category=category)
    for url in ("/tag/台湾海峡/feed/rss/", "/category/海峡两岸/feed/atom/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "改名后的文章" in response.content.decode()
    assert client.get("/tag/从未有过/feed/rss/").status_code == 404
