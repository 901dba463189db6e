"""``archive_assets`` in its own process, as an operator runs it: its peak memory."""

import pytest

from .encoded import MB
from .process import Site, migrate

MEMORY_BOUND = 300 * MB  # the bombs decode to 1 GB each: 2.2 GB before the fix, 130 MB after it
DEFAULT_MAX_BYTES = 20 * MB  # ARCHIVE_ASSET_MAX_BYTES as shipped


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "db.sqlite3"
    migrate(path)
    return path


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
