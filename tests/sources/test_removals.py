"""Deleted files keep their article (with a note, a history entry, an admin filter), or hide it as the
source says; a file that comes back clears the note."""

import pytest
from django.test import Client

from articles.models import Article, SourceRemoval, SourceSync, SyncedFile
from articles.sources.sync import State, sync_source

from .repos import post

pytestmark = pytest.mark.django_db


def synced(source):
    result = sync_source(source)
    assert result.state is State.SYNCED, result.message
    source.refresh_from_db()
    return result


def delete_second(repo):
    repo.remove("_posts/2024-05-02-second.md")
    return repo.commit("drop the second post")


def test_a_deleted_file_keeps_its_article_with_a_note_the_commit_and_a_history_entry(source, repo):
    synced(source)
    article = Article.objects.get(title="第二篇")
    deleting = delete_second(repo)
    repo.write("_posts/2024-05-03-third.md", post("第三篇"))
    repo.commit("a later commit")
    result = synced(source)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    removal = SourceRemoval.objects.get(article=article)
    assert (removal.source, removal.path, removal.commit) == (source, "_posts/2024-05-02-second.md", deleting)
    assert SourceSync.objects.get(run=result.run).removed == 1
    latest = article.history.first()
    assert latest.history_change_reason == (
        f"removed from its source blog (_posts/2024-05-02-second.md) in commit {deleting[:12]}"
    )
    page = Client().get(article.get_absolute_url())
    assert page.status_code == 200
    day = removal.removed_at.astimezone(article.published_at.tzinfo)
    assert "Removed from its source on" in page.content.decode()
    assert ["_posts/2024-05-02-second.md", "deleted from the source: its article is kept"] in result.run.notes
    assert day is not None


def test_the_admin_filters_removed_articles_and_shows_the_commit(source, repo, superuser_client):
    synced(source)
    deleting = delete_second(repo)
    synced(source)
    article = Article.objects.get(title="第二篇")
    listing = superuser_client.get("/admin/articles/article/?removed=yes").content.decode()
    assert "第二篇" in listing and "第一篇" not in listing
    kept = superuser_client.get("/admin/articles/article/?removed=no").content.decode()
    assert "第一篇" in kept and "第二篇" not in kept
    page = superuser_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert f"commit {deleting[:12]}" in page


def test_a_source_may_hide_removed_articles_instead_and_a_file_that_comes_back_restores_them(source, repo):
    source.hide_removed = True
    source.save()
    synced(source)
    article = Article.objects.get(title="第二篇")
    delete_second(repo)
    synced(source)
    article.refresh_from_db()
    assert article.status == Article.Status.HIDDEN
    assert article.hidden_reason.startswith("removed from its source on 2023-11-")
    note = ["_posts/2024-05-02-second.md", "deleted from the source: its article is hidden with the reason"]
    assert note in source.syncs.order_by("run__started_at").last().run.notes
    assert Client().get(article.get_absolute_url()).status_code == 404
    repo.write("_posts/2024-05-02-second.md", post("第二篇"))
    repo.commit("it is back")
    result = synced(source)
    article.refresh_from_db()
    assert (article.status, article.hidden_reason) == (Article.Status.PUBLISHED, "")
    assert not SourceRemoval.objects.filter(article=article).exists()
    assert SourceSync.objects.get(run=result.run).restored == 1
    assert article.history.first().history_change_reason == "back in its source blog (_posts/2024-05-02-second.md)"


def test_a_curators_status_after_the_removal_is_not_undone_when_the_file_comes_back(source, repo):
    source.hide_removed = True
    source.save()
    synced(source)
    delete_second(repo)
    synced(source)
    article = Article.objects.get(title="第二篇")
    article.hidden_reason = "checked by hand: keep hidden"
    article.save()
    repo.write("_posts/2024-05-02-second.md", post("第二篇"))
    repo.commit("back")
    synced(source)
    article.refresh_from_db()
    assert (article.status, article.hidden_reason) == (Article.Status.HIDDEN, "checked by hand: keep hidden")


def test_a_file_that_comes_back_clears_the_note(source, repo):
    synced(source)
    article = Article.objects.get(title="第二篇")
    delete_second(repo)
    synced(source)
    repo.write("_posts/2024-05-02-second.md", post("第二篇"))
    repo.commit("restore it")
    synced(source)
    assert not SourceRemoval.objects.exists()
    assert "Removed from its source" not in Client().get(article.get_absolute_url()).content.decode()
    assert Article.objects.count() == 2
    assert SyncedFile.objects.get(path="_posts/2024-05-02-second.md").removed_at is None


def test_an_article_still_given_by_another_file_is_not_removed(source, repo):
    repo.write("_posts/2024-05-01-first-copy.md", post("第一篇（副本）", url="https://news.example.org/1"))
    repo.commit("a second file with the same URL")
    synced(source)
    repo.remove("_posts/2024-05-01-first.md")
    repo.commit("drop one of them")
    synced(source)
    assert not SourceRemoval.objects.exists()


def test_deleting_a_file_that_never_parsed_changes_no_article(source, repo):
    repo.write("_posts/broken.md", "---\ntitle: [unclosed\n---\nbody\n")
    repo.commit("a broken post")
    synced(source)
    repo.remove("_posts/broken.md")
    repo.commit("drop it")
    synced(source)
    assert not SourceRemoval.objects.exists()
    assert Article.objects.count() == 2
