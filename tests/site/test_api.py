from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SGT = ZoneInfo("Asia/Singapore")


@pytest.fixture
def archive():
    a = make_article(
        "台海新闻",
        author="联合早报",
        tags=["台海", "中美"],
        categories=["中国"],
        original_url="https://www.zaobao.com/x",
        published_at=datetime(2022, 7, 7, 23, 4, tzinfo=SGT),
    )
    b = make_article("经济新闻", author="路透社", tags=["经济"], published_at=datetime(2022, 8, 1, 9, tzinfo=SGT))
    make_article("草稿", tags=["台海"], status=Article.Status.DRAFT, published_at=datetime(2022, 7, 8, tzinfo=SGT))
    return a, b


def test_list_shape_and_fields(client, archive):
    body = client.get("/api/articles/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2 and body["next"] is None and body["previous"] is None
    first = body["results"][1]
    assert first == {
        "id": archive[0].pk,
        "title": "台海新闻",
        "url": f"http://testserver{archive[0].get_absolute_url()}",
        "original_url": "https://www.zaobao.com/x",
        "published": "2022-07-07T23:04:00+08:00",
        "author": "联合早报",
        "tags": ["中美", "台海"],
        "categories": ["中国"],
        "excerpt": "台海新闻 的摘要。",
    }


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"tag": "台海"}, ["台海新闻"]),
        ({"category": "中国"}, ["台海新闻"]),
        ({"author": "路透社"}, ["经济新闻"]),
        ({"from": "2022-07-08"}, ["经济新闻"]),
        ({"to": "2022-07-07"}, ["台海新闻"]),
        ({"from": "2022-07-07", "to": "2022-08-01"}, ["经济新闻", "台海新闻"]),
        ({"q": "经济"}, ["经济新闻"]),
        ({"q": "草稿"}, []),
        ({"tag": "不存在"}, []),
    ],
)
def test_filters(client, archive, params, titles):
    body = client.get("/api/articles/", params).json()
    assert [r["title"] for r in body["results"]] == titles
    assert body["count"] == len(titles)


def test_pagination_links(client):
    for _ in range(45):
        make_article()
    first = client.get("/api/articles/", {"author": ""}).json()
    assert len(first["results"]) == 20 and first["count"] == 45
    assert first["next"].startswith("http://testserver/api/articles/?") and "page=2" in first["next"]
    last = client.get("/api/articles/", {"page": 3}).json()
    assert len(last["results"]) == 5 and last["next"] is None and "page=2" in last["previous"]


@pytest.mark.parametrize(
    ("params", "status", "word"),
    [
        ({"from": "2022-13-01"}, 400, "from"),
        ({"to": "yesterday"}, 400, "to"),
        ({"from": "2022-08-01", "to": "2022-07-01"}, 400, "from"),
        ({"from": "10000-01-01"}, 400, "from"),
        ({"to": "0000-12-31"}, 400, "to"),
        ({"page": "abc"}, 400, "page"),
        ({"page": "0"}, 400, "page"),
        ({"page": "99999"}, 404, "99999"),
    ],
)
def test_bad_parameters_are_clear_json_errors(client, archive, params, status, word):
    response = client.get("/api/articles/", params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert word in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"from": "0001-01-01"}, ["经济新闻", "台海新闻", "元年"]),
        ({"to": "9999-12-31"}, ["经济新闻", "台海新闻", "元年"]),
        ({"from": "0001-01-01", "to": "0001-01-01"}, ["元年"]),
        ({"from": "9999-12-31"}, []),
        ({"from": "9999-12-31", "to": "9999-12-31"}, []),
    ],
)
def test_dates_at_the_edges_of_the_calendar(client, archive, params, titles):
    # Midnight of 1 January, year 1, in Singapore is year 0 in UTC; the day after 9999-12-31 does not exist.
    make_article("元年", published_at=datetime(1, 1, 1, 12, tzinfo=ZoneInfo("UTC")))
    response = client.get("/api/articles/", params)
    assert response.status_code == 200
    assert [r["title"] for r in response.json()["results"]] == titles


def test_detail_adds_the_body_and_hides_drafts(client, archive):
    body = client.get(f"/api/articles/{archive[0].pk}/").json()
    assert body["body_html"] == "<p>台海新闻 的正文。</p>"
    assert body["tags"] == ["中美", "台海"]
    draft = Article.objects.get(title="草稿")
    assert client.get(f"/api/articles/{draft.pk}/").status_code == 404
    assert client.get("/api/articles/999999/").status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_is_constant(client, django_assert_num_queries, count):
    for n in range(count):
        make_article(tags=[f"t{k}" for k in range(n % 8)], categories=["中国"])
    # the kept year counts + ids + rows + tags + categories
    with django_assert_num_queries(5):
        client.get("/api/articles/")
    url = f"/api/articles/{Article.objects.first().pk}/"
    # article + tags + categories
    with django_assert_num_queries(3):
        client.get(url)


def test_every_page_of_the_whole_list_in_order_and_past_the_end_404(client):
    for n in range(45):
        make_article(f"文章{n}", published_at=datetime(2015 + n % 5, 1 + n % 12, 2, tzinfo=UTC))
    listed, page = [], 1
    while (response := client.get("/api/articles/", {"page": page})).status_code == 200:
        listed += [item["id"] for item in response.json()["results"]]
        assert response.json()["count"] == 45
        page += 1
    assert page == 4 and response.status_code == 404
    assert listed == list(Article.objects.order_by("-published_at", "id").values_list("id", flat=True))
    assert client.get("/api/articles/", {"page": str(10**30)}).status_code == 404
