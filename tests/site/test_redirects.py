from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from articles.models import Article, ArticleRedirect
from tests.factories import make_article

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")


@pytest.fixture
def imported():
    # Published 15:04 UTC on 7 July: 23:04 on the 7th in Singapore.
    return make_article(
        "李作成与美参谋长联席会主席通话",
        slug="李作成与美参谋长联席会主席通话",
        legacy_slug="li-zuo-cheng",
        published_at=datetime(2022, 7, 7, 15, 4, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    "old",
    [
        "/2022/07/07/li-zuo-cheng.html",
        "/联合早报/2022/07/07/li-zuo-cheng.html",
        "/news/china/2022/07/07/li-zuo-cheng.html",
        "/2022/07/08/li-zuo-cheng.html",  # built by Jekyll in another time zone
    ],
)
def test_old_jekyll_urls_redirect_permanently(client, imported, old):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == imported.get_absolute_url()


def test_old_jekyll_url_with_wrong_date_or_slug_is_404(client, imported):
    assert client.get("/2020/01/01/li-zuo-cheng.html").status_code == 404
    assert client.get("/2022/07/07/no-such-post.html").status_code == 404
    assert client.get("/2022/02/30/li-zuo-cheng.html").status_code == 404


def test_old_jekyll_url_of_a_draft_is_404(client):
    make_article(legacy_slug="secret", status=Article.Status.DRAFT, published_at=datetime(2022, 7, 7, tzinfo=UTC))
    assert client.get("/2022/07/07/secret.html").status_code == 404


def test_stored_redirect_for_a_merged_or_renamed_article(client, imported):
    ArticleRedirect.objects.create(old_path="/2022/07/07/旧的标题/", article=imported)
    response = client.get("/2022/07/07/旧的标题/")
    assert response.status_code == 301
    assert response["Location"] == imported.get_absolute_url()


def test_stored_redirect_matches_percent_encoded_paths_too(client, imported):
    ArticleRedirect.objects.create(old_path="/2022/07/07/%E6%97%A7/", article=imported)
    assert client.get("/2022/07/07/旧/").status_code == 301


def test_stored_redirect_to_a_hidden_article_is_404(client, imported):
    hidden = make_article(status=Article.Status.HIDDEN)
    ArticleRedirect.objects.create(old_path="/2022/07/07/gone/", article=hidden)
    assert client.get("/2022/07/07/gone/").status_code == 404


@pytest.mark.parametrize("delete", [False, True])
def test_merged_duplicate_url_redirects_to_the_kept_article(client, imported, delete):
    from articles.curation.duplicates import merge_articles

    other = make_article("李作成与美参谋长联席会主席通话", published_at=datetime(2022, 7, 8, 1, tzinfo=UTC))
    old_url = other.get_absolute_url()
    assert client.get(old_url).status_code == 200
    merge_articles(imported, other, delete=delete)
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == imported.get_absolute_url()


def test_hidden_article_without_a_redirect_is_404(client):
    hidden = make_article(status=Article.Status.HIDDEN)
    assert client.get(hidden.get_absolute_url()).status_code == 404
