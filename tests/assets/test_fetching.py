"""The fetcher against the local server: good files, and every way a server can fail or misbehave."""

import socket
from concurrent.futures import ThreadPoolExecutor

from articles.assets.fetching import FAILED, GONE, OK, REFUSED, SKIPPED
from articles.assets.guard import Guard
from tests.helpers import TEST_MAX_BYTES, make_fetcher


def test_a_good_image_is_fetched_with_a_descriptive_user_agent(server, fetcher):
    result = fetcher.fetch(server.url("/photo.jpg"))
    assert result.outcome == OK
    assert result.body[:3] == b"\xff\xd8\xff" and result.http_status == 200
    _method, _path, headers = server.requests[-1]
    assert headers["User-Agent"] == "TestArchiver/1.0"
    assert headers["Accept-Encoding"] == "identity"
    assert [exchange.status for exchange in result.exchanges] == [200]


def test_not_found_and_gone_are_gone(server, fetcher):
    for path, status in (("/missing.jpg", 404), ("/gone.jpg", 410)):
        result = fetcher.fetch(server.url(path))
        assert (result.outcome, result.http_status) == (GONE, status)
        assert str(status) in result.error


def test_a_server_error_fails_for_a_retry(server, fetcher):
    result = fetcher.fetch(server.url("/error.jpg"))
    assert (result.outcome, result.http_status, result.error) == (FAILED, 500, "HTTP 500 Internal Server Error")
    assert result.exchanges[0].body == b"<h1>Internal Server Error</h1>"  # kept for the WARC


def test_a_silent_server_times_out(server, short_fetcher):
    # The server never answers: only the time limit can end the fetch (it waits for the client to hang up).
    result = short_fetcher.fetch(server.url("/slow.jpg"))
    assert (result.outcome, result.error, result.exchanges) == (FAILED, "timed out: 127.0.0.1", [])
    assert server.client_left("/slow.jpg")


def test_a_dripping_server_is_cut_at_the_time_limit(server, short_fetcher):
    # Each read is quick; the whole file would take 8 s.
    result = short_fetcher.fetch(server.url("/drip.jpg"))
    assert result.outcome == FAILED and result.error == "took longer than 0.5 s"
    assert result.exchanges[0].truncated == "time"
    assert server.client_left("/drip.jpg")


def test_an_endless_stream_without_length_is_cut_at_the_size_limit(server, fetcher):
    result = fetcher.fetch(server.url("/huge.jpg"))
    assert result.outcome == REFUSED and result.error == f"larger than {TEST_MAX_BYTES:,} bytes"
    assert result.body == b""
    assert len(result.exchanges[0].body) <= TEST_MAX_BYTES and result.exchanges[0].truncated == "length"


def test_a_declared_length_over_the_limit_is_refused_before_the_body(server, fetcher):
    result = fetcher.fetch(server.url("/says-huge.jpg"))
    assert result.outcome == REFUSED and result.exchanges[0].body == b""


def test_redirects_are_followed_and_recorded(server, fetcher):
    result = fetcher.fetch(server.url("/moved.jpg"))
    assert result.outcome == OK and result.final_url == server.url("/photo.jpg")
    assert [exchange.status for exchange in result.exchanges] == [301, 200]


def test_a_redirect_loop_stops_at_once(server, fetcher):
    result = fetcher.fetch(server.url("/loop-a.jpg"))
    assert result.outcome == FAILED and result.error.startswith("redirect loop")
    assert server.paths() == ["/loop-a.jpg", "/loop-b.jpg"]


def test_more_than_five_redirects_fail(server, fetcher):
    result = fetcher.fetch(server.url("/hop-0.jpg"))
    assert result.outcome == FAILED and result.error == "more than 5 redirects"
    assert len(server.requests) == 6
    assert fetcher.fetch(server.url("/hop-3.jpg")).outcome == OK  # five hops are fine


def test_a_redirect_to_another_scheme_is_refused(server, fetcher):
    result = fetcher.fetch(server.url("/to-ftp.jpg"))
    assert result.outcome == REFUSED and result.error.startswith("not an http(s) URL")


def test_with_the_guard_on_a_redirect_to_a_loopback_address_is_refused(server):
    # The guard is on; only the test server's own address is let through, as an intranet archive would.
    fetcher = make_fetcher(Guard(allow_networks=["127.0.0.1/32"]))
    try:
        assert fetcher.fetch(server.url("/photo.jpg")).outcome == OK
        result = fetcher.fetch(server.url("/to-loopback.jpg"))
    finally:
        fetcher.close()
    assert result.outcome == REFUSED
    assert result.error == "address not allowed: ::1 is a loopback address"
    assert server.paths()[-1] == "/to-loopback.jpg"  # the hop to [::1] never left the client


def test_with_the_guard_on_loopback_urls_are_refused_without_a_request(server):
    fetcher = make_fetcher(Guard())
    try:
        for url in (server.url("/photo.jpg"), server.url("/photo.jpg").replace("127.0.0.1", "localhost")):
            result = fetcher.fetch(url)
            assert result.outcome == REFUSED and "loopback address" in result.error
    finally:
        fetcher.close()
    assert server.requests == []


def test_at_most_two_requests_at_a_time_per_host(server, fetcher):
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(fetcher.fetch, [server.url(f"/busy-{n}.jpg") for n in range(6)]))
    assert all(result.outcome == OK for result in results)
    assert server.most_in_flight == 2


def test_a_host_that_asks_to_slow_down_is_left_alone_for_the_run(server, fetcher):
    result = fetcher.fetch(server.url("/slow-down.jpg"))
    assert result.outcome == FAILED and result.http_status == 429
    assert result.retry_after is not None
    later = fetcher.fetch(server.url("/photo.jpg"))
    assert later.outcome == SKIPPED and later.error.startswith("host paused")
    assert server.paths() == ["/slow-down.jpg"]


def test_a_host_that_keeps_timing_out_is_paused(server, short_fetcher):
    outcomes = [short_fetcher.fetch(server.url("/slow.jpg")).outcome for _ in range(4)]
    assert outcomes == [FAILED, FAILED, FAILED, SKIPPED]


def test_an_unresolvable_host_fails_without_raising():
    def no_such_host(host, port, **kwargs):  # a stub: no DNS query leaves the machine
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    fetcher = make_fetcher(Guard(allow_private=True, resolve=no_such_host))
    try:
        result = fetcher.fetch("http://no-such-host.example/photo.jpg")
    finally:
        fetcher.close()
    assert result.outcome == FAILED and "host not found" in result.error


def test_a_surprise_fails_the_url_not_the_run(caplog):
    def broken(host, port, **kwargs):  # a stub: a bug below the fetcher, not a network failure
        raise RuntimeError("resolver bug")

    fetcher = make_fetcher(Guard(allow_private=True, resolve=broken))
    try:
        result = fetcher.fetch("http://images.example/photo.jpg")
    finally:
        fetcher.close()
    assert (result.outcome, result.error) == (FAILED, "internal error: resolver bug")
    assert caplog.records[-1].message == "fetching http://images.example/photo.jpg failed"
    assert caplog.records[-1].exc_info  # the traceback is kept in the log
