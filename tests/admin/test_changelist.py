import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_many

URL = reverse("admin:articles_article_changelist")


def changelist_queries(client, url=URL):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


@pytest.mark.django_db
def test_empty_changelist_renders(superuser_client):
    response, _ = changelist_queries(superuser_client)
    assert "0 articles" in response.text


@pytest.mark.django_db
def test_query_count_does_not_grow_with_rows(superuser_client, django_assert_num_queries):
    make_many(1)
    response, one = changelist_queries(superuser_client)
    assert "批量文章 0" in response.text
    Article.objects.all().delete()
    make_many(1000)
    with django_assert_num_queries(one):
        response = superuser_client.get(URL)
    assert response.text.count('class="action-select"') == 100  # 100 per page
    assert "台海" in response.text  # tags column, prefetched


@pytest.mark.django_db
def test_filtered_and_searched_pages_keep_constant_queries(superuser_client, django_assert_num_queries):
    make_many(3)
    _, few = changelist_queries(superuser_client, URL + "?tag=台海&status__exact=published&author=作者1")
    Article.objects.all().delete()
    make_many(300)
    with django_assert_num_queries(few):
        superuser_client.get(URL + "?tag=台海&status__exact=published&author=作者1")


@pytest.mark.django_db
def test_tag_filter_accepts_any_tag_and_lists_only_top_tags(superuser_client):
    tagged = make_article("有罕见标签", tags=["罕见"])
    make_article("无关文章", tags=["国际"])
    response = superuser_client.get(URL, {"tag": "罕见"})
    assert tagged.title in response.text
    assert "无关文章" not in response.text
    assert 'name="tag"' in response.text  # the typed-value form


@pytest.mark.django_db
def test_category_and_author_filters(superuser_client):
    make_article("经济新闻", categories=["经济"], author="甲")
    make_article("体育新闻", categories=["体育"], author="乙")
    by_category = superuser_client.get(URL, {"category": "经济"}).text
    assert "经济新闻" in by_category and "体育新闻" not in by_category
    by_author = superuser_client.get(URL, {"author": "乙"}).text
    assert "体育新闻" in by_author and "经济新闻" not in by_author


@pytest.mark.django_db
def test_search_box_uses_search_engine(superuser_client):
    make_article("李作成与米利通话", body_text="中美两军视频通话")
    make_article("天气预报", body_text="明天有雨")
    response = superuser_client.get(URL, {"q": "米利"})
    assert "李作成与米利通话" in response.text
    assert "天气预报" not in response.text


@pytest.mark.django_db
def test_scheduled_articles_are_labelled(superuser_client):
    from django.utils import timezone

    make_article("明日发布", published_at=timezone.now() + timezone.timedelta(days=1))
    assert "Scheduled" in superuser_client.get(URL).text


@pytest.mark.django_db
def test_columns_are_sortable(superuser_client):
    make_many(3)
    for column in range(1, 6):
        assert superuser_client.get(URL, {"o": str(column)}).status_code == 200


@pytest.mark.django_db
def test_date_hierarchy_lists_years_in_the_local_time_zone(superuser_client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    singapore = ZoneInfo("Asia/Singapore")
    make_article("跨年", published_at=datetime(2021, 1, 1, 0, 30, tzinfo=singapore))  # 2020 in UTC
    make_article("旧闻", published_at=datetime(2018, 5, 1, tzinfo=singapore))
    text = superuser_client.get(URL).text
    assert "published_at__year=2021" in text and "published_at__year=2018" in text
    assert "published_at__year=2020" not in text and "published_at__year=2019" not in text
    assert "跨年" in superuser_client.get(URL, {"published_at__year": "2021"}).text


@pytest.mark.django_db
def test_date_hierarchy_from_year_1_to_9999(superuser_client):
    from datetime import UTC, datetime

    make_article("元年", published_at=datetime(1, 1, 1, 12, tzinfo=UTC))  # 20:00 in Singapore
    make_article("末年", published_at=datetime(9999, 12, 31, 12, tzinfo=UTC))
    text = superuser_client.get(URL).text
    assert 'published_at__year=1"' in text
    assert "published_at__year=9999" in text
    for year, month, day, title in (("1", "1", "1", "元年"), ("9999", "12", "31", "末年")):
        for params in ({}, {"published_at__month": month}, {"published_at__month": month, "published_at__day": day}):
            response = superuser_client.get(URL, {"published_at__year": year, **params})
            assert response.status_code == 200 and title in response.text, (year, params)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"published_at__year": "0"},
        {"published_at__year": "10000"},
        {"published_at__year": "99999999999999999999"},
        {"published_at__year": "abc"},
        {"published_at__year": "2024", "published_at__month": "13"},
        {"published_at__year": "2024", "published_at__month": "2", "published_at__day": "30"},
        {"published_at__year": "-1"},
    ],
)
def test_impossible_dates_get_the_admins_error_not_a_500(superuser_client, params):
    response = superuser_client.get(URL, params)
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["1", "9999"])
def test_import_runs_filter_by_the_first_and_last_year(superuser_client, year):
    url = reverse("admin:articles_importrun_changelist")
    assert superuser_client.get(url, {"started_at__year": year}).status_code == 200


@pytest.mark.django_db
def test_filters_list_the_values_of_the_newest_articles_and_filter_by_any(superuser_client, monkeypatch):
    """The sidebar reads only the newest articles' values (not every link of a million articles)."""
    monkeypatch.setattr("articles.admin.filters.RECENT", 3)
    for n in range(4):
        make_article(f"旧文{n}", tags=["旧标签"], categories=["旧类"], author="旧作者")
    for n in range(3):
        make_article(f"新文{n}", tags=["新标签"] if n else ["新标签", "少用"], categories=["新类"], author="新作者")
    text = superuser_client.get(URL).text
    sidebar = text[text.index('id="changelist-filter"') :]
    assert all(value in sidebar for value in ("新标签", "少用", "新类", "新作者"))
    assert "旧标签" not in sidebar and "旧类" not in sidebar and "旧作者" not in sidebar
    assert sidebar.index("新标签") < sidebar.index("少用")  # most used first
    filtered = superuser_client.get(URL, {"tag": "旧标签"}).text
    assert "旧文0" in filtered and "新文0" not in filtered


@pytest.mark.django_db
def test_date_hierarchy_of_a_search_lists_only_the_years_of_its_matches(superuser_client):
    from datetime import UTC, datetime

    make_article("米利通话", body_text="米利", published_at=datetime(2019, 6, 1, tzinfo=UTC))
    make_article("天气", body_text="下雨", published_at=datetime(2022, 6, 1, tzinfo=UTC))
    make_article("米利再通话", body_text="米利", published_at=datetime(2023, 6, 1, tzinfo=UTC))
    text = superuser_client.get(URL, {"q": "米利"}).text
    assert "published_at__year=2019" in text and "published_at__year=2023" in text
    assert "published_at__year=2022" not in text
    plain = superuser_client.get(URL).text
    assert all(f"published_at__year={year}" in plain for year in (2019, 2022, 2023))
