"""The reading script: 简 / 繁 / 原文 on lists, articles, search and feeds; text only, never links or data."""

import json
import re
from html import unescape
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

TITLE = "台湾软件新闻"  # written in simplified characters
BODY = '<p>台湾海峡<a href="https://example.com/台湾">台湾报道</a></p><p><img src="/x.jpg" alt="台湾海峡图"></p>'
TAIWAN = {"title": "臺灣軟件新聞", "tag": "臺灣", "category": "兩岸", "author": "聯合早報", "caption": "臺灣海峽"}
HONG_KONG_TITLE = "台灣軟件新聞"
TRADITIONAL_TITLE = "臺灣軟體報導"  # written in traditional characters
SIMPLIFIED_OF_TRADITIONAL = "台湾软体报导"


@pytest.fixture
def article():
    return make_article(
        TITLE,
        body_html=BODY,
        tags=["台湾"],
        categories=["两岸"],
        author="联合早报",
        lead_image_url="https://example.com/lead.jpg",
        lead_image_caption="台湾海峡",
        excerpt="台湾海峡的消息",
    )


def reader(script=None, accept="en"):
    """A client whose browser asks for ``accept`` and who chose ``script`` on the switch (if any)."""
    client = Client(HTTP_ACCEPT_LANGUAGE=accept)
    if script:
        response = client.post("/script/", {"script": script, "next": "/"})
        assert response.status_code == 302
    return client


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    ("accept", "lang", "title"),
    [
        ("zh-TW", "zh-Hant-TW", TAIWAN["title"]),
        ("zh-Hant", "zh-Hant-TW", TAIWAN["title"]),
        ("zh-HK,zh-TW;q=0.8", "zh-Hant-HK", HONG_KONG_TITLE),
        ("zh-MO", "zh-Hant-HK", HONG_KONG_TITLE),
        ("zh-CN", "zh-Hans", TITLE),
        ("en-US", "zh", TITLE),
        ("fr", "zh", TITLE),
    ],
)
def test_the_default_script_follows_the_interface_language(article, accept, lang, title):
    html = page(reader(accept=accept), article.get_absolute_url())
    assert f'<h1 lang="{lang}">{title}</h1>' in html


def test_an_article_page_converts_every_text_of_the_article(article):
    html = page(reader("hant", "en"), article.get_absolute_url())
    lang = 'lang="zh-Hant-TW"'
    assert f"<title>{TAIWAN['title']} · News archive</title>" in html
    assert f"<h1 {lang}>{TAIWAN['title']}</h1>" in html
    assert re.search(rf'<a class="tag" href="[^"]+" rel="tag" {lang}>{TAIWAN["tag"]}</a>', html)
    assert re.search(rf'<a href="[^"]+" {lang}>{TAIWAN["category"]}</a>', html)
    assert re.search(rf'<a class="author" href="[^"]+" {lang}>{TAIWAN["author"]}</a>', html)
    assert f"<figcaption {lang}>{TAIWAN['caption']}</figcaption>" in html
    # The body: text converted, the link's address and the image's alt text exactly as stored.
    assert '臺灣海峽<a href="https://example.com/台湾">臺灣報道</a>' in html
    assert 'alt="台湾海峡图"' in html
    visible = re.sub(r"<[^>]*>", " ", html.split("</head>")[1])
    assert TITLE not in visible and "台湾" not in visible  # no text of the article left unconverted


def test_metadata_stays_as_written(article):
    html = page(reader("hant", "zh-TW"), article.get_absolute_url())
    assert f'<meta property="og:title" content="{TITLE}">' in html
    assert '<meta property="article:tag" content="台湾">' in html
    assert '<meta name="description" content="台湾海峡的消息">' in html
    data = json.loads(unescape(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)))
    assert data["headline"] == TITLE and data["keywords"] == ["台湾"] and data["author"]["name"] == "联合早报"


def test_traditional_text_reads_simplified(client):
    article = make_article(TRADITIONAL_TITLE, tags=["臺灣"], author="中央社")
    html = page(reader(accept="zh-CN"), article.get_absolute_url())
    assert f'<h1 lang="zh-Hans">{SIMPLIFIED_OF_TRADITIONAL}</h1>' in html
    assert re.search(r'rel="tag" lang="zh-Hans">台湾</a>', html)
    assert f'<h1 lang="zh">{TRADITIONAL_TITLE}</h1>' in page(reader("original", "zh-CN"), article.get_absolute_url())


def test_lists_convert_cards_and_names(article):
    hant = reader("hant")
    month = "/archive/" + article.get_absolute_url()[1:9]
    for url in ("/", "/tag/台湾/", "/category/两岸/", "/author/联合早报/", month):
        html = page(hant, url)
        assert f'<h2 class="card-title" lang="zh-Hant-TW"><a href="{article.get_absolute_url()}">' in unescape(html)
        assert TAIWAN["title"] in html and "臺灣海峽的消息" in html and TITLE not in html, url
    assert '<h1 lang="zh-Hant-TW">臺灣</h1>' in page(hant, "/tag/台湾/")
    assert '<h1 lang="zh-Hant-TW">兩岸</h1>' in page(hant, "/category/两岸/")
    assert '<h1 lang="zh-Hant-TW">聯合早報</h1>' in page(hant, "/author/联合早报/")
    assert '<span class="name" lang="zh-Hant-TW">臺灣</span>' in page(hant, "/tags/")


def test_links_and_stored_data_never_change(article):
    def hrefs(html):
        return sorted(re.findall(r'(?:href|src|action)="([^"]*)"', html))

    stored = Article.objects.values().get(pk=article.pk)
    for url in ("/", article.get_absolute_url(), "/tag/台湾/", "/search/?q=台湾"):
        original, converted = page(reader("original"), url), page(reader("hant"), url)
        assert original != converted, url
        assert hrefs(original) == hrefs(converted), url
    assert Article.objects.values().get(pk=article.pk) == stored
    assert article.tags.get().name == "台湾" and article.tags.get().slug == "台湾"


def test_search_results_convert_and_still_mark_the_matches(article):
    html = page(reader("hant"), "/search/?q=台湾海峡")
    assert f'<h2 class="card-title" lang="zh-Hant-TW"><a href="{article.get_absolute_url()}">{TAIWAN["title"]}</a>' in (
        unescape(html)
    )
    assert '<p class="snippet" lang="zh-Hant-TW"><mark>臺灣海峽</mark>臺灣報道</p>' in html
    # The facets name tags, categories and authors in the reader's script; their links stay as written.
    for name in (TAIWAN["tag"], TAIWAN["category"], TAIWAN["author"]):
        assert f'<span class="facet-name" lang="zh-Hant-TW">{name}</span>' in html
    assert re.search(r'href="[^"]*tag=(台湾|%E5%8F%B0%E6%B9%BE)', html)
    # A query in the other script finds and marks the same words.
    html = page(reader("hans"), "/search/?q=臺灣報道")
    assert "台湾海峡<mark>台湾报道</mark>" in html


def test_feeds_convert_both_ways(article):
    traditional = make_article(TRADITIONAL_TITLE, tags=["臺灣"], author="中央社", excerpt="臺灣軟體")
    rss = page(reader("hant"), "/feed/rss/")
    assert f"<title>{TAIWAN['title']}</title>" in rss and "<category>臺灣</category>" in rss
    assert "臺灣海峽的消息" in rss and TITLE not in rss and "<language>zh-Hant-TW</language>" in rss
    atom = page(reader("hans"), "/feed/atom/")
    assert f"<title>{SIMPLIFIED_OF_TRADITIONAL}</title>" in atom and 'term="台湾"' in atom
    assert "台湾软体" in atom and TRADITIONAL_TITLE not in atom and 'xml:lang="zh-Hans"' in atom
    tag_feed = page(reader("hant"), "/tag/台湾/feed/rss/")
    assert "“臺灣”" in tag_feed
    assert f"<title>{TRADITIONAL_TITLE}</title>" in page(reader("original"), "/feed/rss/")
    assert traditional.title == TRADITIONAL_TITLE


def test_the_switch_is_remembered_and_the_original_is_one_click_away(article, settings):
    client = reader(accept="zh-TW")
    url = article.get_absolute_url()
    html = page(client, url)
    form = re.search(r'<form class="switch" action="/script/" method="post">(.*?)</form>', html, re.S).group(1)
    assert unquote(unescape(re.search(r'name="next" value="([^"]*)"', form).group(1))) == unquote(url)
    assert re.findall(r'name="script" value="(\w+)"', form) == ["hans", "hant", "original"]
    assert re.search(r'value="hant" aria-current="true"><span lang="zh-Hant">繁</span>', form)
    response = client.post("/script/", {"script": "original", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    cookie = response.cookies["reading_script"]
    assert cookie.value == "original" and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == settings.LANGUAGE_COOKIE_AGE
    html = page(client, url)
    assert f'<h1 lang="zh">{TITLE}</h1>' in html and '<html lang="zh-hant">' in html
    assert re.search(r'value="original" aria-current="true">', html)


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_the_script_switch_stays_on_the_site(client, next_url):
    response = client.post("/script/", {"script": "hans", "next": next_url})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_script_switch_refuses_other_sites_and_odd_values(client, article):
    response = client.post("/script/", {"script": "hans"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403 and "reading_script" not in response.cookies
    assert client.get("/script/").status_code == 405
    response = client.post("/script/", {"script": "klingon", "next": "/"})
    assert response.status_code == 302 and "reading_script" not in response.cookies
    client.cookies["reading_script"] = "<evil>"
    assert f'<h1 lang="zh-Hans">{TITLE}</h1>' in page(Client(HTTP_ACCEPT_LANGUAGE="zh-CN"), article.get_absolute_url())
    assert f'<h1 lang="zh">{TITLE}</h1>' in page(client, article.get_absolute_url())


def test_every_cache_varies_by_script(article, settings):
    """The page cache and the card cache: each reader gets the script they chose, cached or not."""
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 30
    readers = {"original": TITLE, "hant": TAIWAN["title"], "hans": TITLE}
    traditional = make_article(TRADITIONAL_TITLE)
    for _round in range(2):  # the first round fills the caches, the second is served from them
        for script, title in readers.items():
            client = reader(script)
            for url in ("/", article.get_absolute_url()):
                response = client.get(url)
                assert title in response.content.decode(), (script, url)
                assert "Cookie" in response["Vary"]
            home = page(client, "/")
            assert (SIMPLIFIED_OF_TRADITIONAL in home) == (script == "hans")
    hk = Client(HTTP_ACCEPT_LANGUAGE="zh-HK")
    assert HONG_KONG_TITLE in page(hk, "/") and TAIWAN["title"] in page(Client(HTTP_ACCEPT_LANGUAGE="zh-TW"), "/")
    assert traditional.title == TRADITIONAL_TITLE


def test_cards_are_cached_per_script(article):
    for script, title in (("hant", TAIWAN["title"]), ("original", TITLE), ("hant", TAIWAN["title"])):
        assert title in page(reader(script), "/tag/台湾/")


def test_conversion_costs_no_queries(article):
    for url in ("/", article.get_absolute_url(), "/search/?q=台湾"):
        counts = []
        for script in ("original", "hant"):
            client = reader(script)
            client.get(url)  # warm the per-process caches (counts, related articles)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            counts.append(len(queries))
        assert counts[0] == counts[1], url
