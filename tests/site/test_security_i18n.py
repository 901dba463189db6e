import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.test import Client

from tests.factories import make_article

pytestmark = pytest.mark.django_db

PAGES = ["/", "/tags/", "/archive/", "/archive/2022/", "/archive/2022/07/", "/search/?q=台海", "/tag/台海/"]


@pytest.fixture
def article():
    return make_article(
        "台海新闻",
        tags=["台海"],
        categories=["中国"],
        author="联合早报",
        original_url="https://www.zaobao.com/news/1",
        published_at=datetime(2022, 7, 7, 23, 4, tzinfo=ZoneInfo("Asia/Singapore")),
    )


def all_pages(article):
    return [*PAGES, article.get_absolute_url(), "/category/中国/", "/author/联合早报/", "/no/such/page/"]


def test_security_headers_on_every_page(client, article):
    for url in all_pages(article):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert "frame-ancestors 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_no_inline_script_or_style_anywhere(client, article):
    for url in all_pages(article):
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script([^>]*)>", html)
        assert all('type="application/ld+json"' in attrs for attrs in scripts), url
        assert "<style" not in html and " style=" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url


def test_friendly_500_page(monkeypatch, article):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("articles.web.views.listing.fetch_cards", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "database on fire" not in response.content.decode()


def test_500_template_renders_without_a_request():
    assert "Something went wrong" in render_to_string("500.html")


def test_english_by_default(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html
    assert "July 7, 2022" in html


def test_simplified_chinese_from_the_browser_language(client, article):
    response = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5")
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "2022年7月7日" in html
    assert "阅读原文" in html
    assert "最新" in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert response["Vary"] and "Accept-Language" in response["Vary"]


def test_site_name_follows_the_language_unless_configured(client, settings):
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<a class="site-name" href="/">新闻档案</a>' in chinese
    assert "<title>新闻档案</title>" in client.get("/feed/rss/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<a class="site-name" href="/">News archive</a>' in client.get("/").content.decode()
    settings.SITE_NAME = "早报档案"
    assert '<a class="site-name" href="/">早报档案</a>' in client.get("/").content.decode()


def test_chinese_404_page(client):
    html = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "找不到" in html
