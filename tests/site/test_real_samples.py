"""Every page of the real sample archive renders, through the real importer."""

import re

import pytest
from django.core.management import call_command
from taggit.models import Tag

from articles.models import Article, Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(corpus_dir):
    call_command("import_seeds", str(corpus_dir), "--no-progress", "--workers", "1", verbosity=0)
    assert Article.objects.published().exists()


def test_every_public_article_renders_without_scripts(client, imported):
    for article in Article.objects.published():
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200, article.source_path
        html = response.content.decode()
        scripts = re.findall(r"<script([^>]*)>", html)
        assert all('type="application/ld+json"' in attrs for attrs in scripts), article.source_path
        assert not re.search(r"<[^>]+\son[a-z]+=", html), article.source_path


def test_every_list_page_renders(client, imported):
    urls = ["/", "/tags/", "/archive/", "/feed/atom/", "/feed/rss/", "/sitemap.xml", "/sitemap-articles.xml"]
    urls += [f"/tag/{tag.slug}/" for tag in Tag.objects.all()]
    urls += [category.get_absolute_url() for category in Category.objects.all()]
    years = client.get("/archive/").context["years"]
    urls += [f"/archive/{year}/" for year, _ in years]
    for url in urls:
        assert client.get(url).status_code == 200, url
    for year, _ in years:
        for month, _ in client.get(f"/archive/{year}/").context["months"]:
            assert client.get(f"/archive/{year}/{month.month:02d}/").status_code == 200


def test_old_jekyll_urls_of_real_posts_redirect(client, imported):
    article = Article.objects.published().exclude(legacy_slug="").first()
    if article is None:
        pytest.skip("no sample post has a Jekyll slug")
    day = article.local_published_at
    response = client.get(f"/{day:%Y/%m/%d}/{article.legacy_slug}.html")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
