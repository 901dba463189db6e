"""Re-imports never clobber a curator: the merge rules through the database (issue 4)."""

import pytest
from taggit.models import Tag

from articles.curation.history import save_with_history
from articles.importer.runner import import_paths
from articles.models import Article

from .posts import front_matter_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path):
    """One imported article; returns a function that rewrites its file and re-imports."""

    def reimport(overwrite=False, **front_matter):
        fields = {"title": "原标题", "description": "原摘要", "tags": ["香港", "台湾"], "categories": ["新闻"]}
        fields.update(front_matter)
        front_matter_post(tmp_path, "post.md", **fields)
        return import_paths([tmp_path], overwrite=overwrite, workers=1)

    reimport()
    return reimport


def curate(**fields):
    article = Article.objects.get()
    for name, value in fields.items():
        setattr(article, name, value)
    save_with_history([article], list(fields), reason="curator")
    return article


def test_fields_the_curator_never_touched_follow_the_source(imported):
    report = imported(title="新标题", description="新摘要")
    assert report.updated == 1
    article = Article.objects.get()
    assert (article.title, article.excerpt) == ("新标题", "新摘要")
    assert report.conflicts == []


def test_curator_edited_article_whose_only_source_change_is_held_is_skipped(imported):
    curate(title="编辑改过的标题")
    report = imported(title="来源改了标题")
    assert (report.skipped, report.updated) == (1, 0)
    assert [field for _, field in report.conflicts] == ["title"]
    assert report.conflicts[0][0].endswith("post.md")
    assert Article.objects.get().title == "编辑改过的标题"
    assert report.run.conflicts == [[report.conflicts[0][0], "title"]]


def test_curator_fields_are_kept_while_untouched_fields_update(imported):
    curate(title="编辑改过的标题", status=Article.Status.HIDDEN)
    report = imported(title="来源改了标题", description="新摘要")
    assert report.updated == 1
    article = Article.objects.get()
    assert (article.title, article.status, article.excerpt) == ("编辑改过的标题", "hidden", "新摘要")
    assert [field for _, field in report.conflicts] == ["title"]


def test_tags_the_curator_added_or_removed_stay_so(imported):
    article = Article.objects.get()
    article.tags.add("编辑加的")
    article.tags.remove("台湾")
    report = imported(tags=["香港", "台湾", "来源加的"])
    assert report.updated == 1
    assert sorted(Article.objects.get().tags.names()) == sorted(["香港", "编辑加的", "来源加的"])


def test_overwrite_restores_the_source_and_is_recorded_in_history(imported):
    curate(title="编辑改过的标题", featured=True)
    Article.objects.get().tags.add("编辑加的")
    report = imported(overwrite=True)
    assert report.updated == 1
    article = Article.objects.get()
    assert article.title == "原标题"
    assert sorted(article.tags.names()) == ["台湾", "香港"]
    latest, curated = article.history.all()[:2]
    assert (latest.title, latest.history_change_reason) == ("原标题", "import")
    assert curated.title == "编辑改过的标题"


def test_after_a_skip_the_same_file_is_unchanged_and_overwrite_still_restores(imported):
    curate(title="编辑改过的标题")
    imported(title="来源改了标题")
    assert imported(title="来源改了标题").unchanged == 1
    imported(overwrite=True, title="来源改了标题")
    assert Article.objects.get().title == "来源改了标题"


def test_article_not_made_by_an_import_keeps_its_values_and_gains_source_tags(tmp_path):
    url = "https://example.com/story"
    Article.objects.create(title="手工文章", slug="manual", import_key=url, status="published")
    front_matter_post(tmp_path, "a.md", title="文件标题", tags=["来源"], **{"from": url})
    report = import_paths([tmp_path], workers=1)
    assert report.skipped == 0
    article = Article.objects.get()
    assert article.title == "手工文章"
    assert list(article.tags.names()) == ["来源"]
    assert ("a.md", "title") in [(path.rsplit("/", 1)[-1], field) for path, field in report.conflicts]
    assert Tag.objects.count() == 1
