"""Syncing by commits: the first sync, additions, changes, renames, moves, and what a no-change sync costs."""

import pytest

from articles.importer.runner import import_paths
from articles.models import Article, ImportRun, SourceSync, SyncedFile
from articles.models.sources import clone_dir
from articles.sources.blobs import GitFile
from articles.sources.sync import State, sync_source

from .repos import post

pytestmark = pytest.mark.django_db


def synced(source):
    result = sync_source(source)
    assert result.state in (State.SYNCED, State.UNCHANGED), result.message
    source.refresh_from_db()
    return result


def test_first_sync_imports_every_post_at_the_head_as_a_run_naming_source_and_commits(source, repo):
    result = synced(source)
    assert result.state == State.SYNCED
    assert sorted(Article.objects.values_list("title", flat=True)) == ["第一篇", "第二篇"]  # README.md is no post
    assert source.last_commit == repo.head()
    assert source.last_commit_message == "two posts"
    run = result.run
    run.refresh_from_db()
    assert run.source == ImportRun.Source.SYNC and run.state == ImportRun.State.FINISHED
    assert (run.created, run.failed) == (2, 0)
    assert f"source blog ({repo.path}, default branch): everything at {repo.head()[:12]}" == run.paths
    sync = SourceSync.objects.get(run=run)
    assert (sync.source, sync.from_commit, sync.to_commit, sync.full) == (source, "", repo.head(), True)
    assert set(SyncedFile.objects.values_list("path", flat=True)) == {
        "_posts/2024-05-01-first.md",
        "_posts/2024-05-02-second.md",
    }


def test_a_sync_without_a_new_commit_reads_no_post_and_records_no_run(source, repo, monkeypatch):
    synced(source)
    runs = ImportRun.objects.count()

    def refuse(*args):
        raise AssertionError("a post was read")

    monkeypatch.setattr(GitFile, "read", refuse)
    result = synced(source)
    assert result.state == State.UNCHANGED
    assert result.message == f"source blog: no new commit ({repo.head()[:12]})"
    assert ImportRun.objects.count() == runs
    assert source.last_synced_at is not None and source.last_error == ""


def test_added_and_modified_files_are_imported_and_nothing_else_is_read(source, repo, monkeypatch, tmp_path):
    synced(source)
    repo.write("_posts/2024-05-03-third.md", post("第三篇"))
    repo.write("_posts/2024-05-02-second.md", post("第二篇（更正）"))
    base = source.last_commit
    repo.commit("one more, one fixed")
    log = tmp_path / "read.log"  # files are read in the parse processes: each appends what it read
    original = GitFile.read

    def read(self, limit):
        with log.open("a", encoding="utf-8") as out:
            out.write(self.relative + "\n")
        return original(self, limit)

    monkeypatch.setattr(GitFile, "read", read)
    result = synced(source)
    assert sorted(log.read_text(encoding="utf-8").split()) == [
        "_posts/2024-05-02-second.md",
        "_posts/2024-05-03-third.md",
    ]
    run = result.run
    assert (run.created, run.updated, run.unchanged) == (1, 1, 0)
    assert run.paths.endswith(f"{base[:12]}..{repo.head()[:12]}")
    assert SourceSync.objects.get(run=run).full is False
    assert Article.objects.filter(title="第二篇（更正）").exists()


def test_a_curators_edit_survives_a_change_in_the_source_and_is_reported(source, repo):
    synced(source)
    article = Article.objects.get(title="第二篇")
    article.title = "第二篇（编辑）"
    article.save()
    repo.write("_posts/2024-05-02-second.md", post("第二篇（源）", body="新的正文。"))
    repo.commit("source retitles")
    result = synced(source)
    article.refresh_from_db()
    assert article.title == "第二篇（编辑）"
    assert "新的正文" in article.body_text
    assert ["_posts/2024-05-02-second.md", "title"] in result.run.conflicts


@pytest.mark.parametrize(
    "new_path",
    ["_posts/2024-05-02-second-renamed.md", "_posts/2024/2024-05-02-second.md", "_archive/2024-05-02-second.md"],
)
def test_a_renamed_or_moved_file_stays_the_same_article(source, repo, new_path):
    synced(source)
    article = Article.objects.get(title="第二篇")  # no original URL: its key is its path
    assert article.import_key == "_posts/2024-05-02-second.md"
    url = article.get_absolute_url()
    article.excerpt = "馆员写的摘要"
    article.save()
    history = article.history.count()
    repo.move("_posts/2024-05-02-second.md", new_path)
    repo.commit("move")
    result = synced(source)
    article.refresh_from_db()
    assert Article.objects.count() == 2
    assert (article.get_absolute_url(), article.excerpt) == (url, "馆员写的摘要")
    assert (article.import_key, article.source_path) == (new_path, new_path)
    assert article.history.count() == history
    assert (result.run.created, result.run.unchanged) == (0, 1)
    assert [new_path, "renamed from _posts/2024-05-02-second.md: the same article"] in result.run.notes
    assert SourceSync.objects.get(run=result.run).renamed == 1
    assert list(SyncedFile.objects.filter(article=article).values_list("path", flat=True)) == [new_path]


def test_a_file_renamed_and_edited_in_one_commit_updates_the_same_article(source, repo):
    repo.write("_posts/2024-05-04-long.md", post("长文", body="第一段。\n\n" + "同样的正文。" * 80))
    repo.commit("a long post")
    synced(source)
    article = Article.objects.get(title="长文")
    repo.move("_posts/2024-05-04-long.md", "_posts/2024-05-04-long-read.md")
    repo.write("_posts/2024-05-04-long-read.md", post("长文", body="第一段（改）。\n\n" + "同样的正文。" * 80))
    repo.commit("rename and fix")
    result = synced(source)
    assert (result.run.created, result.run.updated) == (0, 1)
    article.refresh_from_db()
    assert "第一段（改）" in article.body_text
    assert article.import_key == "_posts/2024-05-04-long-read.md"


def test_a_url_keyed_article_keeps_its_key_when_its_file_moves(source, repo):
    synced(source)
    article = Article.objects.get(title="第一篇")
    repo.move("_posts/2024-05-01-first.md", "_posts/old/2024-05-01-first.md")
    repo.commit("archive it")
    synced(source)
    article.refresh_from_db()
    assert article.import_key == "https://news.example.org/1"
    assert article.source_path == "_posts/old/2024-05-01-first.md"
    assert Article.objects.count() == 2


def test_a_branch_and_folders_can_be_chosen(source, repo):
    repo.git("checkout", "--quiet", "-b", "live")
    repo.write("news/_posts/2024-06-01-only-here.md", post("只在这里"))
    repo.write("_drafts/draft.md", post("草稿"))
    repo.commit("on live")
    repo.git("checkout", "--quiet", "main")
    source.branch, source.folders = "live", ["news"]
    source.save()
    synced(source)
    assert list(Article.objects.values_list("title", flat=True)) == ["只在这里"]


def test_by_default_drafts_and_collections_are_imported_but_not_pages(source, repo):
    repo.write("_drafts/an-idea.md", post("草稿"))
    repo.write("_reports/2024-05-05-report.md", post("报告"))
    repo.write("about.md", post("关于我们"))
    repo.write("_site/2024/old.html", post("生成的页面"))
    repo.write("_posts/.hidden.md", post("隐藏"))
    repo.commit("more kinds")
    synced(source)
    assert sorted(Article.objects.values_list("title", "status")) == [
        ("报告", "published"),
        ("第一篇", "published"),
        ("第二篇", "published"),
        ("草稿", "draft"),
    ]


def test_the_whole_repository_with_the_dot_folder(source, repo):
    repo.write("about.md", post("关于我们"))
    repo.commit("a page")
    source.folders = ["."]
    source.save()
    synced(source)
    assert "关于我们" in set(Article.objects.values_list("title", flat=True))


def test_deleting_a_source_removes_its_clone_and_keeps_its_articles(source, django_capture_on_commit_callbacks):
    synced(source)
    folder = clone_dir(source)
    assert (folder / "HEAD").exists()
    with django_capture_on_commit_callbacks(execute=True):
        source.delete()
    assert not folder.exists()
    assert Article.objects.count() == 2


def test_the_first_sync_of_an_archive_imported_by_hand_finds_its_articles(source, repo):
    import_paths([repo.path], progress=False)
    ids = set(Article.objects.values_list("pk", flat=True))
    result = synced(source)
    assert (result.run.created, result.run.unchanged) == (0, 2)
    assert set(Article.objects.values_list("pk", flat=True)) == ids
    assert set(SyncedFile.objects.values_list("article_id", flat=True)) == ids
