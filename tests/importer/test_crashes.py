"""Files that would crash or hang an import: each fails alone with one line, the others import.

Each import runs as ``manage.py import_seeds`` in a process of its own on a SQLite file, so that a
crash shows as what a person would see: the exit status and the output.
"""

import sqlite3

import pytest

from tests.helpers import IMPORT_SEEDS, run_python, sqlite_env

from .posts import front_matter_post

LEVELS = 25_000  # a 50 kB post: enough to overflow the C stack of PyYAML's loader
DEEP = {
    "deep-list.md": "---\ntitle: x\nx: " + "[" * LEVELS + "]" * LEVELS + "\n---\nbody\n",
    "deep-map.md": "---\ntitle: x\nx: " + "{a: " * LEVELS + "1" + "}" * LEVELS + "\n---\nbody\n",
    "deep-block.md": "---\ntitle: x\nx:\n" + "- " * LEVELS + "1\n---\nbody\n",
    "deep-toml.md": "+++\ntitle = 'x'\nx = " + "[" * LEVELS + "]" * LEVELS + "\n+++\nbody\n",
    "deep-json.md": '{"title": "x", "x": ' + "[" * LEVELS + "]" * LEVELS + "}\nbody\n",
}
TOO_DEEP = "front matter nested too deeply (over 100 levels)"
# import_seeds with a parser that, for a post whose title says so, kills its own process, ends it
# or loops (with a CPU budget of one second, so the loop ends soon).
CRASHING_PARSER = """
import os, signal
from articles.importer import runner
parse_post = runner.parse_post
def crashing(text, path, **options):
    if 'title: SEGV' in text:
        os.kill(os.getpid(), signal.SIGSEGV)
    if 'title: EXIT' in text:
        os._exit(3)
    if 'title: LOOP' in text:
        while True:
            pass
    return parse_post(text, path, **options)
runner.parse_post = crashing
runner.PARSE_CPU_SECONDS = 1
"""
CRASHES = {
    "SEGV": "the parser crashed (signal 11, Segmentation fault)",
    "EXIT": "the parser crashed (exit status 3)",
    "LOOP": "the parser crashed (over 1 s of CPU time)",
}


def count_articles(database):
    with sqlite3.connect(database) as db:
        return db.execute("SELECT COUNT(*) FROM articles_article").fetchone()[0]


def last_run(database):
    with sqlite3.connect(database) as db:
        return db.execute("SELECT finished_at IS NOT NULL, failure, created, failed FROM articles_importrun").fetchone()


@pytest.mark.parametrize(("good", "workers"), [(2, 1), (300, 2)])
def test_deeply_nested_front_matter_fails_alone_with_one_line(sqlite_file, tmp_path, good, workers):
    posts = tmp_path / "posts"
    for name, text in DEEP.items():
        (posts / name).parent.mkdir(exist_ok=True)
        (posts / name).write_text(text)
    for n in range(good):
        front_matter_post(posts, f"good-{n:03d}.md", title=f"Good {n}")
    done = run_python(IMPORT_SEEDS, "--workers", workers, posts, env=sqlite_env(sqlite_file))
    assert done.returncode == 1, done.stderr
    assert sorted(done.stderr.splitlines()) == [f"{posts / name}: {TOO_DEEP}" for name in sorted(DEEP)] + [
        "CommandError: 5 file(s) could not be imported (see the lines above)"
    ]
    assert f"created {good}, updated 0, unchanged 0, skipped 0, failed 5" in done.stdout
    assert count_articles(sqlite_file) == good
    assert last_run(sqlite_file) == (1, "", good, 5)


@pytest.mark.parametrize(("good", "workers"), [(2, 1), (150, 2)])
def test_a_file_that_kills_or_hangs_its_parser_fails_alone(sqlite_file, tmp_path, good, workers):
    posts = tmp_path / "posts"
    for n in range(good):
        front_matter_post(posts, f"good-{n:03d}.md", title=f"Good {n}")
    for word in CRASHES:  # among the good ones, in the same chunks
        front_matter_post(posts, f"good-001-{word}.md", title=word)
    done = run_python(CRASHING_PARSER + IMPORT_SEEDS, "--workers", workers, posts, env=sqlite_env(sqlite_file))
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith(str(posts))]
    assert sorted(lines) == sorted(f"{posts}/good-001-{word}.md: {reason}" for word, reason in CRASHES.items())
    assert f"created {good}, updated 0, unchanged 0, skipped 0, failed 3" in done.stdout
    assert count_articles(sqlite_file) == good
    assert last_run(sqlite_file) == (1, "", good, 3)


# import_seeds on a database that is full after ten more pages (PRAGMA max_page_count holds for
# each connection this process opens): a full disk, without filling one.
FULL_DATABASE = """
from django.db.backends.signals import connection_created
def fill_up(sender, connection, **kwargs):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        cursor.execute(f"PRAGMA max_page_count = {cursor.fetchone()[0] + 10}")
connection_created.connect(fill_up)
"""


def test_a_full_database_stops_the_import_with_one_line_and_closes_its_run(sqlite_file, tmp_path):
    for n in range(200):
        front_matter_post(tmp_path / "posts", f"{n:03d}.md", title=f"Post {n}", tags=[f"tag {n}"])
    done = run_python(FULL_DATABASE + IMPORT_SEEDS, tmp_path / "posts", env=sqlite_env(sqlite_file))
    assert done.returncode == 1
    assert done.stderr == "CommandError: the import stopped: OperationalError: database or disk is full\n"
    assert done.stdout == ""
    assert last_run(sqlite_file) == (1, "OperationalError: database or disk is full", 0, 0)
    rerun = run_python(IMPORT_SEEDS, tmp_path / "posts", env=sqlite_env(sqlite_file))
    assert rerun.returncode == 0, rerun.stderr
    assert count_articles(sqlite_file) == 200


# import_seeds with a bug in the parser for the post titled BUG.
BUGGY_PARSER = """
from articles.importer import runner
parse_post = runner.parse_post
def parse_with_a_bug(text, path, **options):
    if 'title: BUG' in text:
        raise RuntimeError('boom')
    return parse_post(text, path, **options)
runner.parse_post = parse_with_a_bug
"""


def test_an_unexpected_error_is_one_line_of_the_report_and_a_logged_traceback(sqlite_file, tmp_path):
    for title in ["first", "BUG", "last"]:
        front_matter_post(tmp_path / "posts", f"{title}.md", title=title)
    done = run_python(BUGGY_PARSER + IMPORT_SEEDS, tmp_path / "posts", env=sqlite_env(sqlite_file))
    assert done.returncode == 1
    bad = tmp_path / "posts" / "BUG.md"
    assert f"{bad}: unexpected error: RuntimeError: boom\n" in done.stderr
    assert f"unexpected error parsing {bad}\nTraceback (most recent call last):\n" in done.stderr
    assert "in parse_with_a_bug\nRuntimeError: boom\n" in done.stderr
    assert "created 2, updated 0, unchanged 0, skipped 0, failed 1" in done.stdout
