"""import_paths end to end on the database: creating, re-importing, duplicates, bad input, dry runs."""

import os
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.importer import runner
from articles.importer.merge import digest
from articles.importer.runner import import_paths
from articles.models import Article, Category, ImportRun, TagAlias

from .posts import front_matter_post

pytestmark = pytest.mark.django_db

URL = "https://www.zaobao.com/realtime/china/story20220707-1290628"


def counts(report):
    return report.counts()


def test_creates_an_article_with_its_fields_tags_categories_and_provenance(tmp_path):
    front_matter_post(
        tmp_path / "_posts",
        "2022-07-07-talks.md",
        title="李作成与美参谋长联席会主席通话",
        author="联合早报",
        tags=["联合早报", "台海"],
        categories=["中国"],
        **{"from": URL},
    )
    report = import_paths([tmp_path])
    assert counts(report) == {"created": 1, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0}
    article = Article.objects.get()
    assert article.title == "李作成与美参谋长联席会主席通话"
    assert article.published_at == datetime(2022, 7, 7, 15, 4, tzinfo=UTC)
    assert article.status == Article.Status.PUBLISHED
    assert article.author == "联合早报"
    assert article.original_url == URL
    assert sorted(article.tags.names()) == ["台海", "联合早报"]
    assert [c.name for c in article.categories.all()] == ["中国"]
    assert article.slug
    assert article.import_key == URL
    assert article.source_path == "_posts/2022-07-07-talks.md"
    assert len(article.content_hash) == 64
    assert article.front_matter["author"] == "联合早报"
    assert article.import_snapshot["tags"] == ["台海", "联合早报"]
    # Long texts only as digests: the merge needs to know whether they changed, not what they said.
    assert article.import_snapshot["title"] == digest("李作成与美参谋长联席会主席通话")
    assert article.import_snapshot["body_html"] == digest(article.body_html)
    assert article.first_imported_at == article.imported_at is not None
    assert not article.history.exists()  # its own first version until it changes (models.history)


def test_path_is_the_key_without_an_original_url_and_drafts_are_drafts(tmp_path):
    front_matter_post(tmp_path / "_drafts", "idea.md", title="Idea")
    import_paths([tmp_path])
    article = Article.objects.get()
    assert article.import_key == "_drafts/idea.md"
    assert article.status == Article.Status.DRAFT


def test_the_run_is_recorded_with_counts_and_errors(tmp_path, django_user_model):
    user = django_user_model.objects.create_user("curator")
    front_matter_post(tmp_path, "good.md")
    (tmp_path / "empty.md").write_bytes(b"")
    report = import_paths([tmp_path], user=user, source=ImportRun.Source.ADMIN)
    run = ImportRun.objects.get()
    assert report.run == run
    assert (run.created, run.failed, run.user, run.source) == (1, 1, user, "admin")
    assert run.errors == [[str(tmp_path / "empty.md"), "empty file"]]
    assert run.finished_at is not None
    front_matter_post(tmp_path, "good.md", title="Changed")
    import_paths([tmp_path], user=user, source=ImportRun.Source.ADMIN)
    assert Article.history.latest().history_user == user


def test_unchanged_files_are_not_parsed_again_even_when_moved(tmp_path, monkeypatch):
    path = front_matter_post(tmp_path, "a.md", **{"from": URL})
    import_paths([tmp_path])
    path.rename(tmp_path / "renamed.md")

    def fail(*args, **kwargs):
        raise AssertionError("an unchanged file was parsed")

    monkeypatch.setattr("articles.importer.runner.parse_post", fail)
    report = import_paths([tmp_path])
    assert counts(report)["unchanged"] == 1
    assert Article.objects.count() == 1
    assert Article.history.count() == 0


def test_changed_file_updates_its_article_and_records_history(tmp_path):
    front_matter_post(tmp_path, "a.md", title="Before", tags=["one"])
    import_paths([tmp_path])
    front_matter_post(tmp_path, "a.md", title="After", tags=["two"], body="新的正文。\n")
    report = import_paths([tmp_path])
    assert counts(report)["updated"] == 1
    article = Article.objects.get()
    assert article.title == "After"
    assert "新的正文" in article.body_text
    assert list(article.tags.names()) == ["two"]
    assert article.first_imported_at < article.imported_at
    assert [r.history_change_reason for r in article.history.all()] == ["import", "import"]
    assert article.history.first().title == "After"


def test_same_url_in_two_files_gives_one_article_and_a_warning_naming_both(tmp_path):
    front_matter_post(tmp_path, "a.md", title="First", **{"from": URL})
    front_matter_post(tmp_path, "b.md", title="Second", **{"from": URL + "/?utm_source=rss"})
    report = import_paths([tmp_path])
    assert Article.objects.get().title == "First"
    assert (report.created, report.skipped) == (1, 1)
    [(path, note)] = report.notes
    assert path.endswith("b.md")
    assert "a.md" in note
    again = import_paths([tmp_path])
    assert (again.unchanged, again.skipped, again.created, again.updated) == (1, 1, 0, 0)
    assert Article.objects.get().title == "First"


def test_slugs_are_unique_within_a_batch_and_against_the_database(tmp_path):
    for name in ["a.md", "b.md"]:
        front_matter_post(tmp_path / "one", name, title="每日新闻", body=f"{name} 的正文")
    import_paths([tmp_path / "one"])
    front_matter_post(tmp_path / "two", "c.md", title="每日新闻", body="c.md 的正文")
    import_paths([tmp_path / "two"])
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 3
    assert slugs[0] == "每日新闻"


def test_tag_and_category_names_follow_aliases(tmp_path):
    kept = Tag.objects.create(name="台湾", slug="台湾")
    TagAlias.objects.create(name="Taiwan", tag=kept)
    front_matter_post(tmp_path, "a.md", tags=["taiwan", "台湾", "新"], categories=["rss", "rss"])
    import_paths([tmp_path])
    article = Article.objects.get()
    assert sorted(article.tags.names()) == ["台湾", "新"]
    assert Tag.objects.count() == 2
    assert list(Category.objects.values_list("name", flat=True)) == ["rss"]


def test_files_without_front_matter_are_skipped_with_a_note(tmp_path):
    (tmp_path / "README.md").write_text("# Just a readme\n", encoding="utf-8")
    front_matter_post(tmp_path, "a.md")
    report = import_paths([tmp_path])
    assert (report.created, report.skipped, report.failed) == (1, 1, 0)
    assert report.notes[0][0].endswith("README.md")


BAD_INPUTS = {
    "invalid-yaml.md": b"---\ntitle: [unclosed\ndate: 2022-01-01\n---\nbody\n",
    "2022-01-01.md": b"---\ndate: 2022-01-01\ntags: x\n---\nbody\n",  # no title, nor one in the file name
    "bad-date.md": b"---\ntitle: x\ndate: 2022-13-45 99:99\n---\nbody\n",
    "empty.md": b"",
    "undecodable.md": b"---\ntitle: x\n---\n" + bytes(range(128, 256)) * 4,
    "too-big.md": b"---\ntitle: x\n---\n" + b"x" * 3000,
}


def make_bad_inputs(folder):
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in BAD_INPUTS.items():
        (folder / name).write_bytes(data)
    os.symlink(folder, folder / "loop")
    os.mkfifo(folder / "fifo.md")


def test_each_bad_file_gets_one_error_naming_it_and_the_rest_imports(tmp_path, settings):
    settings.IMPORT_MAX_FILE_BYTES = 2000
    make_bad_inputs(tmp_path)
    front_matter_post(tmp_path, "good.md", title="Good")
    report = import_paths([tmp_path])
    assert Article.objects.get().title == "Good"
    names = sorted(os.path.basename(path) for path, _ in report.errors)
    assert names == sorted([*BAD_INPUTS, "loop", "fifo.md"])
    assert report.failed == len(names)
    reasons = {os.path.basename(path): reason for path, reason in report.errors}
    assert "too large" in reasons["too-big.md"]
    assert "empty" in reasons["empty.md"]
    assert "loop" in reasons["loop"]
    assert all(reason.strip() for reason in reasons.values())
    assert not report.ok


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_reported(tmp_path):
    front_matter_post(tmp_path, "secret.md").chmod(0)
    report = import_paths([tmp_path])
    assert report.errors == [(str(tmp_path / "secret.md"), "cannot read: permission denied")]


def test_dry_run_reports_what_would_happen_and_writes_no_article(tmp_path):
    front_matter_post(tmp_path, "a.md", tags=["x"])
    (tmp_path / "bad.md").write_bytes(b"")
    report = import_paths([tmp_path], dry_run=True)
    assert (report.created, report.failed) == (1, 1)
    assert "Dry run" in report.summary()
    assert not Article.objects.exists()
    assert not Tag.objects.exists()
    assert ImportRun.objects.get().dry_run


def test_parsing_in_worker_processes_gives_the_same_result(tmp_path):
    for n in range(runner.CHUNKSIZE + 10):
        front_matter_post(tmp_path, f"{n:03d}.md", title=f"Post {n}", tags=[f"t{n % 3}"])
    (tmp_path / "zz-empty.md").write_bytes(b"")
    report = import_paths([tmp_path], workers=2)
    assert (report.created, report.failed) == (runner.CHUNKSIZE + 10, 1)
    assert Article.objects.filter(title="Post 42", tags__name="t0").exists()
    assert import_paths([tmp_path], workers=2).unchanged == runner.CHUNKSIZE + 10


def import_queries(folder, n):
    for i in range(n):
        front_matter_post(
            folder,
            f"{folder.name}-{i}.md",
            title=f"{folder.name} {i}",
            tags=[f"{folder.name} tag {i}", folder.name],
            categories=[f"{folder.name} {i % 2}"],
        )
    with CaptureQueriesContext(connection) as queries:
        report = import_paths([folder], workers=1)
    assert report.created == n
    return len(queries)


def test_queries_per_batch_do_not_grow_with_the_number_of_posts(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "BEAT_SECONDS", 3600)  # no extra heartbeat when a loaded machine is slow
    import_queries(tmp_path / "warm-up", 1)  # first-use lookups (search backend set-up) out of the way
    # 30 rows stay under SQLite's 999 parameters per statement, where Django splits bulk inserts.
    assert import_queries(tmp_path / "few", 5) == import_queries(tmp_path / "many", 30)
