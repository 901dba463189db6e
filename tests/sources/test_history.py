"""History rewritten (a force-push): the head is compared with the archive as a whole, with a note."""

import pytest

from articles.models import Article, Source, SourceRemoval, SourceSync
from articles.sources.sync import State, sync_source

from .repos import Repo, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def remote(tmp_path, repo):
    """A bare repository the working one pushes to, reached as a file:// URL."""
    path = tmp_path / "remote.git"
    Repo.bare(path)
    repo.git("push", "--quiet", str(path), "main")
    return path


def synced(source):
    result = sync_source(source)
    assert result.state is State.SYNCED, result.message
    source.refresh_from_db()
    return result


def test_a_force_push_is_a_full_comparison_with_the_same_outcomes_and_a_note(db, repo, remote):
    source = Source.objects.create(name="remote", location=f"file://{remote}")
    synced(source)
    first, second = Article.objects.get(title="第一篇"), Article.objects.get(title="第二篇")
    old_head = source.last_commit
    # Rewrite the last commit: the second post is renamed, the first deleted, a third added.
    repo.git("reset", "--quiet", "--hard", "HEAD")
    repo.move("_posts/2024-05-02-second.md", "_posts/2024-05-02-second-post.md")
    repo.remove("_posts/2024-05-01-first.md")
    repo.write("_posts/2024-05-03-third.md", post("第三篇"))
    repo.git("add", "--all")
    repo.git("commit", "--quiet", "--amend", "-m", "rewritten")
    repo.git("push", "--quiet", "--force", str(remote), "main")
    result = synced(source)
    sync = SourceSync.objects.get(run=result.run)
    assert sync.full and (sync.renamed, sync.removed) == (1, 1)
    note = (
        f"history rewritten: the last synced commit {old_head[:12]} is no longer in the branch's history, "
        f"so every file of {source.last_commit[:12]} was compared with the archive"
    )
    assert ["remote", note] in result.run.notes
    second.refresh_from_db()
    assert second.import_key == "_posts/2024-05-02-second-post.md"
    assert SourceRemoval.objects.get().article == first
    assert (result.run.created, result.run.unchanged) == (1, 1)
    assert Article.objects.count() == 3


def test_a_full_comparison_finds_nothing_to_do_when_only_history_changed(db, repo, remote):
    source = Source.objects.create(name="remote", location=f"file://{remote}")
    synced(source)
    repo.git("commit", "--quiet", "--amend", "-m", "same tree, new commit")
    repo.git("push", "--quiet", "--force", str(remote), "main")
    result = synced(source)
    assert result.run.files_total == 0
    assert (result.run.created, result.run.updated, result.run.unchanged) == (0, 0, 0)
    assert not SourceRemoval.objects.exists()
