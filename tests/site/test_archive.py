from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SGT = ZoneInfo("Asia/Singapore")
UTC = ZoneInfo("UTC")


@pytest.fixture
def dated():
    make_article("二一年", published_at=datetime(2021, 5, 1, 12, tzinfo=SGT))
    make_article("七月一", published_at=datetime(2022, 7, 1, 12, tzinfo=SGT))
    make_article("七月二", published_at=datetime(2022, 7, 20, 12, tzinfo=SGT))
    # 31 July 17:00 UTC is 1 August in Singapore: it belongs to August.
    make_article("八月初", published_at=datetime(2022, 7, 31, 17, tzinfo=UTC))
    make_article("七月草稿", published_at=datetime(2022, 7, 5, tzinfo=SGT), status=Article.Status.DRAFT)


def test_years_with_counts(client, dated):
    assert client.get("/archive/").context["years"] == [(2022, 3), (2021, 1)]


def test_years_skip_the_gaps_of_an_outlier_date(client, dated):
    make_article("百年老文", published_at=datetime(1899, 9, 30, 12, tzinfo=SGT))
    assert client.get("/archive/").context["years"] == [(2022, 3), (2021, 1), (1899, 1)]
    assert [(m.month, n) for m, n in client.get("/archive/1899/").context["months"]] == [(9, 1)]


def test_months_of_a_year_in_the_site_time_zone(client, dated):
    months = client.get("/archive/2022/").context["months"]
    assert [(m.month, n) for m, n in months] == [(7, 2), (8, 1)]


def test_articles_of_a_month(client, dated):
    html = client.get("/archive/2022/07/").content.decode()
    assert "七月一" in html and "七月二" in html
    assert "八月初" not in html and "七月草稿" not in html
    assert "July 2022" in html


def test_the_current_month_lists_only_articles_whose_time_has_come(client):
    now = timezone.localtime()
    make_article("已发布", published_at=now.replace(day=1, hour=0, minute=0, second=0, microsecond=0))
    make_article("定时发布", published_at=now + timedelta(minutes=1))
    html = client.get(f"/archive/{now:%Y/%m}/").content.decode()
    assert "已发布" in html and "定时发布" not in html
    months = client.get(f"/archive/{now:%Y}/").context["months"]
    assert dict(months)[now.date().replace(day=1)] == 1


@pytest.mark.parametrize(
    "url",
    [
        "/archive/2022/13/",
        "/archive/2022/00/",
        "/archive/1999/",
        "/archive/2022/06/",
        "/archive/2022/07/?page=x",
        "/archive/0000/",
        "/archive/0001/",
        "/archive/0001/01/",
        "/archive/9999/",
        "/archive/9999/12/",
    ],
)
def test_bad_or_empty_dates_are_404(client, dated, url):
    assert client.get(url).status_code == 404


def test_articles_at_the_edges_of_the_calendar_are_listed(client):
    # 12:00 UTC on 1 January of year 1 is 20:00 in Singapore; that day's local midnight is in year 0 UTC.
    first = make_article("元年", published_at=datetime(1, 1, 1, 12, tzinfo=UTC))
    make_article("末年", published_at=datetime(9999, 12, 31, 12, tzinfo=UTC))  # in the future: not public
    assert client.get("/archive/").context["years"] == [(1, 1)]
    assert [(m.month, n) for m, n in client.get("/archive/0001/").context["months"]] == [(1, 1)]
    assert "元年" in client.get("/archive/0001/01/").content.decode()
    assert client.get(first.get_absolute_url()).status_code == 200
    assert client.get("/archive/9999/").status_code == 404


def test_archive_query_counts(client, dated, django_assert_num_queries):
    # The kept counts (one query, whatever the number of articles): nothing to cache apart from the page.
    with django_assert_num_queries(1):
        client.get("/archive/")
    with django_assert_num_queries(1):
        client.get("/archive/2022/")
    # kept counts + ids + rows + tags
    with django_assert_num_queries(4):
        client.get("/archive/2022/07/")
    for _ in range(50):
        make_article(published_at=datetime(2019, 3, 1, tzinfo=SGT), tags=["多"])
    with django_assert_num_queries(1):
        client.get("/archive/")
