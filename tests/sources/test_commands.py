"""``add_source`` and ``sync_sources``."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from articles.models import Article, Source

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_add_source_with_every_option(repo):
    out, _ = run(
        "add_source",
        "blog",
        str(repo.path),
        "--branch",
        "main",
        "--path",
        "_posts",
        "--path",
        "news/_posts/",
        "--every",
        "30",
        "--secret",
        "s3cret",
        "--hide-removed",
    )
    source = Source.objects.get()
    assert (source.name, source.location, source.branch) == ("blog", str(repo.path), "main")
    assert (source.folders, source.every_minutes, source.secret, source.hide_removed) == (
        ["_posts", "news/_posts"],
        30,
        "s3cret",
        True,
    )
    assert out.startswith(f"added source blog: {repo.path} (_posts, news/_posts; every 30 min)")
    assert "s3cret" not in out


def test_add_source_reads_the_secret_from_standard_input(repo, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("from-stdin\n"))
    run("add_source", "blog", str(repo.path), "--secret", "-")
    assert Source.objects.get().secret == "from-stdin"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bad name", "/srv/x"], "name: Enter a valid “slug”"),
        (["blog", "relative/path"], "location: Give an absolute path"),
        (["blog", "ftp://127.0.0.1/x.git"], "location: Unsupported URL scheme “ftp”"),
        (["blog", "/srv/x", "--path", "../up"], "folders: “../up”: give a folder inside the repository"),
        (["blog", "/srv/x", "--branch", "a..b"], "branch: “a..b” is not a valid branch name."),
        (["blog", "/srv/x", "--every", "0"], "--every must be at least 1"),
    ],
)
def test_add_source_refuses_bad_input_naming_the_field(args, message):
    with pytest.raises(CommandError) as error:
        run("add_source", *args)
    assert message in str(error.value)
    assert not Source.objects.exists()


def test_add_source_refuses_a_name_taken(source):
    with pytest.raises(CommandError, match="name: Source with this Name already exists"):
        run("add_source", "blog", "/srv/other")


def test_sync_sources_syncs_every_source_or_the_named_ones(source, repo):
    Source.objects.create(name="other", location=str(repo.path), folders=["_posts"])
    out, _ = run("sync_sources", "blog", "--no-progress")
    assert out.startswith("source blog: synced to ")
    assert Source.objects.get(name="other").last_commit == ""
    out, _ = run("sync_sources", "--no-progress")
    assert "source blog: no new commit" in out and "source other: synced to" in out
    assert Article.objects.count() == 2


def test_sync_sources_due_only_syncs_sources_whose_time_has_come(source, repo):
    source.every_minutes = 60
    source.save()
    Source.objects.create(name="manual", location=str(repo.path))  # no schedule: never due
    out, _ = run("sync_sources", "--due")
    assert "source blog: synced" in out and "manual" not in out
    assert run("sync_sources", "--due") == ("", "")  # synced a moment ago: not due again yet
    Source.objects.filter(pk=source.pk).update(last_attempt_at=timezone.now() - timedelta(minutes=61))
    assert "source blog: no new commit" in run("sync_sources", "--due")[0]


def test_sync_sources_fails_naming_the_source(source, tmp_path):
    Source.objects.filter(pk=source.pk).update(location=str(tmp_path / "gone"))
    with pytest.raises(CommandError, match=r"1 source\(s\) could not be synced"):
        run("sync_sources")
    with pytest.raises(CommandError, match="no source named nope"):
        run("sync_sources", "nope")
    with pytest.raises(CommandError, match="--watch runs the due syncs"):
        run("sync_sources", "--watch")


def test_sync_sources_lists_the_sources_and_how_they_stand(source, repo, tmp_path):
    source.every_minutes = 30
    source.save()
    run("sync_sources", "blog")
    Source.objects.create(name="broken", location="https://bot:tok3n@127.0.0.1:1/x.git", failures=2, last_error="x")
    out, _ = run("sync_sources", "--list")
    assert f"blog: {repo.path} (default branch; every 30 min, next " in out
    assert f"    last commit: {repo.head()[:7]} two posts" in out
    assert "broken: https://***@127.0.0.1:1/x.git (default branch; no schedule)" in out
    assert "    failing (2 in a row): x" in out and "tok3n" not in out
    assert Source.objects.get(name="broken").last_attempt_at is None  # listing syncs nothing
