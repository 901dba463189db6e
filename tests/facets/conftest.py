from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from articles.models import Article, Category
from tests.factories import make_article

SGT = ZoneInfo("Asia/Singapore")


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0
    settings.SEARCH_RATE_LIMIT = ""


@pytest.fixture
def archive():
    """Articles that all say 台海 (but one), over years whose edges differ in UTC and Singapore.

    12 tags and 12 authors, so the top 10 leave some out; a year before ``RECENT_YEARS`` and
    year 1; drafts and hidden articles that must never be counted.
    """
    times = [
        datetime(2021, 12, 31, 23, 30, tzinfo=SGT),
        datetime(2022, 1, 1, 0, 10, tzinfo=SGT),  # still 2021 in UTC
        datetime(2022, 7, 7, 23, 4, tzinfo=SGT),
        datetime(2022, 12, 31, 23, 59, tzinfo=SGT),
        datetime(2023, 3, 1, 12, tzinfo=SGT),
        datetime(2024, 2, 29, 8, tzinfo=SGT),
        datetime(1950, 6, 1, tzinfo=SGT),
        datetime(1, 1, 1, 12, tzinfo=UTC),
    ]
    authors = ["早报", "早报", "路透社", "Reuters ", "", "美联社", "新华社/路透社", "早报"]
    for n, (moment, author) in enumerate(zip(times, authors, strict=True)):
        make_article(
            f"台海局势 {n}",
            author=author,
            published_at=moment,
            tags=["军事", "中美"][: n % 3] + [f"标签{n}", f"tag {n % 4}"],
            categories=[["中国"], ["国际", "中国"], []][n % 3],
        )
    for n in range(12):  # one each: authors and tags past the top 10
        moment = datetime(2020, 5, n + 1, tzinfo=SGT)
        make_article(f"台海 单篇 {n}", author=f"作者{n:02}", tags=[f"单{n:02}"], published_at=moment)
    make_article("经济新闻", author="早报", tags=["军事"], published_at=datetime(2022, 3, 3, tzinfo=SGT))
    make_article("台海草稿", author="早报", tags=["军事"], status=Article.Status.DRAFT, published_at=times[2])
    make_article("台海隐藏", author="早报", tags=["军事"], status=Article.Status.HIDDEN, published_at=times[2])
    unlinked = make_article("台海 无链接", author="早报", published_at=times[2])
    unlinked.categories.add(Category.objects.create(name="无链接", slug=""))  # no URL, so no facet
