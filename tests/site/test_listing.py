from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

MANY_TAGS = [f"标签{n}" for n in range(12)]


def make_many(count, **fields):
    return [make_article(tags=MANY_TAGS[: 1 + n % 12], **fields) for n in range(count)]


def test_home_lists_newest_first_with_title_date_author_excerpt_and_tags(client):
    old = make_article("旧闻", author="联合早报", tags=["台海"], published_at=timezone.now() - timedelta(days=3))
    new = make_article("新闻", author="联合早报", tags=["中美"], published_at=timezone.now() - timedelta(days=1))
    html = client.get("/").content.decode()
    assert html.index(new.title) < html.index(old.title)
    assert new.get_absolute_url() in html
    assert "联合早报" in html and "新闻 的摘要。" in html
    assert 'href="/tag/%E4%B8%AD%E7%BE%8E/"' in html


def test_home_shows_lead_image_thumbnail_without_referrer(client):
    make_article("有图", lead_image_url="https://img.example.org/a.jpg")
    html = client.get("/").content.decode()
    assert 'src="https://img.example.org/a.jpg"' in html
    assert 'referrerpolicy="no-referrer"' in html


def test_drafts_hidden_and_future_articles_never_listed(client, staff_client):
    make_article("草稿文章", status=Article.Status.DRAFT)
    make_article("隐藏文章", status=Article.Status.HIDDEN)
    make_article("未来文章", published_at=timezone.now() + timedelta(days=1))
    make_article("公开文章")
    html = client.get("/").content.decode()
    assert "公开文章" in html
    for title in ("草稿文章", "隐藏文章", "未来文章"):
        assert title not in html
    assert "草稿文章" not in staff_client.get("/").content.decode()


def test_featured_articles_are_pinned_on_the_first_page_only(client):
    make_many(25)
    pinned = make_article("置顶文章", featured=True, published_at=timezone.now() - timedelta(days=30))
    first = client.get("/").content.decode()
    assert first.index("置顶文章") < first.index("测试文章")
    assert "is-pinned" in first
    assert pinned.title not in client.get("/?page=2").content.decode()


def test_pagination_twenty_per_page_with_first_previous_numbered_next_last(client):
    make_many(45)
    response = client.get("/?page=2")
    assert len(response.context["articles"]) == 20
    html = response.content.decode()
    for rel in ('rel="first"', 'rel="prev"', 'rel="next"', 'rel="last"'):
        assert rel in html
    assert 'aria-current="page">2<' in html
    assert len(client.get("/?page=3").context["articles"]) == 5


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1.5"])
def test_bad_page_numbers_give_a_friendly_404(client, page):
    make_many(3)
    response = client.get("/", {"page": page})
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_empty_archive_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No articles here yet." in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_home_query_count_is_constant(client, django_assert_num_queries, count):
    make_many(count)
    make_article("置顶", featured=True, tags=MANY_TAGS)
    # pinned ids, the kept year counts, page ids, rows, tags
    with django_assert_num_queries(5):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(5):
        assert client.get("/?page=1").status_code == 200


def test_the_page_count_is_read_from_the_kept_counts_so_it_is_current_at_once(client, django_assert_num_queries):
    make_many(25)
    with django_assert_num_queries(5):
        assert client.get("/?page=2").context["paginator"].count == 25
    make_article("又一篇")
    assert client.get("/?page=2").context["paginator"].count == 26  # no count cached for a while


def test_only_the_pinned_cards_are_marked_featured(client):
    make_many(5)
    make_article("置顶文章", featured=True)
    html = client.get("/").content.decode()
    assert html.count("is-pinned") == 1
