"""An article whose writing kills its process, or fails on a bug, fails alone with one line (and a
bug's traceback is logged); the others are written.

The export runs as ``manage.py export_posts`` in a process of its own on a SQLite file, so that a
crash shows as what a person would see: the exit status and the output.
"""

import re

import pytest

from tests.helpers import IMPORT_SEEDS, run_python, sqlite_env
from tests.importer.posts import front_matter_post

# export_posts with a writer that kills its own process for the article titled SEGV, ends it for the
# one titled EXIT, and has a bug for the one titled BUG.
CRASHING_WRITER = """
import os, signal
from articles.export import runner
write_article = runner.write_article
def crashing(site, article, *args):
    if article.title == 'SEGV':
        os.kill(os.getpid(), signal.SIGSEGV)
    if article.title == 'EXIT':
        os._exit(3)
    if article.title == 'BUG':
        raise RuntimeError('boom')
    return write_article(site, article, *args)
runner.write_article = crashing
runner.POOL_CHUNK = 10
from django.core.management import execute_from_command_line
execute_from_command_line(['manage.py', 'export_posts', '--no-progress', *sys.argv[1:]])
"""


@pytest.mark.parametrize("workers", [1, 2])
def test_an_article_that_kills_its_writer_fails_alone(sqlite_file, tmp_path, workers):
    env = sqlite_env(sqlite_file)
    for n, title in enumerate(["SEGV", *(f"Good {n}" for n in range(30)), "EXIT", "BUG"]):
        front_matter_post(tmp_path / "posts", f"{n:03d}.md", title=title, slug=f"post-{n}")
    assert run_python(IMPORT_SEEDS, tmp_path / "posts", env=env).returncode == 0
    done = run_python(CRASHING_WRITER, tmp_path / "site", "--workers", workers, env=env)
    assert done.returncode == 1, done.stderr
    lines = [re.sub(r" \(id \d+\)", "", line) for line in done.stderr.splitlines() if "/2022/07/07/" in line]
    assert sorted(lines) == [
        "/2022/07/07/post-0/: the writer crashed (signal 11, Segmentation fault)",
        "/2022/07/07/post-31/: the writer crashed (exit status 3)",
        "/2022/07/07/post-32/: unexpected error: RuntimeError: boom",
    ]
    assert "\nTraceback (most recent call last):\n" in done.stderr
    assert "in crashing\nRuntimeError: boom\n" in done.stderr
    assert "exported 30 articles (30 published), failed 3" in done.stdout
    assert len(list((tmp_path / "site" / "_posts").iterdir())) == 30
