"""``archive_assets`` in its own process, as an operator runs it: its peak memory, its exit, a kill."""

import subprocess

import pytest

from .encoded import MB
from .process import Site, kill, migrate
from .server import STALL_SECONDS

MEMORY_BOUND = 300 * MB  # the bombs decode to 1 GB each: 2.2 GB before the fix, 130 MB after it
DEFAULT_MAX_BYTES = 20 * MB  # ARCHIVE_ASSET_MAX_BYTES as shipped


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "db.sqlite3"
    migrate(path)
    return path


@pytest.fixture
def site(template, tmp_path):
    return Site(template, tmp_path)


def post(source="", images=()):
    """A post's text: front matter with ``from: source``, and a body showing ``images``."""
    head = "---\ntitle: 一篇文章\ndate: 2024-05-01\n" + (f"from: {source}\n" if source else "") + "---\n\n"
    return head + "".join(f"![图]({url})\n\n" for url in images)


def test_compression_bombs_leave_memory_near_its_baseline(template, tmp_path, server):
    site = Site(template, tmp_path, ARCHIVE_ASSET_MAX_BYTES=DEFAULT_MAX_BYTES)
    bombs = [server.url("/gzip-bomb.jpg"), server.url("/gzip-gzip-bomb.jpg")]
    site.import_posts({"2024-05-01-bombs.md": post(server.url("/news/bomb"), bombs)})
    archived = site.manage("archive_assets", "--no-progress")
    assert archived.returncode == 0, archived.stderr
    assert archived.peak_rss < MEMORY_BOUND
    assert "  refused: larger than 20,971,520 bytes: 1" in archived.stdout
    assert "  refused: stacked content encodings: 1" in archived.stdout
    checked = site.manage("archive_assets", "--check-sources", "--no-progress")
    assert checked.returncode == 0, checked.stderr
    assert checked.peak_rss < MEMORY_BOUND
    assert "Sources checked: alive 1" in checked.stdout  # it answered; its body was not wanted


def test_an_unreadable_source_url_is_checked_like_any_other(site, server):
    site.import_posts(
        {
            "2024-05-01-odd.md": post("http://0177.0.0.1/story-3"),
            "2024-05-02-alive.md": post(server.url("/news/alive")),
            "2024-05-03-gone.md": post(server.url("/news/gone")),
        }
    )
    first = site.manage("archive_assets", "--check-sources", "--no-progress")
    assert (first.returncode, first.stderr) == (0, "")
    assert "Sources checked: alive 1, gone 1, unreachable 1" in first.stdout
    query = "SELECT c.status, c.error FROM articles_sourcecheck c JOIN articles_article a ON a.id = c.article_id"
    assert site.rows(query + " WHERE a.original_url LIKE '%0177%'") == [
        ("unreachable", "not a valid URL: Invalid IPv4 address: '0177.0.0.1'")
    ]
    second = site.manage("archive_assets", "--check-sources", "--no-progress")
    assert (second.returncode, second.stdout.strip()) == (0, "Sources checked: nothing due")


def test_a_source_check_killed_half_way_keeps_the_checks_it_made(template, tmp_path, server):
    # The second source never answers, and its time limit is far off: the run is killed waiting for it.
    site = Site(template, tmp_path, ARCHIVE_ASSET_TIMEOUT=60)
    alive, silent = post(server.url("/news/alive")), post(server.url("/slow.jpg"))
    site.import_posts({"2024-05-01-alive.md": alive, "2024-05-02-silent.md": silent})
    command = ("archive_assets", "--check-sources", "--no-progress", "--workers", "2")
    process = site.start(*command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        saved = site.wait_for_rows("SELECT status FROM articles_sourcecheck", seconds=STALL_SECONDS)
    finally:
        kill(process)
    assert saved == [("alive",)]
    assert site.rows("SELECT status FROM articles_sourcecheck") == [("alive",)]
