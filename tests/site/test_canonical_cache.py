"""The page cache keeps canonical pages only, and links carry only the parameters a view reads."""

import re
from html import unescape

import pytest
from django.core.cache import cache

from tests.factories import make_article

pytestmark = pytest.mark.django_db

JUNK = [{"utm_source": "x"}, {"fbclid": "a" * 200}, {"page": "01"}, {"page": "1"}, {"x": "1", "page": "1", "y": "2"}]


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 30


def page_entries():
    """How many whole pages the (local-memory) cache holds."""
    return sum(":archive:page:" in key for key in cache._cache)


@pytest.fixture
def many():
    for n in range(45):  # three pages
        make_article(f"文章{n}", tags=["共同"], author="早报")


@pytest.mark.parametrize("url", ["/", "/tag/共同/", "/author/早报/", "/api/articles/", "/tags/", "/archive/"])
def test_junk_parameters_are_answered_from_the_canonical_entry(client, many, url, django_assert_num_queries):
    canonical = client.get(url)
    assert canonical.status_code == 200 and page_entries() == 1
    for params in JUNK:
        with django_assert_num_queries(0):
            response = client.get(url, params)
        assert response.content == canonical.content, params
    for n in range(200):  # a flood of distinct junk: no new entries
        client.get(url, {f"junk{n}": n})
    assert page_entries() == 1


def test_a_flood_of_junk_parameters_does_not_grow_the_cache(client, many):
    for n in range(300):
        client.get("/", {"utm_campaign": n, "page": ["2", "02"][n % 2]})
    assert page_entries() == 1  # page 2, once


@pytest.mark.parametrize("url", ["/?page=2", "/tag/共同/?page=2", "/search/?q=文章&page=2", "/api/articles/?page=2"])
def test_links_carry_only_the_parameters_the_page_reads(client, many, url):
    text = client.get(url + "&utm_source=junk&order=newest&evil=%3Cx%3E").content.decode()
    assert "utm_source" not in text and "evil" not in text
    links = re.findall(r'href="(\?[^"]*)"', text) or re.findall(r'"(?:next|previous)": "([^"]*)"', text)
    links = [unescape(link) for link in links]
    assert links, url
    known = {"page", "q", "order", "year", "category", "author", "tag"}  # the last four: facets
    assert all(set(re.findall(r"[?&]([^=&]+)=", link)) <= known for link in links), links


def test_search_links_keep_the_query_and_a_known_order(client, many):
    text = client.get("/search/", {"q": "文章", "order": "oldest", "page": "2", "junk": "1"}).content.decode()
    assert "junk" not in text
    assert 'href="?q=%E6%96%87%E7%AB%A0&amp;order=oldest"' in text  # page 1: no page=1
    assert 'href="?q=%E6%96%87%E7%AB%A0"' in text  # relevance, the default order


def test_invalid_values_are_answered_but_never_stored(client, many):
    assert client.get("/", {"page": "abc"}).status_code == 404
    assert client.get("/api/articles/", {"from": "2022-13-01"}).status_code == 400
    assert client.get("/archive/2022/13/").status_code == 404
    assert page_entries() == 0


def test_other_spellings_of_a_host_or_path_are_answered_without_the_cache(client):
    make_article("合写", author="新华社/路透社", tags=["A"])
    assert client.get("/", HTTP_HOST="127.0.0.1:1").status_code == 200
    assert client.get("/", HTTP_HOST="LOCALHOST").status_code == 200
    assert client.get("/author/新华社/路透社/").status_code == 200  # a link from before the escaping
    assert client.get("/tag/%2561/").status_code == 200  # the same tag as /tag/a/
    assert page_entries() == 0
    assert client.get("/", HTTP_HOST="127.0.0.1:80").status_code == 200  # the server's own port
    assert page_entries() == 1


def test_sitemaps_are_kept_once_per_page(client):
    make_article()
    for params in ({}, {"utm": "1"}, {"p": "1"}, {"p": "01"}):
        response = client.get("/sitemap-articles.xml", params)
        assert response.status_code == 200 and "max-age=" in response["Cache-Control"]
    assert page_entries() == 1
