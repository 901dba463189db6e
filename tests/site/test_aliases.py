"""Old paths (Hugo's ``aliases``, stored redirects) never claim the site's pages or another article's address."""

from datetime import datetime, timedelta, timezone

import pytest

from articles.importer.runner import import_paths
from articles.models import Article, ArticleRedirect
from tests.factories import make_article
from tests.helpers import migrate
from tests.importer.posts import front_matter_post

pytestmark = pytest.mark.django_db

SGT = timezone(timedelta(hours=8))
# A page past the end, a malformed parameter, a file that is not there: each the 404 of a page of the site.
SITE_404S = [
    "/?page=9999",
    "/?page=abc",
    "/search/?q=x&year=abc",
    "/api/articles/?page=9999",
    "/media/assets/00/x.jpg",
    "/static/nope.css",
    "/tag/nope/",
    "/archive/1999/",
]


@pytest.fixture
def other():
    """The article at /2024/07/01/no/."""
    return make_article("另一篇", slug="no", legacy_slug="no", published_at=datetime(2024, 7, 1, 12, tzinfo=SGT))


def import_post(folder, **front_matter):
    front_matter_post(folder, "claims.md", title="声称别人的地址", **front_matter)
    return import_paths([folder], workers=1)


def test_an_import_refuses_aliases_that_name_the_sites_pages_or_another_articles_address(client, tmp_path, other):
    aliases = ["/", "/search/", "/api/articles/", "/media/assets/00/x.jpg", "/2024/07/01/no/", "/2024/07/01/no.html"]
    aliases += ["/search", "/admin/anything/", "/static/site.css", "https://old.example.com/feed/rss/"]
    report = import_post(tmp_path, aliases=[*aliases, "/posts/old-name/"])
    post = Article.objects.get(title="声称别人的地址")  # the rest of the post is imported
    assert list(ArticleRedirect.objects.values_list("old_path", "article")) == [("/posts/old-name/", post.pk)]
    notes = [note for _path, note in report.notes]
    assert notes == [
        "alias '/' ignored: an address of the site itself (articles:list)",
        "alias '/search/' ignored: an address of the site itself (articles:search)",
        "alias '/api/articles/' ignored: an address of the site itself (articles:api-list)",
        "alias '/media/assets/00/x.jpg' ignored: an address of the site itself (MEDIA_URL)",
        "alias '/search' ignored: an address of the site itself (articles:search)",
        "alias '/admin/anything/' ignored: an address of the site itself (admin)",
        "alias '/static/site.css' ignored: an address of the site itself (STATIC_URL)",
        "alias 'https://old.example.com/feed/rss/' ignored: an address of the site itself (articles:rss)",
        f"alias '/2024/07/01/no/' ignored: the address of article #{other.pk}",
        f"alias '/2024/07/01/no.html' ignored: the address of article #{other.pk}",
    ]
    assert report.ok
    for url in SITE_404S:
        assert client.get(url).status_code == 404, url
    other.status, other.hidden_reason = Article.Status.HIDDEN, "撤下"
    other.save()
    assert client.get("/2024/07/01/no/").status_code == 404  # hidden, not handed to the post
    assert client.get("/posts/old-name/")["Location"] == post.get_absolute_url()


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.HIDDEN])
def test_an_article_of_any_status_keeps_its_address(tmp_path, status):
    held = make_article("草稿", slug="draft", status=status, published_at=datetime(2024, 7, 1, tzinfo=SGT))
    report = import_post(tmp_path, aliases=["/2024/07/01/draft/", "/2030/01/01/draft"])
    assert ArticleRedirect.objects.count() == 0
    assert [note for _path, note in report.notes] == [
        f"alias '/2024/07/01/draft/' ignored: the address of article #{held.pk}",
        f"alias '/2030/01/01/draft' ignored: the address of article #{held.pk}",  # any date leads to it
    ]


def test_an_alias_of_an_article_imported_with_it_is_refused(tmp_path):
    front_matter_post(tmp_path, "a.md", title="甲", aliases=["/2022/07/07/乙/"])
    front_matter_post(tmp_path, "b.md", title="乙")
    report = import_paths([tmp_path], workers=1)
    assert ArticleRedirect.objects.count() == 0
    assert [note for _path, note in report.notes] == [
        f"alias '/2022/07/07/乙/' ignored: the address of article #{Article.objects.get(title='乙').pk}"
    ]


def test_an_alias_of_the_posts_own_address_is_kept_out_quietly(tmp_path):
    report = import_post(tmp_path, aliases=["/2022/07/07/声称别人的地址/", "/2022/07/07/claims.html"])
    assert ArticleRedirect.objects.count() == 0 and report.notes == []


def test_aliases_of_addresses_no_article_holds_still_redirect(client, tmp_path):
    report = import_post(tmp_path, aliases=["/2019/01/02/older.html", "/2019/01/02/older/", "/search-old/"])
    post = Article.objects.get()
    assert report.notes == []
    for old in ("/2019/01/02/older.html", "/2019/01/02/older/", "/search-old/", "/search-old"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, post.get_absolute_url()), old


@pytest.mark.parametrize(
    "old_path",
    ["/", "/search/", "/search", "/api/articles/", "/media/assets/00/x.jpg", "/static/nope.css", "/tag/nope/"],
)
def test_redirects_stored_before_never_answer_for_the_sites_pages(client, old_path):
    """Stored by an import before aliases were checked: the lookup leaves the site's pages alone."""
    post = make_article("旧的别名")
    make_article("第二篇")  # the home page has a page 1, and no page 9999
    ArticleRedirect.objects.create(old_path=old_path, article=post)
    for url in SITE_404S:
        response = client.get(url)
        assert response.status_code == 404, (old_path, url)
    assert client.get("/search", follow=False)["Location"] == "/search/"  # APPEND_SLASH's, not the post's


def test_a_stored_alias_never_takes_an_address_an_article_holds_unless_a_merge_made_it(client, other):
    post = make_article("旧的别名")
    ArticleRedirect.objects.create(old_path="/2024/07/01/no/", article=post)
    draft = make_article("草稿", slug="draft", status=Article.Status.DRAFT)
    ArticleRedirect.objects.create(old_path=draft.get_absolute_url(), article=post)
    assert client.get(draft.get_absolute_url()).status_code == 404  # a draft's address stays its own
    # An alias stored before an article took its address: that article keeps it, hidden or not.
    later = make_article("后来的文章", slug="later", published_at=datetime(2024, 7, 2, 12, tzinfo=SGT))
    ArticleRedirect.objects.filter(old_path="/2024/07/01/no/").update(old_path=later.get_absolute_url())
    ArticleRedirect.objects.update(created_at=later.created_at - timedelta(days=1))
    later.status, later.hidden_reason = Article.Status.HIDDEN, "撤下"
    later.save()
    assert client.get(later.get_absolute_url()).status_code == 404
    # A redirect stored after the article was hidden (a merged duplicate's) leads on.
    ArticleRedirect.objects.filter(old_path=later.get_absolute_url()).update(created_at=later.created_at)
    assert client.get(later.get_absolute_url())["Location"] == post.get_absolute_url()


@pytest.mark.django_db(transaction=True)
def test_the_migration_drops_stored_aliases_that_claim_addresses():
    apps = migrate(("articles", "0012_search_token_ids"))
    old_article, old_redirect = apps.get_model("articles", "Article"), apps.get_model("articles", "ArticleRedirect")
    day = datetime(2024, 7, 1, 12, tzinfo=SGT)
    post = old_article.objects.create(title="声称", slug="claims", status="published", published_at=day)
    for slug, status in [("no", "published"), ("draft", "draft"), ("dup", "hidden")]:
        old_article.objects.create(title=slug, slug=slug, legacy_slug=slug, status=status, published_at=day)
    claims = ["/", "/search", "/api/articles/", "/media/assets/00/x.jpg", "/2024/07/01/no/", "/2024/07/02/no.html"]
    claims += ["/2024/07/01/draft/"]
    kept = ["/2024/07/01/dup/", "/2024/07/01/nobody/", "/posts/old-name/", "/2024/07/01/claims/"]
    for path in claims + kept:
        old_redirect.objects.create(old_path=path, article=post)
    migrate(None)
    assert sorted(ArticleRedirect.objects.values_list("old_path", flat=True)) == sorted(kept)
