"""The timelines readers see: their numbers are the counts, their links lead to the lists they count,
and odd archives (empty, one article, only year 1 or 9999, a month of 100,000) draw sensible charts."""

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from articles.models import Article
from articles.web import charts
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0


def timeline(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "lxml").select_one("figure.timeline")


def table(figure):
    """{period: (count, link or None)} of a timeline's table of numbers."""
    rows = {}
    for row in figure.select("tbody tr"):
        link = row.th.find("a")
        rows[row.th.get_text(strip=True)] = (int(row.td.get_text().replace(",", "")), link and link["href"])
    return rows


def bars(figure):
    """{tooltip: link} of the chart's bars."""
    return {rect.title.get_text(): rect.find_parent("a")["href"] for rect in figure.select("rect.timeline-bar")}


@pytest.fixture
def dated():
    sgt = timezone.get_default_timezone()
    for day in (1, 2, 3):
        make_article(published_at=datetime(2022, 7, day, 12, tzinfo=sgt), tags=["台海"], author="早报")
    make_article(published_at=datetime(2022, 7, 31, 17, tzinfo=UTC), tags=["台海"], categories=["中国"])  # 1 August
    make_article(published_at=datetime(2019, 2, 1, 12, tzinfo=sgt), tags=["国际"], author="早报")
    make_article(published_at=datetime(2022, 7, 5, tzinfo=sgt), status=Article.Status.DRAFT, tags=["台海"])


def test_the_archives_chart_is_its_counts_and_each_bar_leads_to_its_month(client, dated):
    figure = timeline(client, "/archive/")
    assert {period: count for period, (count, _link) in table(figure).items()} == {
        "February 2019": 1,
        "July 2022": 3,
        "August 2022": 1,
    }
    assert figure.select_one("tfoot td").get_text() == "5"
    for period, (count, link) in table(figure).items():
        listed = client.get(link)
        assert listed.context["paginator"].count == count, period
    assert bars(figure)["July 2022: 3 articles"] == "/archive/2022/07/"
    # One small chart per year from 2019 to 2022, the empty years too, newest first.
    assert [label.get_text() for label in figure.select(".timeline-label")] == ["2022", "2021", "2020", "2019"]
    assert figure.find_parent().select_one(".timeline-rows")["aria-hidden"] == "true"


def test_a_year_page_charts_its_months(client, dated):
    figure = timeline(client, "/archive/2022/")
    assert {period: count for period, (count, _link) in table(figure).items()} == {"July 2022": 3, "August 2022": 1}


def test_tag_category_and_author_charts_lead_to_their_list_narrowed_to_the_year(client, dated):
    figure = timeline(client, "/tag/台海/")
    assert {period: count for period, (count, _link) in table(figure).items()} == {"July 2022": 3, "August 2022": 1}
    link = table(figure)["July 2022"][1]
    assert link == "?year=2022"
    assert client.get("/tag/台海/" + link).context["paginator"].count == 4
    author = timeline(client, "/author/早报/")
    assert {period: count for period, (count, _link) in table(author).items()} == {"February 2019": 1, "July 2022": 3}
    category = timeline(client, "/category/中国/")
    assert list(table(category)) == ["August 2022"]
    # Narrowed to a year, the chart still shows every year: its bars switch years.
    narrowed = timeline(client, "/author/早报/", year=2022)
    assert table(narrowed)["February 2019"][1] == "?year=2019"


def test_search_results_chart_their_matches(client, dated):
    figure = timeline(client, "/search/", q="测试文章")
    assert sum(count for count, _link in table(figure).values()) == 5
    link = table(figure)["February 2019"][1]
    assert link.startswith("?q=") and link.endswith("&year=2019")
    assert client.get("/search/" + link).context["paginator"].count == 1


def test_scheduled_articles_are_charted_when_their_time_comes(client, monkeypatch):
    now = timezone.localtime()
    make_article("已发布", published_at=now - timedelta(seconds=1))
    make_article("本月稍后", published_at=now + timedelta(seconds=2))
    make_article("明年", published_at=now + timedelta(days=400))
    assert sum(count for count, _link in table(timeline(client, "/archive/")).values()) == 1
    later = timezone.now() + timedelta(seconds=3)  # as if time had passed, without a write
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert sum(count for count, _link in table(timeline(client, "/archive/")).values()) == 2


def test_an_empty_archive_has_no_chart(client):
    response = client.get("/archive/")
    assert response.status_code == 200 and b"No articles yet." in response.content
    assert BeautifulSoup(response.content, "lxml").select_one("figure.timeline") is None


def test_one_article(client):
    make_article(published_at=datetime(2024, 3, 3, tzinfo=UTC))
    figure = timeline(client, "/archive/")
    assert list(table(figure).values()) == [(1, "/archive/2024/03/")]
    assert len(figure.select("rect.timeline-bar")) == 1


def test_articles_only_in_year_one_and_the_year_9999(client, settings):
    settings.TIME_ZONE = "UTC"
    make_article(published_at=datetime(1, 1, 1, 12, tzinfo=UTC))
    make_article(published_at=datetime(1, 12, 31, 12, tzinfo=UTC), status=Article.Status.HIDDEN)
    figure = timeline(client, "/archive/")  # 9999 is in the future: only year 1 is public
    assert [label.get_text() for label in figure.select(".timeline-label")] == ["1"]
    make_article(published_at=datetime(9999, 12, 31, 12, tzinfo=UTC), status=Article.Status.DRAFT)
    chart = charts.timeline([(101, 1), (999912, 2)], lambda year, month: f"/{year}/{month}")
    assert [row.label for row in chart.rows] == ["9999", "1"]  # two charts, not 9,999
    assert [bar.url for bar in chart.bars] == ["/1/1", "/9999/12"]


def test_a_month_of_100000_beside_a_month_of_one():
    chart = charts.timeline([(202201, 100_000), (202202, 1)], lambda year, month: "")
    big, small = chart.bars
    assert big.height == charts.HEIGHT and small.height == charts.MIN_HEIGHT
    assert chart.total == 100_001


def test_every_year_from_1_to_9999_folds_into_a_few_charts():
    chart = charts.timeline([(year * 100 + 6, 1) for year in range(1, 10000)], lambda year, month: f"/{year}")
    assert len(chart.rows) <= charts.MAX_ROWS and chart.total == 9999
    assert chart.level == 3  # a bar per century, a row per millennium
    assert chart.rows[0].label == "9000–9999"


def test_many_years_fold_to_a_bar_per_year():
    chart = charts.timeline([(year * 100 + 1, year) for year in range(1900, 2000)], lambda y, m: f"/{y}/{m}")
    assert chart.level == 1 and chart.rows[0].label == "1990–1999"
    assert chart.bars[0].url == "/1900/None" and chart.bars[0].label == "1900"
