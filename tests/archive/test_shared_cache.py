"""Two app servers on one Redis and one database: a page one renders, the other serves; edits reach both."""

import time

import pytest

from .servers import DjangoShell, Gunicorn, migrated_sqlite, project_env

PAGE_SECONDS = 5
# A fresh render on a loaded machine: the second server must show the edit this soon after the copies expire.
SLACK_SECONDS = 5
STORY = "/2024/05/01/story/"
HIDDEN = "/2024/05/01/hidden/"
CREATE = (
    "from datetime import datetime, UTC; from tests.factories import make_article; "
    "at = datetime(2024, 5, 1, 4, tzinfo=UTC); "
    "make_article('旧标题', slug='story', published_at=at, tags=['台海'], excerpt='摘要'); "
    "make_article('将被隐藏', slug='hidden', published_at=at, tags=['台海'], excerpt='摘要')"
)
EDIT = (
    "from articles.models import Article; "
    "story = Article.objects.get(slug='story'); story.title = '新标题'; story.save(); "
    "hidden = Article.objects.get(slug='hidden'); hidden.status = Article.Status.HIDDEN; hidden.save()"
)


@pytest.fixture
def site(tmp_path, redis_server):
    """Two single-worker gunicorn servers and a Django shell on one SQLite file and one Redis."""
    database = migrated_sqlite(tmp_path / "db.sqlite3")
    env = project_env(
        DATABASE_URL=f"sqlite:///{database}",
        CACHE_URL=redis_server.url,
        ARCHIVE_PAGE_CACHE_SECONDS=str(PAGE_SECONDS),
        ALLOWED_HOSTS="archive.test",
    )
    shell = DjangoShell(env)
    servers = []
    try:
        servers += [Gunicorn(env).start(), Gunicorn(env).start()]
        yield shell, servers
    finally:
        shell.stop()
        for server in servers:
            server.stop()


def test_a_page_rendered_by_one_server_is_served_by_the_other_and_edits_reach_both(site):
    shell, (first, second) = site
    shell.run(CREATE)
    home, tag = first.get("/")[1], first.get("/tag/台海/")[1]
    assert "旧标题" in home and "将被隐藏" in tag
    assert first.get(HIDDEN)[0] == 200
    cached_at = time.monotonic()

    shell.run(EDIT)
    # The second server never rendered these pages: it serves the first one's copies from Redis.
    assert second.get("/")[1] == home and second.get("/tag/台海/")[1] == tag
    assert second.get(HIDDEN)[0] == 200
    assert time.monotonic() - cached_at < PAGE_SECONDS, "too slow to see the shared copies"

    # Within the page-cache time, both servers show the edit and the hidden article is gone.
    deadline = cached_at + PAGE_SECONDS + SLACK_SECONDS
    while time.monotonic() < deadline:
        home, tag = second.get("/")[1], second.get("/tag/台海/")[1]
        if "新标题" in home and "将被隐藏" not in tag and second.get(HIDDEN)[0] == 404:
            break
        time.sleep(0.2)
    else:
        pytest.fail(
            f"the second server still served the old pages {PAGE_SECONDS + SLACK_SECONDS} s after they were cached"
        )
    assert "旧标题" not in home
    assert "新标题" in first.get("/")[1] and first.get(HIDDEN)[0] == 404
    assert first.get(STORY)[0] == second.get(STORY)[0] == 200
