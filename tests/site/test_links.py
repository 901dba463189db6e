"""Links built from stored text: any author name or slug links to its own list, and never breaks a page."""

import re
from html import unescape
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from django.test import Client
from taggit.models import Tag

from articles.models import Article
from articles.web.links import link, segment_links
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ODD_NAMES = [
    "line1\nline2",
    "a b/../../admin?x=1#y",
    "..",
    ".",
    "./x",
    "100%",
    "50%2F",
    "%E5%8F%B0",
    "a#b?c=d&e",
    "tab\there\r",
    "\\..\\..\\admin",
    "新华社/路透社",
    " 前后空格 ",
    "联合早报驻北京特派员" * 20,  # 200 characters, the column's limit
]


def author_hrefs(html, name):
    links = re.findall(r'class="author" href="([^"]*)" lang="zh">([^<]*)</a>', html)
    return [unescape(href) for href, text in links if unescape(text) == name]


def pages(article):
    return ["/", article.get_absolute_url(), f"/search/?q={article.title}", "/tag/共同/", "/api/articles/"]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_any_stored_author_links_to_its_own_list(client, name):
    # Stored through the ORM, as old imports and scripts did, without the admin's clean-up.
    article = make_article("怪名文章", author=name, tags=["共同"])
    make_article("别人的文章", author="路透社", tags=["共同"])
    for url in pages(article):
        response = client.get(url)
        assert response.status_code == 200, url
    for page in ("/", article.get_absolute_url(), f"/search/?q={article.title}"):
        page_url = "http://testserver" + page
        hrefs = author_hrefs(client.get(page).content.decode(), name)
        assert hrefs, page
        for href in hrefs:
            # What a browser does with the link: resolve dot segments, keep the rest of the path.
            resolved = urlsplit(urljoin(page_url, href))
            assert resolved.path.startswith("/author/") and not resolved.query and not resolved.fragment, href
            assert ".." not in unquote(resolved.path).split("/"), href
            listing = client.get(resolved.path)
            assert listing.status_code == 200, href
            html = listing.content.decode()
            assert "怪名文章" in html and "别人的文章" not in html, href


def test_links_made_before_the_escaping_still_work(client):
    make_article("合写", author="新华社/路透社")
    assert "合写" in client.get("/author/新华社/路透社/").content.decode()
    assert "合写" in client.get("/author/新华社%2F路透社/").content.decode()


def test_an_author_longer_than_the_column_is_404_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/author/" + "长" * 5000 + "/").status_code == 404


def test_a_tag_without_a_slug_is_shown_unlinked_and_the_pages_stay_up(client):
    article = make_article("空标签", tags=["正常"], author="早报")
    empty = Tag.objects.create(name="无链接", slug="x")
    Tag.objects.filter(pk=empty.pk).update(slug="")  # stored by hand: no URL can be built
    article.tags.add(empty)
    Article.objects.filter(pk=article.pk).update(title="空标签")  # new card version
    for url in ("/", article.get_absolute_url(), "/tags/", "/tag/正常/"):
        response = Client(raise_request_exception=False).get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "无链接" in html, url
        assert 'href=""' not in html, url


def test_tags_typed_without_letters_get_a_usable_slug(client):
    article = make_article("符号标签")
    article.tags.add("!!!", "……")
    slugs = sorted(article.tags.values_list("slug", flat=True))
    assert slugs == ["tag", "tag_2"]
    for slug in slugs:
        assert "符号标签" in client.get(f"/tag/{slug}/").content.decode()


@pytest.mark.parametrize("view", ["articles:tag", "articles:category", "articles:author"])
def test_links_made_by_one_reverse_are_reverses(view):
    values = [
        "台海",
        "a/../b",
        "100%",
        "..",
        ".",
        "a\nb",
        "x?y#z",
        "空 格",
        "a%2Fb",
        "~:@!$&'()*+,;=",
        "",
        "//x",
        "\ue000",
    ]
    assert segment_links(view, values) == {value: link(view, value) for value in values}
