"""One bad file never stops an import, and every run ends recorded: finished, failed or interrupted."""

import os
import re
import socket
import sqlite3
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from articles.importer import runner, writer
from articles.importer.runner import import_paths
from articles.models import Article, ArticleQuerySet, ImportRun
from tests.factories import dead_pid, make_unfinished_run

from .posts import front_matter_post

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = {
    "far-future.md": "9999-12-31 23:59:59 -12:00",
    "far-past.md": "0001-01-01 00:00:00 +14:00",
}


def write_raw(folder, name, date_line):
    path = folder / name
    path.write_text(f"---\ntitle: {name}\n{date_line}---\n<p>正文</p>\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("dry_run", [False, True])
def test_an_out_of_range_date_fails_alone_with_one_line_naming_the_file(tmp_path, dry_run):
    for name, date in OUT_OF_RANGE.items():
        write_raw(tmp_path, name, f"date: {date}\n")
    write_raw(tmp_path, "0001-01-01-ancient.md", "")  # the date from the file name, in UTC+8: the year 0
    front_matter_post(tmp_path, "good.md", title="Good")
    report = import_paths([tmp_path], dry_run=dry_run)
    assert report.created == 1
    assert Article.objects.filter(title="Good").exists() is not dry_run
    assert sorted(os.path.basename(path) for path, _ in report.errors) == [
        "0001-01-01-ancient.md",
        "far-future.md",
        "far-past.md",
    ]
    assert all(re.match(r"date .* out of range \(years 1 to 9999 in UTC and in ", r) for _, r in report.errors)
    run = ImportRun.objects.get()
    assert run.finished_at is not None
    assert (run.state, run.failed, run.failure) == (ImportRun.State.FINISHED, 3, "")


def raise_for_bad(values):
    if any("bad" in str(value) for value in values):
        raise RuntimeError("boom")


def article_titles(articles):
    return [article.title for article in articles]


def titles_of(ids):
    return Article.objects.filter(pk__in=list(ids)).values_list("title", flat=True)


# Each step a post takes in the writer, made to fail for the post titled "bad" only.
INJECTIONS = {
    "merge": ("source_values", lambda original: lambda self, post: raise_for_bad([post.title]) or original(self, post)),
    "slugs": ("_unique_slugs", lambda original: lambda self, bases: raise_for_bad(bases) or original(self, bases)),
    "insert": (
        "_insert_articles",
        lambda original: lambda articles: raise_for_bad(article_titles(articles)) or original(articles),
    ),
    "links": (
        "write_links",
        lambda original: lambda *args: raise_for_bad(article_titles(a for a, _ in args[4])) or original(*args),
    ),
    "search index": (
        "index_documents",
        # The articles' own titles: SQLite's prepared document holds a digest, not the canonical text.
        lambda original: lambda prepared: raise_for_bad(titles_of(prepared)) or original(prepared),
    ),
}


@pytest.mark.parametrize("step", INJECTIONS)
def test_an_unexpected_error_writing_one_post_fails_only_that_post(tmp_path, monkeypatch, step):
    name, make = INJECTIONS[step]
    target = next(owner for owner in (writer.BatchWriter, writer.Planner, writer) if hasattr(owner, name))
    monkeypatch.setattr(target, name, make(getattr(target, name)))
    for title in ["first", "bad", "last"]:
        front_matter_post(tmp_path, f"{title}.md", title=title, tags=[title])
    report = import_paths([tmp_path])
    assert report.errors == [(str(tmp_path / "bad.md"), "unexpected error: RuntimeError: boom")]
    assert (report.created, report.failed) == (2, 1)
    assert sorted(Article.objects.values_list("title", flat=True)) == ["first", "last"]
    assert sorted(Article.objects.get(title="last").tags.names()) == ["last"]
    assert ImportRun.objects.get().state == ImportRun.State.FINISHED


def test_an_unexpected_error_updating_one_post_fails_only_that_post(tmp_path, monkeypatch):
    for title in ["first", "bad", "last"]:
        front_matter_post(tmp_path, f"{title}.md", title=title)
    import_paths([tmp_path])
    for title in ["first", "bad", "last"]:
        front_matter_post(tmp_path, f"{title}.md", title=title, body="新的正文。\n")
    original = ArticleQuerySet.update_with_history
    monkeypatch.setattr(
        ArticleQuerySet,
        "update_with_history",
        lambda self, objs, *args, **kw: raise_for_bad(article_titles(objs)) or original(self, objs, *args, **kw),
    )
    report = import_paths([tmp_path])
    assert (report.updated, report.failed) == (2, 1)
    assert report.errors == [(str(tmp_path / "bad.md"), "unexpected error: RuntimeError: boom")]
    assert "新的正文" in Article.objects.get(title="last").body_text
    assert "新的正文" not in Article.objects.get(title="bad").body_text


def test_an_error_accounting_for_one_result_fails_only_that_file(tmp_path, monkeypatch):
    original = runner.import_key
    monkeypatch.setattr(
        runner, "import_key", lambda url, relative: raise_for_bad([relative]) or original(url, relative)
    )
    for title in ["first", "bad", "last"]:
        front_matter_post(tmp_path, f"{title}.md", title=title)
    report = import_paths([tmp_path])
    assert (report.created, report.failed) == (2, 1)
    assert report.errors == [(str(tmp_path / "bad.md"), "unexpected error: RuntimeError: boom")]


@pytest.mark.parametrize("error", [RuntimeError("disk gone"), KeyboardInterrupt()])
def test_a_run_that_stops_is_still_finished_with_the_reason(tmp_path, monkeypatch, error):
    front_matter_post(tmp_path, "a.md")
    front_matter_post(tmp_path, "b.md")

    def stop(*args, **kwargs):
        raise error

    monkeypatch.setattr(runner, "_write", stop)
    with pytest.raises(type(error)):
        import_paths([tmp_path])
    run = ImportRun.objects.get()
    assert run.finished_at is not None
    assert run.state == ImportRun.State.FAILED
    expected = "RuntimeError: disk gone" if isinstance(error, RuntimeError) else "shut down mid-run (KeyboardInterrupt)"
    assert run.failure == expected
    assert (run.files_total, run.files_done) == (2, 2)


def test_a_run_records_its_process_and_progress(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "BEAT_SECONDS", 0)
    monkeypatch.setattr(runner, "BATCH_SIZE", 2)
    beats = []
    original = runner.runs.beat

    def beat(run, report):
        original(run, report)
        beats.append(ImportRun.objects.values_list("files_done", "created").get())

    monkeypatch.setattr(runner.runs, "beat", beat)
    for n in range(5):
        front_matter_post(tmp_path, f"{n}.md")
    import_paths([tmp_path])
    run = ImportRun.objects.get()
    assert (run.host, run.pid) == (socket.gethostname(), os.getpid())
    assert (run.files_total, run.files_done, run.created) == (5, 5, 5)
    assert beats == [(0, 0), (1, 0), (2, 2), (3, 2), (4, 4), (5, 4)]
    assert run.heartbeat_at == run.finished_at


def test_a_run_whose_process_died_is_interrupted_not_running():
    assert make_unfinished_run().state == ImportRun.State.RUNNING
    assert make_unfinished_run(pid=dead_pid()).state == ImportRun.State.INTERRUPTED


def test_a_run_elsewhere_is_interrupted_when_its_heartbeat_stops():
    stale = timezone.now() - timedelta(minutes=6)
    assert make_unfinished_run(host="worker-2", pid=1).state == ImportRun.State.RUNNING
    assert make_unfinished_run(host="worker-2", pid=1, heartbeat_at=stale).state == ImportRun.State.INTERRUPTED
    assert ImportRun.objects.create().state == ImportRun.State.QUEUED


def test_an_unexpected_error_writing_one_post_is_logged_with_its_traceback(tmp_path, monkeypatch, caplog):
    name, make = INJECTIONS["insert"]
    monkeypatch.setattr(writer, name, make(getattr(writer, name)))
    for title in ["first", "bad", "last"]:
        front_matter_post(tmp_path, f"{title}.md", title=title)
    report = import_paths([tmp_path])
    assert report.errors == [(str(tmp_path / "bad.md"), "unexpected error: RuntimeError: boom")]
    [record] = [r for r in caplog.records if r.name == "articles.importer"]
    assert (record.levelname, record.getMessage()) == ("ERROR", f"writing {tmp_path / 'bad.md'} failed")
    assert "RuntimeError: boom" in caplog.text and "in raise_for_bad" in caplog.text


@pytest.mark.parametrize(
    ("cause", "stops"),
    [
        (sqlite3.OperationalError("database or disk is full"), True),
        (sqlite3.OperationalError("no such column: x"), False),
        (type("DiskFull", (Exception,), {"sqlstate": "53100"})(), True),
        (type("AdminShutdown", (Exception,), {"sqlstate": "57P01"})(), True),
        (type("UniqueViolation", (Exception,), {"sqlstate": "23505"})(), False),
        (type("StringDataRightTruncation", (Exception,), {"sqlstate": "22001"})(), False),
    ],
)
def test_errors_that_mean_the_database_cannot_be_written_stop_the_run(cause, stops):
    if isinstance(cause, sqlite3.Error):
        cause.sqlite_errorcode = sqlite3.SQLITE_FULL if "full" in str(cause) else sqlite3.SQLITE_ERROR
    error = OperationalError(str(cause))
    error.__cause__ = cause
    assert writer.stops_the_run(error) is stops
