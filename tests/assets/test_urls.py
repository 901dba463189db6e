"""URLs the parts of the stack would read differently are refused before any lookup, and for good.

Every address here is a loopback or made-up literal, and the resolver is a stub that records what
it is asked: nothing leaves the machine, not even a DNS query.
"""

import logging

import pytest

from articles.assets.fetching import REFUSED
from articles.assets.guard import Guard
from articles.assets.urls import url_problem
from articles.models import Asset
from tests.factories import make_article
from tests.helpers import make_fetcher

from .test_archive_command import run

# From the probe (issue 18): each made the fetcher raise, or log a traceback and retry forever.
PROBED = [
    "http://0177.0.0.1/story-3",  # octal: 127.0.0.1 to the resolver
    "http://127.000.000.001/x.jpg",
    "http://１２７.０.０.１/x.jpg",  # full-width digits
    "http://[::1]:18503:1/x.jpg",
    f"http://{'a' * 64}.example/x.jpg",  # a label over 63 characters
    "http://xn--/x.jpg",
]
# Read as loopback by the resolver though httpx takes them for names, or otherwise ambiguous.
AMBIGUOUS = [
    "http://127.1/x.jpg",
    "http://0x7f.1/x.jpg",
    "http://2130706433/x.jpg",
    "http://127.0.0.1./x.jpg",
    "http://[::1]:99999/x.jpg",  # port 99999 is port 34463 to the socket
    "http://[fe80::1%25lo]/x.jpg",
    "http://ex%61mple.test/x.jpg",
    "http://a b.test/x.jpg",
    "http://a..b.test/x.jpg",
    f"http://{'a.' * 127}test/x.jpg",  # a name over 253 characters
]
FINE = [
    "http://127.0.0.1:8000/x.jpg",
    "http://[::1]/x.jpg",
    "https://images.example/a/b.jpg?w=1",
    "https://IMAGES.Example./x.jpg",
    "http://例え.テスト/x.jpg",
    "http://cdn_1.example:65535/x.jpg",
    "http://8.example/x.jpg",
]


def recording_resolver(asked):
    def resolve(host, port, **kwargs):
        asked.append(host)
        raise OSError("the stub resolves nothing")

    return resolve


@pytest.mark.parametrize("url", PROBED + AMBIGUOUS)
def test_odd_urls_are_not_valid(url):
    assert url_problem(url).startswith("not a valid URL: ")


@pytest.mark.parametrize("url", FINE)
def test_ordinary_urls_pass(url):
    assert url_problem(url) == ""


@pytest.mark.parametrize("allow_private", [False, True])
def test_the_fetcher_refuses_odd_urls_without_a_lookup_or_an_exception(allow_private):
    asked = []
    fetcher = make_fetcher(Guard(allow_private=allow_private, resolve=recording_resolver(asked)))
    try:
        results = [fetcher.fetch(url) for url in PROBED + AMBIGUOUS]
    finally:
        fetcher.close()
    assert {(result.outcome, result.error.split(": ")[0]) for result in results} == {(REFUSED, "not a valid URL")}
    assert asked == []


@pytest.mark.parametrize(
    "path, error",
    [
        ("/to-octal.jpg", "not a valid URL: redirect: Invalid IPv4 address: '0177.0.0.1'"),  # httpx's reading
        ("/to-short-ip.jpg", "not a valid URL: 127.1 is neither a plain IPv4 address nor a host name"),
    ],
)
def test_a_redirect_to_an_odd_url_is_refused(server, fetcher, path, error):
    result = fetcher.fetch(server.url(path))
    assert (result.outcome, result.error) == (REFUSED, error)
    assert server.paths() == [path]


@pytest.mark.django_db
def test_images_at_odd_urls_are_refused_for_good(server, archive_settings, caplog):
    make_article(body_html="".join(f'<p><img src="{url}" alt=""></p>' for url in PROBED[1:]))
    with caplog.at_level(logging.ERROR):
        output = run()
    assert "0 fetched (0 already stored), 5 not archived" in output
    assert "  refused: not a valid URL: 5" in output
    assert set(Asset.objects.values_list("status", "tries", "next_try_at")) == {("refused", 1, None)}
    assert caplog.records == []  # no traceback: nothing went wrong but the URLs
    assert "0 fetched (0 already stored), 0 not archived, 0 archived before" in run()  # not retried
