"""The per-client search limit: the search page and the API's q answer 429 past it, nothing else does."""

import json
import os
import subprocess
import sys
import time
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.conf import settings as django_settings
from django.test import Client

from articles.web.client_ip import UNKNOWN, client_ip
from tests.factories import make_article

pytestmark = pytest.mark.django_db

# Documentation addresses (RFC 5737): never anybody's real client.
ALICE, BOB, PROXY = "192.0.2.10", "198.51.100.20", "203.0.113.30"


@pytest.fixture(autouse=True)
def three_a_minute(settings, monkeypatch):
    settings.SEARCH_RATE_LIMIT = "3/m"
    # django-ratelimit counts in fixed windows: on a loaded machine a test's requests could straddle
    # a window's end and start counting afresh. One frozen instant keeps each test in one window.
    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))


def search_page(address, query="台海", **headers):
    return Client(REMOTE_ADDR=address, **headers).get("/search/", {"q": query})


def test_the_fourth_search_in_a_minute_gets_a_page_saying_why():
    make_article("台海局势")
    assert [search_page(ALICE).status_code for _ in range(3)] == [200, 200, 200]
    refused = search_page(ALICE, "香港")
    html = refused.content.decode()
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "<h1>Too many searches</h1>" in html
    assert 'href="/"' in html  # the site's own page, with its header and links
    assert "Content-Security-Policy" in refused
    # Later refusals come from the cache, with the same headers and a fresh Retry-After.
    again = search_page(ALICE, "澳门")
    assert again.status_code == 429
    assert again.content == refused.content
    assert again["Content-Security-Policy"] == refused["Content-Security-Policy"]
    assert again["X-Frame-Options"] == "DENY"
    assert 1 <= int(again["Retry-After"]) <= 60


def test_the_page_speaks_chinese_too():
    for _ in range(3):
        search_page(ALICE)
    refused = search_page(ALICE, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 429
    assert "搜索次数过多" in refused.content.decode()


def test_each_address_has_its_own_count():
    for _ in range(4):
        search_page(ALICE)
    assert search_page(ALICE).status_code == 429
    assert search_page(BOB).status_code == 200


def test_browsing_and_an_empty_search_are_not_counted():
    make_article("台海局势")
    client = Client(REMOTE_ADDR=ALICE)
    for _ in range(5):
        assert client.get("/").status_code == 200
        assert client.get("/search/").status_code == 200
        assert client.get("/search/", {"q": "  "}).status_code == 200
        assert client.get("/api/articles/").status_code == 200
    assert search_page(ALICE).status_code == 200


def test_the_api_counts_q_and_answers_json():
    make_article("台海局势")
    client = Client(REMOTE_ADDR=ALICE)
    assert [client.get("/api/articles/", {"q": "台海"}).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/articles/", {"q": "台海", "page": "2"})
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert "Too many searches" in json.loads(refused.content)["detail"]
    assert int(refused["Retry-After"]) >= 1
    assert client.get("/api/articles/").status_code == 200  # the list without q is not limited
    # The search page and the API share one count.
    assert search_page(ALICE).status_code == 429


def test_a_forged_forwarded_for_header_is_ignored_by_default():
    for n in range(4):
        search_page(ALICE, HTTP_X_FORWARDED_FOR=f"192.0.2.{100 + n}")
    assert search_page(ALICE, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


def test_behind_a_trusted_proxy_the_address_it_reports_counts(settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    for n in range(4):
        # Whatever the client wrote first, the proxy appended the address it saw: that one counts.
        search_page(PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{100 + n}, {ALICE}")
    assert search_page(PROXY, HTTP_X_FORWARDED_FOR=ALICE).status_code == 429
    assert search_page(PROXY, HTTP_X_FORWARDED_FOR=BOB).status_code == 200


def test_the_limit_can_be_turned_off(settings):
    settings.SEARCH_RATE_LIMIT = ""
    make_article("台海局势")
    assert {search_page(ALICE).status_code for _ in range(6)} == {200}


class FakeRequest:
    def __init__(self, **meta):
        self.META = meta


@pytest.mark.parametrize(
    ("header", "count", "meta", "expected"),
    [
        ("", 1, {"REMOTE_ADDR": ALICE, "HTTP_X_FORWARDED_FOR": BOB}, ALICE),
        ("X-Forwarded-For", 1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{BOB}, {ALICE}"}, ALICE),
        ("X-Forwarded-For", 2, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{BOB}, {ALICE}, {PROXY}"}, ALICE),
        ("X-Forwarded-For", 3, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ALICE}, ALICE),
        ("X-Forwarded-For", 1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "unknown"}, PROXY),
        ("X-Forwarded-For", 1, {"REMOTE_ADDR": PROXY}, PROXY),
        ("X-Real-IP", 1, {"REMOTE_ADDR": PROXY, "HTTP_X_REAL_IP": " 2001:db8::1 "}, "2001:db8::1"),
        ("", 1, {"REMOTE_ADDR": ""}, UNKNOWN),
    ],
)
def test_client_ip(settings, header, count, meta, expected):
    settings.CLIENT_IP_HEADER = header
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(FakeRequest(**meta)) == expected


def settings_from(env):
    """Settings values as a fresh process reads them from ``env``."""
    names = ["SEARCH_RATE_LIMIT", "CLIENT_IP_HEADER", "TRUSTED_PROXY_COUNT"]
    code = f"import json; from archive import settings as s; print(json.dumps([getattr(s, n) for n in {names!r}]))"
    clean = {k: v for k, v in os.environ.items() if k not in names}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    return result


def test_settings_come_from_the_environment_with_documented_defaults():
    assert json.loads(settings_from({}).stdout) == ["5/10s", "", 1]
    configured = {"SEARCH_RATE_LIMIT": "100/h", "CLIENT_IP_HEADER": "X-Forwarded-For", "TRUSTED_PROXY_COUNT": "2"}
    assert json.loads(settings_from(configured).stdout) == ["100/h", "X-Forwarded-For", 2]
    assert json.loads(settings_from({"SEARCH_RATE_LIMIT": "0"}).stdout)[0] == ""


def test_a_malformed_rate_stops_start_up_naming_the_setting():
    result = settings_from({"SEARCH_RATE_LIMIT": "thirty"})
    assert result.returncode != 0
    assert "SEARCH_RATE_LIMIT" in result.stderr


def wsgi_get(path, address=ALICE, **query):
    """(status, headers, body) from the WSGI application gunicorn serves, as one client sends it."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import RequestFactory

    from archive.wsgi import application

    environ = RequestFactory().get(path, query, REMOTE_ADDR=address).environ
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    # As Django's test client does: a request must not close the test's database connection.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        chunks = application(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    return answer["status"], answer["headers"], body


def test_the_wsgi_application_refuses_before_django_runs():
    from django.core.signals import request_started

    make_article("台海局势")
    assert [wsgi_get("/search/", q="台海")[0] for _ in range(3)] == ["200 OK"] * 3
    status, headers, first = wsgi_get("/search/", q="香港")  # rendered by the view, with every header
    assert status.startswith("429")
    assert "Content-Security-Policy" in headers and 1 <= int(headers["Retry-After"]) <= 60
    assert "Too many searches" in first.decode()
    started = []

    def count(**kwargs):
        started.append(kwargs)

    request_started.connect(count, weak=False)
    try:
        status, headers, again = wsgi_get("/api/articles/", q="台海")  # rendered once too
        assert status.startswith("429") and "Too many searches" in again.decode()
        status, headers, cached = wsgi_get("/search/", q="澳门")
    finally:
        request_started.disconnect(count)
    assert status.startswith("429") and cached == first
    assert "Content-Security-Policy" in headers and int(headers["Retry-After"]) >= 1
    assert len(started) == 1  # the API's refusal went through Django; the cached page did not
    assert wsgi_get("/search/", BOB, q="台海")[0] == "200 OK"
    assert wsgi_get("/", ALICE)[0] == "200 OK"


def test_the_wsgi_application_and_the_middleware_count_a_request_once():
    make_article("台海局势")
    assert [wsgi_get("/search/", q="台海")[0] for _ in range(3)] == ["200 OK"] * 3
    assert wsgi_get("/search/", q="台海")[0].startswith("429")
