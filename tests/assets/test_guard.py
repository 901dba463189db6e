"""The SSRF guard, with a stubbed resolver: no private address is ever connected to, or even tried."""

import socket

import pytest

from articles.assets.fetching import OK, REFUSED
from articles.assets.guard import BlockedAddress, Guard, GuardedBackend, address_kind
from tests.helpers import make_fetcher


def resolver(answers):
    """A getaddrinfo stand-in answering ``answers[host]`` (a list of addresses)."""

    def resolve(host, port, **kwargs):
        return [
            (socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
            for ip in answers[host]
        ]

    return resolve


@pytest.mark.parametrize(
    "address, kind",
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.254", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:10.0.0.1", "private"),  # IPv4 written as IPv6
        ("::ffff:127.0.0.1", "loopback"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "private"),
        ("0.0.0.0", "private"),  # noqa: S104 (an address under test, not a bind)
        ("100.64.0.1", "non-public"),  # carrier-grade NAT
        ("192.0.2.1", "private"),  # documentation range
    ],
)
def test_non_public_addresses_are_named(address, kind):
    assert address_kind(address) == kind
    assert not Guard().allowed(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"])
def test_public_addresses_pass(address):
    # Only classified here; nothing connects to them.
    assert address_kind(address) == ""
    assert Guard().allowed(address)


def test_a_name_that_resolves_to_a_private_address_is_refused_before_connecting(monkeypatch):
    connects = []
    monkeypatch.setattr(socket, "create_connection", lambda *args, **kwargs: connects.append(args))
    guard = Guard(resolve=resolver({"images.example": ["10.0.0.7"]}))
    with pytest.raises(BlockedAddress, match=r"images.example \(10.0.0.7\) is a private address"):
        GuardedBackend(guard).connect_tcp("images.example", 80)
    assert connects == []


def test_one_private_answer_among_public_ones_refuses_the_host():
    guard = Guard(resolve=resolver({"cdn.example": ["93.184.216.34", "192.168.0.10"]}))
    with pytest.raises(BlockedAddress):
        guard.addresses("cdn.example", 443)


def test_allowing_private_addresses_or_one_network():
    stub = resolver({"intranet.example": ["10.1.2.3"]})
    assert Guard(allow_private=True, resolve=stub).addresses("intranet.example", 80) == ["10.1.2.3"]
    assert Guard(allow_networks=["10.1.2.0/24"], resolve=stub).addresses("intranet.example", 80) == ["10.1.2.3"]
    with pytest.raises(BlockedAddress):
        Guard(allow_networks=["10.9.0.0/16"], resolve=stub).addresses("intranet.example", 80)


def test_a_private_answer_is_refused_by_the_fetcher_too():
    # The whole fetch path: a public-looking name whose DNS answer is a metadata address.
    fetcher = make_fetcher(Guard(resolve=resolver({"photos.example": ["169.254.169.254"]})))
    try:
        result = fetcher.fetch("http://photos.example/latest/meta-data/")
    finally:
        fetcher.close()
    assert result.outcome == REFUSED
    assert result.error == "address not allowed: photos.example (169.254.169.254) is a link-local address"
    assert result.exchanges == []


def test_the_guard_connects_to_the_address_it_checked(server):
    # A rebinding name would answer differently the second time: the guard resolves once and
    # connects to that answer, so the request reaches exactly the checked address.
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])
    calls = []

    def rebinding(host, port, **kwargs):
        calls.append(host)
        return resolver({host: next(answers)})(host, port)

    fetcher = make_fetcher(Guard(allow_networks=["127.0.0.1/32"], resolve=rebinding))
    try:
        url = server.url("/photo.jpg").replace("127.0.0.1", "rebind.example")
        assert fetcher.fetch(url).outcome == OK
    finally:
        fetcher.close()
    assert calls == ["rebind.example"]
    assert server.requests[-1][2]["Host"].startswith("rebind.example")


def test_the_guard_is_on_by_default(settings):
    from articles.assets.runner import make_fetcher as run_fetcher

    assert settings.ARCHIVE_ASSETS_ALLOW_PRIVATE is False
    fetcher = run_fetcher(workers=1)
    try:
        result = fetcher.fetch("http://127.0.0.1:9/photo.jpg")
    finally:
        fetcher.close()
    assert result.outcome == REFUSED and "loopback" in result.error
