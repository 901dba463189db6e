"""An export imports back as the same articles: into a fresh database, and into its own archive."""

import pytest
from django.core.management import call_command
from taggit.models import Tag

from articles.export.jekyll import post_path
from articles.importer.mappings import OTHER_KEYS
from articles.importer.runner import import_paths
from articles.models import Article, ArticleRedirect, Category
from tests.factories import make_article
from tests.helpers import FIXTURES_DIR, SEEDS_DIR

pytestmark = pytest.mark.django_db

FIELDS = (
    "title", "published_at", "author", "original_url", "status", "hidden_reason", "featured", "body_text",
    "body_html", "lead_image_url", "lead_image_caption", "excerpt", "slug", "legacy_slug", "reading_time",
)  # fmt: skip


def articles():
    """{slug: the fields a reader or curator sees, import key, tags, categories and redirects}."""
    state = {}
    for article in Article.objects.prefetch_related("categories", "redirects"):
        values = {name: getattr(article, name) for name in FIELDS}
        values["tags"] = sorted(article.tags.names())
        values["categories"] = sorted(category.name for category in article.categories.all())
        values["redirects"] = sorted(redirect.old_path for redirect in article.redirects.all())
        values["import_key"] = article.import_key
        state[article.slug] = values
    return state


def export(folder):
    call_command("export_posts", str(folder), "--no-progress")


def curate():
    """What curators do between imports: hide, feature, retitle, retag, and write articles of their own."""
    first, second, third = Article.objects.order_by("pk")[:3]
    first.status, first.hidden_reason = Article.Status.HIDDEN, "重复：与另一篇相同"
    first.save()
    second.featured, second.title = True, "A curated title: {{ liquid }} & <b>"
    second.save()
    second.tags.add("编辑加的标签", "tag, with a comma")
    third.tags.clear()
    third.lead_image_url, third.lead_image_caption = "https://img.example.com/new.jpg", "新的说明"
    third.save()
    ArticleRedirect.objects.create(old_path="/merged/duplicate/", article=third)
    make_article(title="编辑写的文章", slug="编辑写的文章_〇", tags=["编辑"], categories=["评论"], author="编辑部")


def import_sources(paths):
    report = import_paths(paths, workers=1)
    assert report.created > 0
    return report


@pytest.fixture
def sources():
    return [FIXTURES_DIR / "posts", SEEDS_DIR]


def round_trip(tmp_path, paths):
    import_sources(paths)
    curate()
    before = articles()
    export(tmp_path / "export")
    keyless = {post_path(a, a.local_published_at) for a in Article.objects.filter(import_key=None)}
    Article.objects.all().delete()
    Tag.objects.all().delete()
    Category.objects.all().delete()
    report = import_paths([tmp_path / "export"], workers=1)
    assert (report.failed, report.skipped) == (0, 0), report.error_lines()
    after = articles()
    for slug, values in before.items():
        if values["import_key"] is None:  # made in the admin: the export's path is its key now
            assert after[slug]["import_key"].startswith("_posts/")
            after[slug]["import_key"] = None
    assert after == before
    export(tmp_path / "again")
    files = sorted(p.relative_to(tmp_path / "export") for p in (tmp_path / "export").rglob("*") if p.is_file())
    for relative in files:  # the same articles give the same files, byte for byte
        if relative.as_posix() in keyless:
            continue  # these now name the key they were given
        assert (tmp_path / "again" / relative).read_bytes() == (tmp_path / "export" / relative).read_bytes()


def test_fixtures_and_seed_round_trip_into_a_fresh_database(tmp_path, sources):
    round_trip(tmp_path, sources)


def test_real_samples_round_trip_into_a_fresh_database(tmp_path, corpus_dir):
    round_trip(tmp_path, [corpus_dir])


def test_an_export_imported_into_its_own_archive_changes_nothing(tmp_path, sources):
    import_sources(sources)
    curate()
    before = articles()
    provenance = {
        a.pk: (a.updated_at, a.content_hash, a.source_path, a.front_matter, a.import_snapshot, a.imported_at)
        for a in Article.objects.all()
    }
    history = Article.history.count()
    export(tmp_path / "export")
    report = import_paths([tmp_path / "export"], workers=1)
    assert report.counts() == {"created": 0, "updated": 0, "unchanged": len(before), "skipped": 0, "failed": 0}
    assert report.conflicts == [] and report.errors == []
    assert articles() == before
    assert Article.history.count() == history
    after = {
        a.pk: (a.updated_at, a.content_hash, a.source_path, a.front_matter, a.import_snapshot, a.imported_at)
        for a in Article.objects.all()
    }
    assert after == provenance
    # And the original files still merge as before: the curators' edits stand.
    import_paths(sources, workers=1)
    assert articles() == before


def test_keys_that_read_alike_are_stored_exported_and_imported_back_whole(tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "2022-07-07-keys.md").write_text(
        "---\ntitle: 键\n'1': one\n1: int one\ntrue: booly\n---\n<p>正文</p>\n", encoding="utf-8"
    )
    import_sources([tmp_path / "posts"])
    stored = Article.objects.get().front_matter
    assert stored["1"] == "one"
    assert stored[OTHER_KEYS] == [[1, "int one"], [True, "booly"]]
    export(tmp_path / "site")
    [path] = (tmp_path / "site" / "_posts").iterdir()
    text = path.read_text(encoding="utf-8")
    assert "\n'1': one\n" in text
    assert "\n1: int one\ntrue: booly\n" in text
    report = import_paths([tmp_path / "site"], workers=1)
    assert (report.unchanged, report.created, report.updated) == (1, 0, 0)
    assert Article.objects.get().front_matter == stored
