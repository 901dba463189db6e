"""The admin's index as a dashboard: the archive's name, the curators' models first, every number a link."""

import re
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from articles.assets import records
from articles.assets.pipeline import Outcome
from articles.dashboard import registry
from articles.models import Article, Asset, ImportRun, Source, SourceCheck
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "lxml")


def panel(page, title):
    heading = page.find("h2", string=title)
    assert heading is not None, title
    return heading.find_parent("section")


def numbers(section):
    """{label: (count, link)} of a panel's list of numbers."""
    found = {}
    for link in section.select(".dashboard-numbers a"):
        count = int(link.select_one(".dashboard-n").get_text().replace(",", ""))
        label = link.get_text(" ", strip=True).split(" ", 1)[1]
        found[label] = (count, link["href"])
    return found


@pytest.fixture
def archive():
    make_article("甲", published_at=datetime(2022, 7, 7, 4, tzinfo=UTC), original_url="https://example.org/a")
    make_article("乙", published_at=datetime(2022, 7, 9, 4, tzinfo=UTC), status=Article.Status.DRAFT)
    make_article("丙", published_at=datetime(2021, 1, 9, 4, tzinfo=UTC), status=Article.Status.HIDDEN)
    article = Article.objects.get(title="甲")
    records.link_images({article.pk: ["https://img.example.org/1.jpg", "https://img.example.org/2.jpg"]})
    first = Asset.objects.order_by("pk").first()
    fetched = Outcome(first.pk, Asset.Status.FETCHED, 200, sha256="ab" * 32, kind="jpeg", size=1234, written=1234)
    records.save_outcomes([fetched], timezone.now(), {})
    gone = SourceCheck(article=article, status=SourceCheck.Status.GONE, checked_at=timezone.now())
    records.save_source_checks([gone])
    ImportRun.objects.create(created=3, failed=1, finished_at=timezone.now())


def test_the_header_and_title_are_the_archives_name(superuser_client, settings):
    settings.SITE_NAME = "联合早报存档"
    page = soup(superuser_client.get("/admin/"))
    assert "联合早报存档" in page.title.get_text()
    assert page.select_one("#site-name").get_text(strip=True) == "联合早报存档"
    assert "Django administration" not in str(page)


def test_curators_models_come_first(superuser_client):
    page = soup(superuser_client.get("/admin/"))
    captions = [caption.get_text(strip=True) for caption in page.select("#content-main .module caption")]
    assert captions[:4] == ["Articles", "Imports", "Sources", "Images"]
    assert captions.index("Authentication and Authorization") > 3
    articles = page.select_one("#content-main .module caption").find_parent("table").get_text()
    assert "Tags" in articles and "Categories" in articles


def test_numbers_equal_the_counts_and_link_to_their_lists(superuser_client, archive):
    page = soup(superuser_client.get("/admin/"))
    found = numbers(panel(page, "Articles"))
    assert {label: count for label, (count, _url) in found.items()} == {"Draft": 1, "Published": 1, "Hidden": 1}
    for label, (count, url) in found.items():
        listed = superuser_client.get(url)
        assert listed.status_code == 200
        assert listed.context["cl"].result_count == count, label
    images = numbers(panel(page, "Archived images"))
    assert images["Archived"][0] == 1 and images["Not fetched yet"][0] == 1
    assert superuser_client.get(images["Archived"][1]).context["cl"].result_count == 1
    sources = numbers(panel(page, "Source links"))
    assert sources["Gone"][0] == 1 and sources["Alive"][0] == 0
    assert superuser_client.get(sources["Gone"][1]).context["cl"].result_count == 1
    assert "1.2" in panel(page, "Storage").get_text()  # 1,234 bytes of images: "1.2 KB"
    runs = panel(page, "Last imports")
    assert runs.select("tbody tr") and "finished" in runs.get_text()


def test_the_chart_counts_every_status_by_month(superuser_client, archive):
    page = soup(superuser_client.get("/admin/"))
    chart = panel(page, "Articles").select_one(".timeline")
    table = {row.th.get_text(strip=True): int(row.td.get_text()) for row in chart.select("tbody tr")}
    assert table == {"January 2021": 1, "July 2022": 2}
    link = chart.select_one("tbody a[href*='published_at__month=7']")["href"]
    assert superuser_client.get(link).context["cl"].result_count == 2


def test_the_dashboard_costs_the_same_queries_whatever_the_archive(
    superuser_client, archive, django_assert_num_queries
):
    superuser_client.get("/admin/")
    with django_assert_num_queries(QUERIES) as first:
        superuser_client.get("/admin/")
    for n in range(30):
        make_article(published_at=datetime(2000 + n % 20, 1 + n % 12, 3, tzinfo=UTC), tags=[f"t{n}"])
    with django_assert_num_queries(len(first)):
        superuser_client.get("/admin/")


# session, user, kept article counts, import runs, git sources, image counts, source counts,
# database size, search index size, media bytes, the recent actions
QUERIES = 11


def test_an_empty_archive_has_a_dashboard(superuser_client):
    page = soup(superuser_client.get("/admin/"))
    assert "No imports yet." in page.get_text()
    assert re.search(r"0\s+articles", panel(page, "Articles").get_text())


def test_a_panel_is_one_function_and_one_template(superuser_client, monkeypatch):
    monkeypatch.setattr(registry, "_PANELS", list(registry._PANELS))

    @registry.panel(35)
    def mirrors(request):
        statuses = [("Synced", 3, "/admin/articles/importrun/")]
        return registry.Panel("Mirrors", "admin/dashboard/sources.html", {"statuses": statuses})

    page = soup(superuser_client.get("/admin/"))
    titles = [heading.get_text() for heading in page.select(".dashboard-panel h2")]
    assert titles.index("Mirrors") == titles.index("Sources") + 1
    assert numbers(panel(page, "Mirrors")) == {"Synced": (3, "/admin/articles/importrun/")}


def test_the_sources_panel_says_how_each_source_stands_and_links_to_it(superuser_client, django_assert_num_queries):
    synced = Source.objects.create(
        name="blog",
        location="/srv/blog",
        last_commit="c0ffee" * 6,
        last_commit_message="Add three posts",
        last_synced_at=timezone.now(),
    )
    failing = Source.objects.create(name="news", location="/srv/news", last_error="not a git repository", failures=2)
    Source.objects.create(name="fresh", location="/srv/fresh")
    section = panel(soup(superuser_client.get("/admin/")), "Sources")
    rows = [row.get_text(" ", strip=True) for row in section.select("tbody tr")]
    assert rows[0].startswith("news failing (2 in a row)")  # failing sources first, then by name
    assert rows[1].startswith("blog up to date c0ffeec Add three posts")
    assert rows[2].startswith("fresh never synced")
    links = [link["href"] for link in section.select("tbody th a")]
    assert links[0] == f"/admin/articles/source/{failing.pk}/change/"
    assert f"/admin/articles/source/{synced.pk}/change/" in links
    removed = section.find("a", string="Articles removed from their source")["href"]
    assert superuser_client.get(removed).status_code == 200
    with django_assert_num_queries(QUERIES):
        superuser_client.get("/admin/")


def test_staff_without_permissions_see_no_panels(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="pw-nobody-123", is_staff=True)
    client.force_login(user)
    page = soup(client.get("/admin/"))
    assert [heading.get_text() for heading in page.select(".dashboard-panel h2")] == ["Recent actions"]
