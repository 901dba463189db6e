import json
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article, ArticleRedirect
from articles.web.views import detail
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SGT = ZoneInfo("Asia/Singapore")


def test_url_has_local_date_and_unicode_slug(client):
    # 15:04 UTC on 7 July is 23:04 in Singapore; 16:30 UTC is already 8 July there.
    late = make_article("深夜新闻", slug="深夜新闻", published_at=datetime(2022, 7, 7, 16, 30, tzinfo=ZoneInfo("UTC")))
    assert late.get_absolute_url() == "/2022/07/08/%E6%B7%B1%E5%A4%9C%E6%96%B0%E9%97%BB/"
    assert client.get(late.get_absolute_url()).status_code == 200


def test_detail_shows_everything_a_reader_needs(client):
    when = datetime(2022, 7, 7, 23, 4, tzinfo=SGT)
    article = make_article(
        "李作成与美参谋长联席会主席通话",
        author="联合早报",
        original_url="https://www.zaobao.com/realtime/china/story20220707-1290628",
        tags=["联合早报", "中美关系"],
        categories=["中国"],
        published_at=when,
        lead_image_url="https://static.example.org/lead.jpg",
        lead_image_caption="视频通话截图",
        reading_time=4,
        body_html="<p>中方在事关国家核心利益问题上没有妥协余地。</p>",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<h1 lang="zh">李作成与美参谋长联席会主席通话</h1>' in html
    assert 'datetime="2022-07-07T23:04:00+08:00"' in html
    assert "11:04 p.m." in html
    assert "Read the original at www.zaobao.com" in html
    assert 'href="https://www.zaobao.com/realtime/china/story20220707-1290628"' in html
    assert "/category/%E4%B8%AD%E5%9B%BD/" in html
    assert 'rel="tag"' in html and "中美关系" in html
    assert '<figcaption lang="zh">视频通话截图</figcaption>' in html
    assert 'alt="视频通话截图"' in html
    assert '<div class="prose" lang="zh">' in html
    assert "<p>中方在事关国家核心利益问题上没有妥协余地。</p>" in html
    assert "4 min read" in html


def test_lead_figure_not_repeated_when_the_body_already_shows_it(client):
    url = "https://static.example.org/a.jpg?x=1&y=2"
    article = make_article(
        lead_image_url=url, body_html='<p><img src="https://static.example.org/a.jpg?x=1&amp;y=2"></p>'
    )
    assert 'class="lead-figure"' not in client.get(article.get_absolute_url()).content.decode()


def test_metadata_canonical_open_graph_twitter_and_json_ld(client):
    article = make_article("标题<script>", tags=["台海"], lead_image_url="https://img.example.org/x.jpg", author="早报")
    html = client.get(article.get_absolute_url()).content.decode()
    canonical = f"http://testserver{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert '<meta property="og:title" content="标题&lt;script&gt;">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<script>" not in block
    data = json.loads(block)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "标题<script>"
    assert data["mainEntityOfPage"] == canonical
    assert data["author"]["name"] == "早报"
    assert data["keywords"] == ["台海"]


def test_previous_and_next_articles(client):
    now = timezone.now()
    older = make_article("较早", published_at=now - timedelta(days=3))
    middle = make_article("中间", published_at=now - timedelta(days=2))
    newer = make_article("较新", published_at=now - timedelta(days=1))
    make_article("草稿", status=Article.Status.DRAFT, published_at=now - timedelta(days=2, hours=12))
    response = client.get(middle.get_absolute_url())
    assert response.context["older"] == older
    assert response.context["newer"] == newer


def test_related_articles_share_the_most_tags_and_skip_drafts(client):
    article = make_article("主文", tags=["a", "b", "c"])
    best = make_article("三个相同", tags=["a", "b", "c"])
    second = make_article("两个相同", tags=["a", "b"])
    make_article("草稿三个", tags=["a", "b", "c"], status=Article.Status.DRAFT)
    for n in range(6):
        make_article(f"一个相同{n}", tags=["c"])
    make_article("无关", tags=["z"])
    related = client.get(article.get_absolute_url()).context["related"]
    assert len(related) == 5
    assert related[:2] == [best, second]
    assert all(a.status == Article.Status.PUBLISHED for a in related)
    assert "无关" not in [a.title for a in related]


def test_related_articles_are_found_among_the_neighbours_in_each_tag(client, monkeypatch):
    """A tag on a tenth of the archive is not read whole: the candidates are the articles added just
    before and after this one in each of its tags, ranked by the tags they share."""
    monkeypatch.setattr(detail, "RELATED_NEIGHBOURS", 2)
    far = make_article("远处两个相同", tags=["热门", "少见"])
    for n in range(3):
        make_article(f"热门{n}", tags=["热门"])
    before = make_article("之前", tags=["热门"])
    article = make_article("主文", tags=["热门", "少见"])
    after = make_article("之后两个相同", tags=["热门", "少见"])
    for n in range(3):
        make_article(f"之后热门{n}", tags=["热门"])
    related = client.get(article.get_absolute_url()).context["related"]
    assert set(related[:2]) == {after, far}  # two shared tags: next to it, and next to it in the rare tag
    assert before in related and "之后热门2" not in [a.title for a in related]  # too far in the popular tag


def test_cached_related_list_drops_an_article_hidden_since(client, settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0
    article = make_article("台海局势", tags=["台海"])
    other = make_article("台海新闻", tags=["台海"])
    assert client.get(article.get_absolute_url()).context["related"] == [other]
    Article.objects.filter(pk=other.pk).update(status=Article.Status.HIDDEN)
    assert client.get(article.get_absolute_url()).context["related"] == []


@pytest.mark.parametrize("tag_count", [1, 25])
def test_detail_query_count_is_constant(client, django_assert_num_queries, tag_count):
    tags = [f"t{n}" for n in range(tag_count)]
    article = make_article(tags=tags, categories=["甲", "乙"])
    for _ in range(3):
        make_article(tags=tags)
    # article, tags, categories, older, newer, related
    with django_assert_num_queries(6):
        assert client.get(article.get_absolute_url()).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.HIDDEN])
def test_drafts_and_hidden_are_404_for_the_public_and_bannered_for_staff(client, staff_client, status):
    article = make_article("内部文章", status=status, hidden_reason="重复")
    assert client.get(article.get_absolute_url()).status_code == 404
    response = staff_client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="preview-banner"' in html
    assert "only staff can see it" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.HIDDEN])
def test_staff_without_the_view_permission_get_no_preview(django_user_model, status):
    article = make_article("内部文章", status=status, hidden_reason="版权问题")
    ArticleRedirect.objects.create(old_path="/old/path/", article=article)
    article.legacy_slug = "old-name"
    article.save()
    staff = django_user_model.objects.create_user("clerk", password="pw-for-tests", is_staff=True)
    clerk = Client()
    clerk.force_login(staff)
    local = article.local_published_at
    for url in (article.get_absolute_url(), "/old/path/", f"/{local:%Y/%m/%d}/old-name.html"):
        response = clerk.get(url)
        assert response.status_code == 404, url
        assert "版权问题" not in response.content.decode()


def test_scheduled_article_is_404_until_its_time(client, staff_client):
    article = make_article("明天的新闻", published_at=timezone.now() + timedelta(days=1))
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "scheduled for" in staff_client.get(article.get_absolute_url()).content.decode()


def test_public_article_has_no_banner(client):
    article = make_article()
    assert "preview-banner" not in client.get(article.get_absolute_url()).content.decode()


def test_wrong_date_redirects_permanently_to_the_stable_url(client):
    article = make_article(slug="稳定", published_at=datetime(2022, 7, 7, 12, tzinfo=SGT))
    response = client.get("/2021/01/01/稳定/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_unknown_slug_is_a_friendly_404(client):
    response = client.get("/2022/07/07/没有这篇/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_body_html_is_rendered_as_stored_but_other_fields_are_escaped(client):
    article = make_article(
        "<b>粗体</b>",
        author="<i>作者</i>",
        excerpt="<script>alert(1)</script>",
        lead_image_caption="<img src=x onerror=alert(1)>",
        lead_image_url="https://img.example.org/x.jpg",
        body_html="<p>正文</p>",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<p>正文</p>" in html
    assert "<b>粗体</b>" not in html and "&lt;b&gt;粗体&lt;/b&gt;" in html
    assert "<i>作者</i>" not in html
    assert "<img src=x onerror" not in html
    assert "<script>alert(1)</script>" not in html


def test_neighbours_follow_the_list_order_when_times_tie(client):
    same = timezone.now() - timedelta(days=1)
    first, second, third = (make_article(f"同时{n}", published_at=same) for n in range(3))
    listed = [a.pk for a in client.get("/").context["articles"]]
    assert listed == [first.pk, second.pk, third.pk]
    response = client.get(second.get_absolute_url())
    assert response.context["newer"] == first
    assert response.context["older"] == third


def test_neighbours_of_articles_at_the_edges_of_the_calendar(staff_client, settings):
    settings.TIME_ZONE = "Etc/GMT+12"  # behind UTC: the last instant of 9999 in UTC is a local time too
    public = make_article("现在", published_at=timezone.now() - timedelta(days=1))
    first = make_article("元年", published_at=datetime(1, 1, 1, 12, tzinfo=UTC))  # local midnight
    last = make_article("末日", published_at=datetime.max.replace(tzinfo=UTC))  # staff preview it
    response = staff_client.get(first.get_absolute_url())
    assert (response.context["older"], response.context["newer"]) == (None, public)
    response = staff_client.get(last.get_absolute_url())
    assert (response.context["older"], response.context["newer"]) == (public, None)
