"""``archive_assets --check-sources``: alive, moved or gone, against the local server only."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import SourceCheck
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def check(*args):
    out = io.StringIO()
    call_command("archive_assets", "--check-sources", "--no-progress", *args, stdout=out)
    return out.getvalue()


def verdict(article):
    found = SourceCheck.objects.get(article=article)
    return found.status, found.http_status, found.final_url


def test_sources_are_alive_moved_or_gone(server, archive_settings):
    articles = {path: make_article(original_url=server.url(path)) for path in (
        "/news/alive", "/news/gone", "/news/old-address", "/news/retired", "/news/no-head", "/news/broken",
    )}  # fmt: skip
    no_source = make_article(original_url="")
    output = check()
    assert verdict(articles["/news/alive"]) == ("alive", 200, "")
    assert verdict(articles["/news/gone"]) == ("gone", 404, "")
    assert verdict(articles["/news/old-address"]) == ("moved", 200, server.url("/news/new-address"))
    assert verdict(articles["/news/retired"]) == ("gone", 200, server.url("/"))  # sent to the home page
    assert verdict(articles["/news/no-head"]) == ("alive", 200, "")  # HEAD refused, GET answered
    assert verdict(articles["/news/broken"])[:2] == ("unreachable", 500)
    assert not SourceCheck.objects.filter(article=no_source).exists()
    assert "Sources checked: alive 2, gone 2, moved 1, unreachable 1" in output
    assert ("HEAD", "/news/alive") in [(method, path) for method, path, _headers in server.requests]


def test_a_check_is_not_repeated_until_it_is_due(server, archive_settings):
    article = make_article(original_url=server.url("/news/alive"))
    check()
    server.requests.clear()
    assert "nothing due" in check()
    assert server.requests == []
    SourceCheck.objects.update(checked_at=timezone.now() - timedelta(days=31))
    check()
    assert server.paths() == ["/news/alive"]
    check("--article", str(article.pk))  # asked for by id: checked now
    assert server.paths() == ["/news/alive", "/news/alive"]


def test_source_checks_respect_the_guard(server, archive_settings):
    archive_settings.ARCHIVE_ASSETS_ALLOW_PRIVATE = False
    article = make_article(original_url=server.url("/news/alive"))
    check()
    found = SourceCheck.objects.get(article=article)
    assert found.status == "unreachable" and "loopback" in found.error
    assert server.requests == []
