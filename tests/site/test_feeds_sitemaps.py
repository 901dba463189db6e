import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Category, CategoryAlias, TagAlias
from articles.web import sitemaps
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
    with django_assert_num_queries(4):  # the tag, its kept counts (its size picks the plan), items, tags
        client.get("/tag/共同/feed/rss/")
    with django_assert_num_queries(4):
        client.get("/tag/共同/feed/atom/")


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
    monkeypatch.setattr(sitemaps, "ARTICLES_PER_FILE", 1)
    assert b"sitemap-articles.xml?p=2" in client.get("/sitemap.xml").content
    assert client.get("/sitemap-articles.xml?p=2").content.count(b"<url>") == 1
    for page in ("3", "9", str(10**30), "0", "x"):
        assert client.get("/sitemap-articles.xml", {"p": page}).status_code == 404
    assert client.get("/sitemap-pages.xml?p=2").status_code == 404


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_sitemap_urls_are_the_articles_own_escaped_and_newest_first(client, monkeypatch):
    """Written without reverse(): every slug a reader could meet still gives the article's own URL."""
    slugs = ["a&b", "中文 空格", "100%", "a/b", "..", "x?y#z", "<t>", "q'\"", "新华社/路透社"]
    for n, slug in enumerate(slugs):
        make_article(f"文章 {n}", slug=slug, published_at=datetime(2020 + n % 3, 1 + n, 1, 23, 30, tzinfo=UTC))
    monkeypatch.setattr(sitemaps, "ARTICLES_PER_FILE", 4)  # pages across years
    listed = []
    for page in (1, 2, 3):
        response = client.get("/sitemap-articles.xml", {"p": page})
        assert response["Content-Type"] == "application/xml" and response["X-Robots-Tag"]
        urls = parse(response.content).findall(f"{SITEMAP}url")
        listed += [(url.findtext(f"{SITEMAP}loc"), url.findtext(f"{SITEMAP}lastmod")) for url in urls]
    articles = Article.objects.order_by("-published_at", "id")
    assert listed == [
        (f"http://testserver{a.get_absolute_url()}", timezone.localtime(a.updated_at).date().isoformat())
        for a in articles
    ]
    for loc, _lastmod in listed:
        assert client.get(loc.removeprefix("http://testserver")).status_code == 200


def test_sitemap_index_lists_every_file_with_the_latest_change(client, archive, monkeypatch):
    monkeypatch.setattr(sitemaps, "ARTICLES_PER_FILE", 1)
    root = parse(client.get("/sitemap.xml").content)
    files = [(f.findtext(f"{SITEMAP}loc"), f.findtext(f"{SITEMAP}lastmod")) for f in root]
    latest = timezone.localtime(Article.objects.published().latest("updated_at").updated_at).isoformat()
    assert files == [
        ("http://testserver/sitemap-articles.xml", latest),
        ("http://testserver/sitemap-articles.xml?p=2", latest),
        ("http://testserver/sitemap-pages.xml", None),
    ]


@pytest.mark.parametrize("count", [3, 30])
def test_sitemap_query_counts_are_constant(client, django_assert_num_queries, count):
    for n in range(count):
        make_article(published_at=datetime(2000 + n % 20, 5, 5, tzinfo=UTC))
    with django_assert_num_queries(2):  # the kept year counts, the latest change
        client.get("/sitemap.xml")
    with django_assert_num_queries(2):  # the kept year counts, the page's rows
        client.get("/sitemap-articles.xml", {"p": 1})


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


PAYLOADS = ['<img src=x onerror="alert(1)">', "<script>alert(2)</script>", "AT&T <b>粗体</b> &lt;已转义&gt;"]


@pytest.fixture
def hostile():
    """Plain text that shows markup, everywhere a feed carries text (typed by a curator or imported)."""
    text = " ".join(PAYLOADS)
    make_article(
        f"标题 {text}",
        excerpt=f"摘要 {text}\x0b\x1b",
        author=f"作者 {text}",
        tags=[f"标签 {PAYLOADS[0]}"],
        categories=[f"分类 {PAYLOADS[1]}"],
    )
    return text


def as_html(fragment):
    """What a reader that renders this element as HTML shows: the text, with no element in it."""
    import lxml.html

    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    assert not [element.tag for element in root.iter() if element is not root], fragment
    return root.text_content()


def feed_urls(kind):
    return {
        "site": "/feed/{}/",
        "tag": f"/tag/{Tag.objects.get().slug}/feed/{{}}/",
        "category": f"{Category.objects.get().get_absolute_url()}feed/{{}}/",
    }[kind]


@pytest.mark.parametrize("kind", ["site", "tag", "category"])
def test_rss_texts_are_escaped_html_that_shows_as_written(client, hostile, kind):
    response = client.get(feed_urls(kind).format("rss"))
    assert response.status_code == 200
    channel = parse(response.content).find("channel")
    item = channel.find("item")
    assert as_html(item.findtext("title")) == f"标题 {hostile}"
    assert as_html(item.findtext("description")) == f"摘要 {hostile}"  # the control characters dropped
    assert as_html(item.findtext("{http://purl.org/dc/elements/1.1/}creator")) == f"作者 {hostile}"
    assert as_html(item.findtext("category")) == f"标签 {PAYLOADS[0]}"
    assert as_html(channel.findtext("title")) and as_html(channel.findtext("description"))


@pytest.mark.parametrize("kind", ["site", "tag", "category"])
def test_atom_text_constructs_are_text_and_the_summary_is_escaped_html(client, hostile, kind):
    root = parse(client.get(feed_urls(kind).format("atom")).content)
    entry = root.find(f"{ATOM}entry")
    title = entry.find(f"{ATOM}title")
    assert title.get("type", "text") == "text" and title.text == f"标题 {hostile}"
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html" and as_html(summary.text) == f"摘要 {hostile}"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == f"作者 {hostile}"
    assert entry.find(f"{ATOM}category").get("term") == f"标签 {PAYLOADS[0]}"
    assert "\x0b" not in client.get(feed_urls(kind).format("atom")).content.decode()


@pytest.mark.parametrize("threshold", [1000, 2])  # joined and sorted, or found by walking the newest first
def test_tag_and_category_feeds_list_the_newest_whatever_the_plan(client, monkeypatch, threshold):
    monkeypatch.setattr("articles.web.queries.WALK_THRESHOLD", threshold)
    for n in range(5):
        make_article(f"共同{n}", tags=["共同"], categories=["中国"], published_at=datetime(2020, 1, 1 + n, tzinfo=UTC))
    make_article("别的", tags=["别的"], categories=["别的"])
    for url in ("/tag/共同/feed/atom/", "/category/中国/feed/atom/"):
        entries = parse(client.get(url).content).findall(f"{ATOM}entry")
        assert [e.findtext(f"{ATOM}title") for e in entries] == [f"共同{n}" for n in range(4, -1, -1)]
