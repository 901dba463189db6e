import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.curation.duplicates import find_duplicate_pairs
from articles.models import Article, ArticleRedirect
from articles.text.fingerprints import normalize, text_fingerprint
from tests.factories import make_article

URL = reverse("admin:articles_article_duplicates")
LONG_TEXT = "中共中央军委联合参谋部参谋长李作成星期四应约与美国参谋长联席会议主席米利视频通话。" * 8


def test_normalize_folds_script_width_case_and_punctuation():
    assert normalize("李作成與美參謀長通話：要求停止！") == normalize("李作成与美参谋长通话 要求停止")
    assert normalize("ＮＡＴＯ Summit") == "natosummit"


def test_fingerprint_ignores_short_texts():
    assert text_fingerprint("短") == ""
    assert text_fingerprint(LONG_TEXT) == text_fingerprint(LONG_TEXT.replace("。", "，") + " 以下略")


@pytest.mark.django_db
def test_finds_same_title_close_dates_and_same_text_but_not_far_dates():
    when = timezone.now() - timezone.timedelta(days=10)
    a = make_article("李作成与米利通话", published_at=when)
    b = make_article("李作成與米利通話！", published_at=when + timezone.timedelta(hours=5))
    make_article("李作成与米利通话", published_at=when - timezone.timedelta(days=300))
    c = make_article("完全不同的标题", body_text=LONG_TEXT)
    d = make_article("另一个标题", body_text=LONG_TEXT)
    pairs = {(p.first_id, p.second_id): p.reasons for p in find_duplicate_pairs()}
    assert pairs == {(a.pk, b.pk): {"title"}, (c.pk, d.pk): {"text"}}


@pytest.mark.django_db
def test_duplicates_page_lists_pairs(superuser_client):
    make_article("同一新闻", body_text=LONG_TEXT)
    make_article("同一新闻", body_text=LONG_TEXT)
    response = superuser_client.get(URL)
    assert response.status_code == 200
    assert response.text.count("同一新闻") >= 2
    assert "same title, close dates" in response.text and "same text" in response.text


@pytest.mark.django_db
def test_merge_hides_other_moves_tags_and_redirects(superuser_client, superuser):
    keep = make_article("同一新闻", tags=["甲"], categories=["国际"])
    other = make_article("同一新闻", tags=["乙"], categories=["两岸"])
    old_url = other.get_absolute_url()
    response = superuser_client.post(URL, {"keep": keep.pk, "other": other.pk}, follow=True)
    assert "it was hidden" in response.text
    other.refresh_from_db()
    assert other.status == Article.Status.HIDDEN and f"#{keep.pk}" in other.hidden_reason
    assert sorted(keep.tags.names()) == ["乙", "甲"]
    assert sorted(c.name for c in keep.categories.all()) == ["两岸", "国际"]
    assert ArticleRedirect.objects.get(old_path=old_url).article == keep
    assert keep.history.latest().history_user == superuser
    assert "Merged duplicate" in keep.history.latest().history_change_reason
    assert "同一新闻" not in superuser_client.get(URL).text  # hidden ones are no longer listed


@pytest.mark.django_db
def test_merge_can_delete_for_users_allowed_to(superuser_client, editor_client):
    keep, other = make_article("重复"), make_article("重复")
    assert editor_client.post(URL, {"keep": keep.pk, "other": other.pk, "delete": "on"}).status_code == 403
    superuser_client.post(URL, {"keep": keep.pk, "other": other.pk, "delete": "on"})
    assert not Article.objects.filter(pk=other.pk).exists()
    assert Article.history.filter(id=other.pk, history_type="-").exists()


@pytest.mark.django_db
def test_merge_into_itself_is_refused(superuser_client):
    article = make_article("自己")
    response = superuser_client.post(URL, {"keep": article.pk, "other": article.pk}, follow=True)
    assert "cannot be merged into itself" in response.text
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def _duplicate_pairs(numbers):
    """Pairs of same-titled articles, three days apart from the next pair; the higher numbers newer."""
    for i in numbers:
        when = timezone.now() - timezone.timedelta(days=3 * (100 - i))
        make_article(f"重复新闻 {i}", published_at=when)
        make_article(f"重複新聞 {i}！", published_at=when + timezone.timedelta(hours=1))


@pytest.mark.django_db
def test_duplicates_page_is_paged_with_a_constant_number_of_queries(superuser_client):
    _duplicate_pairs(range(3))
    with CaptureQueriesContext(connection) as few:
        assert superuser_client.get(URL).status_code == 200
    _duplicate_pairs(range(3, 60))
    with CaptureQueriesContext(connection) as many:
        first = superuser_client.get(URL)
    assert len(many) == len(few)
    assert "60 pairs" in first.text and "page 1 of 2" in first.text
    assert "重复新闻 59" in first.text and "重复新闻 0<" not in first.text  # newest first
    second = superuser_client.get(URL, {"p": 2})
    assert "重复新闻 0<" in second.text and "重复新闻 59" not in second.text


@pytest.mark.django_db
def test_keys_follow_edits_and_hidden_articles_are_left_out():
    a = make_article("原来的标题")
    b = make_article("另一条新闻")
    assert find_duplicate_pairs() == []
    b.title = "原來的標題"
    b.save()
    assert [(p.first_id, p.second_id) for p in find_duplicate_pairs()] == [(a.pk, b.pk)]
    assert find_duplicate_pairs(Article.objects.exclude(pk=b.pk)) == []


@pytest.mark.django_db
def test_custom_admin_pages_lead_back_to_their_change_list(superuser_client):
    articles = reverse("admin:articles_article_changelist")
    runs = reverse("admin:articles_importrun_changelist")
    for page, changelist, body_class in (
        (URL, articles, "duplicates"),
        (reverse("admin:articles_importrun_upload"), runs, "import-upload"),
    ):
        html = superuser_client.get(page).text
        breadcrumbs = html[html.index('<div class="breadcrumbs">') :]
        assert f'href="{changelist}"' in breadcrumbs[: breadcrumbs.index("</div>")]
        assert f"model-{changelist.split('/')[-2]} {body_class}" in html
