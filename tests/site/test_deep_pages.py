"""Every page of a list read from its year counts (articles.web.seek): the same articles in the same order
as the whole list sorted at once, deep pages as cheap as the first, pages past the end 404 at once."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from articles.facets import year_counts
from articles.models import Article
from articles.web import seek
from tests.factories import make_article

pytestmark = pytest.mark.django_db

PER_PAGE = 20


@pytest.fixture
def archive():
    """67 public articles over four years (some sharing one instant, across a page boundary, and one
    at a year's first instant in the site time zone), two pinned, a draft and a future one."""
    first_of_2022 = timezone.make_aware(datetime(2022, 1, 1), timezone.get_current_timezone())
    moments = [datetime(2019 + n % 4, 1 + n % 12, 1 + n % 28, n % 24, tzinfo=UTC) for n in range(60)]
    moments += [datetime(2021, 6, 1, 12, tzinfo=UTC)] * 6 + [first_of_2022]
    for n, moment in enumerate(moments):
        make_article(f"文章 {n}", published_at=moment, tags=["共同"] if n % 3 else ["共同", "其他"])
        Article.objects.filter(title=f"文章 {n}").update(author="记者" if n % 2 else "编辑")
    for n in range(2):
        make_article(f"置顶 {n}", published_at=datetime(2020, 3, 3, tzinfo=UTC), featured=True, tags=["共同"])
    make_article("草稿", status=Article.Status.DRAFT, tags=["共同"])
    make_article("将来", published_at=timezone.now() + timedelta(days=3), tags=["共同"])


def titles(html):
    return re.findall(r">(文章 \d+|置顶 \d+)<", html)


def every_page(client, url, **params):
    """The titles of every page of ``url`` in order, until the first 404."""
    listed, number = [], 1
    while (response := client.get(url, {**params, "page": number})).status_code == 200:
        listed += titles(response.content.decode())
        number += 1
    assert response.status_code == 404
    return listed, number - 1


def expected(articles):
    return list(articles.order_by("-published_at", "id").values_list("title", flat=True))


@pytest.mark.parametrize(
    ("url", "articles"),
    [
        ("/tag/共同/", {"tags__name": "共同"}),
        ("/tag/其他/", {"tags__name": "其他"}),
        ("/author/记者/", {"author": "记者"}),
    ],
)
def test_every_page_of_a_list_in_order(client, archive, url, articles):
    listed, pages = every_page(client, url)
    wanted = expected(Article.objects.published().filter(**articles))
    assert listed == wanted
    assert pages == -(-len(wanted) // PER_PAGE)


def test_every_page_of_the_home_page_pinned_first_then_the_rest(client, archive):
    listed, pages = every_page(client, "/")
    pinned = ["置顶 0", "置顶 1"]
    assert sorted(listed[:2]) == pinned
    assert listed[2:] == [title for title in expected(Article.objects.published()) if title not in pinned]
    assert pages == -(-(len(listed) - 2) // PER_PAGE)


def test_a_year_of_a_list_paged_in_order(client, archive):
    listed, _pages = every_page(client, "/tag/共同/", year=2021)
    start, end = (timezone.make_aware(datetime(y, 1, 1), timezone.get_current_timezone()) for y in (2021, 2022))
    articles = Article.objects.published(start, end).filter(tags__name="共同")
    assert listed == expected(articles)


@pytest.mark.parametrize("url", ["/", "/tag/共同/", "/author/记者/"])
def test_the_last_page_costs_the_queries_of_the_first(client, archive, django_assert_num_queries, url):
    last = client.get(url).context["paginator"].num_pages
    assert last > 1
    # (home: the pinned ids; a tag: the tag) the kept year counts, the page's ids, rows and tags
    with django_assert_num_queries(4 if url.startswith("/author/") else 5) as first:
        client.get(url, {"page": 2})
    with django_assert_num_queries(len(first)):
        assert client.get(url, {"page": last}).status_code == 200


@pytest.mark.parametrize("url", ["/", "/tag/共同/", "/author/记者/"])
@pytest.mark.parametrize("page", ["5", str(10**30), "0", "1.5"])
def test_pages_past_the_end_and_malformed_ones_are_404_without_reading_articles(
    client, archive, django_assert_num_queries, url, page
):
    client.get(url)  # counts cached
    # The pinned ids (home), the tag, and the stored redirects any 404 looks up: no page is read.
    with django_assert_num_queries({"/": 2, "/tag/共同/": 2}.get(url, 1)):
        assert client.get(url, {"page": page}).status_code == 404


def test_the_archive_year_counts_equal_the_local_years_of_its_public_articles(archive):
    counted = seek.published_years()
    assert counted == year_counts(Article.objects.published())
    assert sum(count for _year, count in counted) == Article.objects.published().count()
