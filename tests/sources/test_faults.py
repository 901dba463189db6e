"""Bad input and faults: sources that cannot be read, files that do not parse, links, submodules, and
git kept on a short leash (no prompt, no hook, no foreign transport, a time limit)."""

import os
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from articles.models import Article, ImportRun, Source, SyncedFile
from articles.models.sources import clone_dir
from articles.sources.sync import State, sync_source

from .repos import post

pytestmark = pytest.mark.django_db


def failed(source):
    result = sync_source(source)
    assert result.state is State.FAILED, result.message
    source.refresh_from_db()
    return result


def test_a_folder_that_is_not_a_repository_fails_with_the_sources_name_and_is_retried(tmp_path, repo):
    folder = tmp_path / "plain"
    folder.mkdir()
    source = Source.objects.create(name="plain", location=str(folder), every_minutes=30)
    result = failed(source)
    assert result.message.startswith(f"source plain: cannot fetch from {folder}: ")
    assert "does not appear to be a git repository" in result.message
    assert (source.last_error, source.failures, source.last_commit) == (result.message, 1, "")
    assert not Article.objects.exists() and not ImportRun.objects.exists()
    assert not source.is_due() and source.is_due(timezone.now() + timedelta(minutes=30))
    source.location = str(repo.path)  # fixed: the next sync works and clears the failure
    source.save()
    assert sync_source(source).state is State.SYNCED
    source.refresh_from_db()
    assert (source.last_error, source.failures) == ("", 0)


def test_a_branch_that_does_not_exist(source):
    source.branch = "nope"
    source.save()
    assert failed(source).message == f"source blog: the branch 'nope' does not exist in {source.location}"


def test_an_unreachable_repository_fails_and_the_archive_stays_as_it_was(source, repo):
    assert sync_source(source).state is State.SYNCED
    before = source.last_commit if source.refresh_from_db() is None else None
    repo.write("_posts/2024-06-01-new.md", post("新的"))
    repo.commit("new")
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    source.location = f"http://127.0.0.1:{port}/blog.git"
    source.save()
    result = failed(source)
    assert result.message.startswith(f"source blog: cannot fetch from http://127.0.0.1:{port}/blog.git: ")
    assert source.last_commit == before and Article.objects.count() == 2


def test_credentials_in_the_location_are_never_shown(source):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    source.location = f"http://reader:s3cret-token@127.0.0.1:{port}/blog.git"
    source.save()
    result = failed(source)
    assert "s3cret" not in result.message and "reader" not in result.message
    assert f"http://***@127.0.0.1:{port}/blog.git" in result.message
    assert "s3cret" not in source.last_error


class Unauthorized(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="git"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_server_asking_for_a_password_gets_no_prompt_it_fails(source):
    server = serve(Unauthorized)
    try:
        source.location = f"http://127.0.0.1:{server.server_port}/blog.git"
        source.save()
        result = failed(source)
    finally:
        server.shutdown()
        server.server_close()
    assert result.message.endswith("terminal prompts disabled")


def test_a_fetch_that_hangs_is_stopped_after_the_time_limit(source, settings):
    settings.SOURCES_GIT_TIMEOUT = 1
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        source.location = f"http://127.0.0.1:{silent.getsockname()[1]}/blog.git"
        source.save()
        result = failed(source)
    assert result.message.endswith("git fetch took longer than 1 seconds and was stopped")


def test_the_ext_transport_never_runs_a_command(source, tmp_path):
    marker = tmp_path / "ran"
    Source.objects.filter(pk=source.pk).update(location=f"ext::sh -c touch% {marker}")  # past the form's check
    failed(source)
    assert not marker.exists()


def test_hooks_in_the_clone_never_run(source, repo, tmp_path):
    assert sync_source(source).state is State.SYNCED
    marker = tmp_path / "hooked"
    hook = clone_dir(source) / "hooks" / "reference-transaction"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    repo.write("_posts/2024-06-01-new.md", post("新的"))
    repo.commit("new")
    assert sync_source(source).state is State.SYNCED
    assert not marker.exists()


def test_a_file_that_does_not_parse_fails_alone(source, repo):
    repo.write("_posts/2024-05-03-broken.md", "---\ntitle: [unclosed\n---\nbody\n")
    repo.commit("a broken post")
    result = sync_source(source)
    assert result.state is State.SYNCED
    run = result.run
    assert (run.created, run.failed) == (2, 1)
    assert run.errors[0][0] == "_posts/2024-05-03-broken.md"
    assert SyncedFile.objects.get(path="_posts/2024-05-03-broken.md").failed
    source.refresh_from_db()
    assert source.last_commit == repo.head()


def test_links_are_followed_inside_the_repository_only(source, repo, tmp_path):
    (tmp_path / "outside.md").write_text(post("外面的"), encoding="utf-8")
    repo.write("shared/2024-05-09-shared.md", post("共享的"))
    links = {
        "_posts/2024-05-09-linked.md": "../shared/2024-05-09-shared.md",
        "_posts/2024-05-10-escape.md": "../../outside.md",
        "_posts/2024-05-11-absolute.md": str(tmp_path / "outside.md"),
        "_posts/2024-05-12-nowhere.md": "missing.md",
        "_posts/2024-05-13-folder.md": "../shared",
    }
    for name, target in links.items():
        os.symlink(target, repo.path / name)
    repo.commit("links")
    result = sync_source(source)
    assert "共享的" in set(Article.objects.values_list("title", flat=True))
    assert "外面的" not in set(Article.objects.values_list("title", flat=True))
    errors = dict(result.run.errors)
    assert errors["_posts/2024-05-10-escape.md"].startswith("symbolic link leads outside the repository")
    assert errors["_posts/2024-05-11-absolute.md"].startswith("symbolic link leads outside the repository")
    assert errors["_posts/2024-05-12-nowhere.md"] == "broken symbolic link (its target does not exist)"
    assert errors["_posts/2024-05-13-folder.md"] == "a symbolic link to a folder: not followed"
    # The link's target changes: the linked article follows, though the link itself did not change.
    repo.write("shared/2024-05-09-shared.md", post("共享的（新）"))
    repo.commit("the target changes")
    assert sync_source(source).state is State.SYNCED
    assert "共享的（新）" in set(Article.objects.values_list("title", flat=True))


def test_submodules_are_ignored(source, repo):
    commit = repo.head()
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{commit},_posts/vendored")
    repo.git("commit", "--quiet", "-m", "a submodule")
    result = sync_source(source)
    assert result.state is State.SYNCED, result.message
    assert result.run.errors == []
    assert not SyncedFile.objects.filter(path__startswith="_posts/vendored").exists()
