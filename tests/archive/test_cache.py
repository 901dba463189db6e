"""CACHE_URL: local memory by default, a shared Redis when set, and a site that outlives its Redis."""

import logging
import socket
import subprocess
import sys
import threading

import pytest
import redis
from django.core.exceptions import ImproperlyConfigured

from archive.cache import cache_settings, public_location
from articles.models import Article
from tests.factories import make_article

from .servers import ROOT, free_port, project_env


@pytest.fixture
def page_cache(settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 30


def use_cache(settings, url):
    settings.CACHES = {"default": cache_settings(url)}


def outage_lines(caplog):
    return [record for record in caplog.records if record.name == "archive.outages"]


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/3", "archive.cache.ResilientRedisCache"),
        ("rediss://:secret@cache.example.org:6380/0", "archive.cache.ResilientRedisCache"),
    ],
)
def test_cache_url_selects_local_memory_or_redis(url, backend):
    config = cache_settings(url)
    assert config["BACKEND"] == backend
    assert config.get("LOCATION") == (url or None)


@pytest.mark.parametrize("url", ["memcached://127.0.0.1:11211", "127.0.0.1:6379", "locmem"])
def test_other_cache_urls_are_refused_with_the_setting_named(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must start with redis:// or rediss://"):
        cache_settings(url)


def test_a_bad_cache_url_stops_the_server_from_starting_with_a_clear_message():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=project_env(CACHE_URL="memcached://127.0.0.1:11211"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "CACHE_URL must start with redis:// or rediss://" in result.stderr


def test_log_lines_never_show_the_cache_password():
    assert public_location("rediss://reader:s3cret@cache.example.org:6380/2") == "rediss://cache.example.org:6380/2"


@pytest.mark.django_db
def test_pages_and_cards_are_kept_in_redis(client, settings, page_cache, redis_server, django_assert_num_queries):
    use_cache(settings, redis_server.url)
    article = make_article("台海局势", tags=["台海"])
    for url in ("/", "/tag/台海/", article.get_absolute_url()):
        first = client.get(url)
        assert first.status_code == 200
        with django_assert_num_queries(0):
            assert client.get(url).content == first.content
    keys = {key.decode() for key in redis.Redis.from_url(redis_server.url).keys("*")}
    # The pages' year counts are kept in the database (counts.Tally), current at once: not cached.
    for kind in ("page", "card"):
        assert any(f":archive:{kind}:" in key for key in keys), kind


@pytest.mark.django_db
def test_an_unreachable_cache_url_serves_pages_uncached_and_logs_once_a_minute(
    client, settings, page_cache, clock, caplog
):
    use_cache(settings, f"redis://127.0.0.1:{free_port()}/0")
    make_article("旧标题")
    with caplog.at_level(logging.ERROR, logger="archive.outages"):
        assert "旧标题" in client.get("/").content.decode()
        Article.objects.update(title="新标题")
        for _ in range(3):
            clock.advance(10)  # past the retry time: each request tries Redis again, and fails
            response = client.get("/")
            assert response.status_code == 200 and "新标题" in response.content.decode()
        assert len(outage_lines(caplog)) == 1
        clock.advance(60)
        assert client.get("/").status_code == 200
    lines = outage_lines(caplog)
    assert len(lines) == 2
    assert "The cache at redis://127.0.0.1:" in lines[0].getMessage()
    assert "pages are served uncached" in lines[0].getMessage()


@pytest.mark.django_db
def test_a_redis_stopped_mid_test_leaves_pages_up_and_caching_resumes_when_it_is_back(
    client, settings, page_cache, redis_server, clock, caplog, django_assert_num_queries
):
    use_cache(settings, redis_server.url)
    make_article("旧标题", tags=["台海"])
    assert client.get("/tag/台海/").status_code == 200
    with django_assert_num_queries(0):
        assert "旧标题" in client.get("/tag/台海/").content.decode()

    redis_server.stop()
    Article.objects.update(title="新标题")
    with caplog.at_level(logging.ERROR, logger="archive.outages"):
        for _ in range(3):
            response = client.get("/tag/台海/")
            assert response.status_code == 200 and "新标题" in response.content.decode()
    assert len(outage_lines(caplog)) == 1

    redis_server.start()
    clock.advance(5)
    client.get("/tag/台海/")
    with django_assert_num_queries(0):
        assert "新标题" in client.get("/tag/台海/").content.decode()


class SilentServer:
    """Accepts connections and never answers: a hung Redis. Counts the connections it got."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.accepted.append(self.sock.accept()[0])
            except OSError:
                return

    def close(self):
        for connection in self.accepted:
            connection.close()
        self.sock.close()


@pytest.mark.django_db
def test_a_hung_redis_costs_one_timeout_not_one_per_request(client, settings, page_cache, clock, caplog):
    silent = SilentServer()
    try:
        use_cache(settings, f"redis://127.0.0.1:{silent.port}/0")
        make_article("旧标题", tags=["台海"])
        with caplog.at_level(logging.ERROR, logger="archive.outages"):
            for url in ("/", "/tag/台海/", "/archive/", "/tags/", "/"):
                assert client.get(url).status_code == 200, url
        # One read timed out, and its one retry: every other cache call was skipped.
        assert len(silent.accepted) == 2
        assert "TimeoutError" in outage_lines(caplog)[0].getMessage()
    finally:
        silent.close()
