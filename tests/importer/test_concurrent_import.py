"""Two imports of the same files at once never create duplicates (the unique import key backs it)."""

import os
import sqlite3
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.db import connection, connections

from articles.importer import runner
from articles.importer.runner import import_paths
from articles.models import Article

from .posts import front_matter_post

POSTS = 120


def write_posts(folder):
    for n in range(POSTS):
        kwargs = {"from": f"https://example.com/{n}"} if n % 2 else {}
        front_matter_post(folder, f"{n:03d}.md", title=f"同一个标题 {n % 7}", tags=[f"tag {n % 5}"], **kwargs)


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_in_threads_create_each_article_once(tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database shares one cache between threads; see the process test")
    write_posts(tmp_path)
    start = threading.Barrier(2)
    reports, errors = [], []

    def work():
        try:
            start.wait()
            reports.append(import_paths([tmp_path], workers=1))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Article.objects.count() == POSTS
    assert Article.objects.values("slug").distinct().count() == POSTS
    assert sum(r.created for r in reports) == POSTS
    assert all(r.failed == 0 for r in reports)
    assert sum(r.created + r.unchanged for r in reports) == 2 * POSTS


def test_two_import_processes_on_one_sqlite_file_create_each_article_once(tmp_path):
    write_posts(tmp_path / "posts")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=settings.BASE_DIR)  # noqa: S603
    command = [*manage, "import_seeds", str(tmp_path / "posts"), "--no-progress", "--workers", "1"]
    processes = [
        subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, text=True)  # noqa: S603
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0]
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        assert db.execute("SELECT COUNT(*), COUNT(DISTINCT slug) FROM articles_article").fetchone() == (POSTS, POSTS)
    created = [int(out.split("created ")[1].split(",")[0]) for out in outputs]
    assert sum(created) == POSTS


@pytest.mark.django_db(transaction=True)
def test_two_imports_in_one_process_each_parse_with_their_own_settings(tmp_path, monkeypatch):
    """One import (re-reading files it knows) is held after its first result while a second one
    (new files, ``--overwrite``) runs from start to end in another thread; each parses with its own
    settings, as its workers were given them, and gets its own results."""
    for n in range(6):
        front_matter_post(tmp_path / "known", f"known-{n}.md", title=f"Known {n}")
        front_matter_post(tmp_path / "new", f"new-{n}.md", title=f"New {n}")
    import_paths([tmp_path / "known"])
    held, second_done = threading.Event(), threading.Event()
    take = runner._take

    def take_holding_the_first(result, report, first_file):
        if threading.current_thread().name == "first" and not held.is_set():
            held.set()
            second_done.wait(timeout=300)
        return take(result, report, first_file)

    monkeypatch.setattr(runner, "_take", take_holding_the_first)
    reports, errors = {}, []

    def work(name, folder, overwrite):
        try:
            if name == "second":
                held.wait(timeout=300)
            reports[name] = import_paths([tmp_path / folder], overwrite=overwrite)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            if name == "second":
                second_done.set()
            connections.close_all()

    threads = [
        threading.Thread(target=work, name="first", args=("first", "known", False)),
        threading.Thread(target=work, name="second", args=("second", "new", True)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    first, second = reports["first"], reports["second"]
    assert (first.unchanged, first.created, first.failed, first.errors) == (6, 0, 0, [])
    assert (second.created, second.unchanged, second.failed, second.errors) == (6, 0, 0, [])
    assert Article.objects.count() == 12
