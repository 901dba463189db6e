"""The interface language: from Accept-Language by the issue's rules, or the reader's switch."""

import re
from html import unescape
from urllib.parse import unquote

import pytest
from django.test import Client

from tests.factories import make_article

pytestmark = pytest.mark.django_db

HOME_HEADING = {"en": "Latest articles", "zh-hans": "最新文章", "zh-hant": "最新文章"}
SITE_NAME = {"en": "News archive", "zh-hans": "新闻档案", "zh-hant": "新聞典藏"}


@pytest.mark.parametrize(
    ("accept", "language"),
    [
        ("zh-TW", "zh-hant"),
        ("zh-HK", "zh-hant"),
        ("zh-MO", "zh-hant"),
        ("zh-Hant", "zh-hant"),
        ("zh-Hant-TW", "zh-hant"),
        ("zh-hant-hk,en;q=0.5", "zh-hant"),
        ("zh-CN", "zh-hans"),
        ("zh-SG", "zh-hans"),
        ("zh-Hans", "zh-hans"),
        ("zh-Hans-HK", "zh-hans"),  # the script subtag wins over the region
        ("zh-CN,zh;q=0.9,en;q=0.5", "zh-hans"),
        ("fr-FR,zh-TW;q=0.5", "zh-hant"),  # French we do not have: the browser's next choice
        ("en-US,zh-TW;q=0.5", "en"),
        ("zh", "en"),  # a bare zh names no script: the rest get English
        ("zh-yue", "en"),
        ("ja", "en"),
        ("", "en"),
        ("*", "en"),
        ("zh-TW;q=abc", "en"),  # a malformed header is ignored, not an error
        ("x" * 1000, "en"),
    ],
)
def test_the_interface_language_follows_accept_language(client, accept, language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{HOME_HEADING[language]}</h1>" in html
    assert f'<a class="site-name" href="/">{SITE_NAME[language]}</a>' in html
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]


def test_traditional_chinese_pages_feeds_and_errors(client):
    article = make_article("台海新闻", tags=["台海"], original_url="https://www.zaobao.com/news/1")
    html = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    assert "閱讀原文" in html and "相關文章" not in html
    assert "<title>新聞典藏</title>" in client.get("/feed/rss/", HTTP_ACCEPT_LANGUAGE="zh-HK").content.decode()
    assert "找不到這個頁面" in client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="zh-MO").content.decode()
    assert "搜尋" in client.get("/search/?q=台海", HTTP_ACCEPT_LANGUAGE="zh-Hant").content.decode()


def test_the_admin_speaks_traditional_chinese_too(client):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    assert '<html lang="zh-hant"' in html and "登入" in html  # Django's own catalogue


def switch_language(client, language, next_url="/", **headers):
    return client.post("/language/", {"language": language, "next": next_url}, **headers)


def test_the_switch_keeps_the_readers_choice_over_the_browsers(client):
    response = switch_language(client, "zh-hant", "/tags/", HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302 and response["Location"] == "/tags/"
    cookie = response.cookies["django_language"]
    assert cookie.value == "zh-hant" and cookie["max-age"] >= 30 * 24 * 3600
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert '<html lang="zh-hant">' in response.content.decode()
    assert {"Accept-Language", "Cookie"} <= {part.strip() for part in response["Vary"].split(",")}
    switch_language(client, "en", HTTP_SEC_FETCH_SITE="same-origin")
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example", ""])
def test_the_switch_never_sends_the_reader_off_the_site(client, next_url):
    response = switch_language(client, "zh-hans", next_url)
    assert response.status_code == 302 and response["Location"] == "/"


def test_another_sites_page_cannot_switch_the_language(client):
    for headers in ({"HTTP_SEC_FETCH_SITE": "cross-site"}, {"HTTP_ORIGIN": "https://evil.example"}):
        response = switch_language(client, "zh-hant", **headers)
        assert response.status_code == 403 and "django_language" not in response.cookies
    assert client.get("/language/").status_code == 405


def test_an_unknown_language_changes_nothing_visible(client):
    switch_language(client, "fr")
    assert '<html lang="en">' in client.get("/").content.decode()
    client.cookies["django_language"] = "xx-evil"
    assert '<html lang="zh-hans">' in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()


def test_every_page_has_the_switch_returning_to_its_canonical_address(client):
    article = make_article("台海新闻", tags=["台海"], author="联合早报")
    pages = {
        "/": "/",
        "/?page=1&utm_source=x": "/",
        "/tags/": "/tags/",
        "/tag/台海/": "/tag/台海/",
        article.get_absolute_url(): article.get_absolute_url(),
        "/archive/": "/archive/",
        "/search/?q=台海&utm_source=x": "/search/?q=台海",
        "/no/such/page/?secret=1": "/no/such/page/",
    }
    for url, back in pages.items():
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
        form = re.search(r'<form class="switch" action="/language/" method="post">(.*?)</form>', page, re.S)
        assert form, url
        next_value = re.search(r'name="next" value="([^"]*)"', form.group(1)).group(1)
        assert unquote(unescape(next_value)) == unquote(back), url
        buttons = re.findall(r"<button [^>]*>[^<]*</button>", form.group(1))
        assert len(buttons) == 3, url
        assert sum('aria-current="true"' in button for button in buttons) == 1
        assert 'lang="zh-hant" aria-current="true">繁體中文</button>' in form.group(1)


def test_a_cached_page_never_reaches_a_reader_of_another_language(client, settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 30
    make_article("台海新闻")
    chooser = Client()
    switch_language(chooser, "zh-hant")
    assert "<h1>最新文章</h1>" in chooser.get("/").content.decode()
    assert "<h1>Latest articles</h1>" in client.get("/").content.decode()
    assert '<html lang="zh-hans">' in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-SG").content.decode()
    assert '<html lang="zh-hant">' in chooser.get("/").content.decode()
