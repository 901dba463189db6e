"""``rebuild_search_index`` with worker processes: the same index as the importer built, on a real file."""

import json
import os
import subprocess
import sys

from django.conf import settings

from tests.importer.posts import front_matter_post

POSTS = 60
QUERIES = ["台海", "臺灣 海峡", "nato", '"两岸 关系"', "峡两", "同一 -标题"]
# Run by the project's own shell: each query's results, and how many documents the index holds.
REPORT = f"""
import json
from articles.models import Article
from articles.search import search
from articles.models import SearchDocument
print(json.dumps([SearchDocument.objects.count()] + [
    sorted(search(Article.objects.all(), q).results.values_list("slug", flat=True)) for q in {QUERIES!r}
]))
"""
# Import the posts, report, then drop every other document behind the index's back, and report again.
IMPORT = f"""
from django.core.management import call_command
from articles.models import SearchDocument
call_command("migrate", verbosity=0)
call_command("import_seeds", %r, "--no-progress", "--workers", "1", verbosity=0)
{REPORT}
every_other = list(SearchDocument.objects.values_list("pk", flat=True))[::2]
SearchDocument.objects.filter(pk__in=every_other).delete()
{REPORT}
"""


def write_posts(folder):
    for n in range(POSTS):
        body = f"第{n}篇：台海{'两岸，关系' if n % 3 else '两岸关系'} NATO {'臺灣海峡' if n % 2 else '海峡'}。\n"
        front_matter_post(folder, f"{n:03d}.md", body=body, title=f"同一个标题 {n % 7}", tags=[f"标签 {n % 5}"])


def test_workers_rebuild_the_index_the_importer_built(tmp_path):
    write_posts(tmp_path / "posts")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    def manage(*args):
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), *args]
        done = subprocess.run(command, env=env, cwd=settings.BASE_DIR, check=True, capture_output=True, text=True)  # noqa: S603
        return [line for line in done.stdout.splitlines() if line.strip()]

    imported, dropped = map(json.loads, manage("shell", "-c", IMPORT % str(tmp_path / "posts"))[-2:])
    assert imported[0] == POSTS and all(imported[1:5])  # the queries find things
    assert dropped != imported
    assert f"Indexed {POSTS} articles" in manage("rebuild_search_index", "--workers", "2", "--batch-size", "7")[-1]
    assert json.loads(manage("shell", "-c", REPORT)[-1]) == imported
