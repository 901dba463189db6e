"""The SSRF guard: the fetcher connects only to public addresses, checked after DNS resolution.

Checking a URL's host name is not enough: a public name can resolve to 127.0.0.1 or to a cloud
metadata address, and a second lookup can answer differently from the first (DNS rebinding). So
the check sits in the connection itself: the host is resolved once, every address it resolves to
is checked, and the socket connects to a checked address. Redirects open their connections the
same way, so each hop is checked again.
"""

import ipaddress
import socket

import httpcore
import httpx

from .deadlines import DeadlineBackend

# (property, what it is called in a refusal); the first that matches names the reason.
ADDRESS_KINDS = (
    ("is_loopback", "loopback"),
    ("is_link_local", "link-local"),
    ("is_private", "private"),
    ("is_multicast", "multicast"),
    ("is_reserved", "reserved"),
    ("is_unspecified", "unspecified"),
)


class BlockedAddress(Exception):
    """A host resolved to an address the guard does not allow."""

    def __init__(self, host, address, kind):
        self.host, self.address, self.kind = host, address, kind
        shown = host if host == address else f"{host} ({address})"
        super().__init__(f"{shown} is a {kind} address")


def address_kind(ip):
    """Why ``ip`` is not a public internet address ("loopback", "private"...), or "" if it is."""
    ip = ipaddress.ip_address(ip)
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    for attribute, kind in ADDRESS_KINDS:
        if getattr(ip, attribute):
            return kind
    return "" if ip.is_global else "non-public"


class Guard:
    """Resolves host names and refuses non-public addresses, unless private ones are allowed.

    ``allow_networks``: networks allowed even with the guard on (an intranet image server).
    ``resolve``: ``socket.getaddrinfo`` by default; tests pass a stub that answers private addresses.
    """

    def __init__(self, *, allow_private=False, allow_networks=(), resolve=socket.getaddrinfo):
        self.allow_private = allow_private
        self.allow_networks = [ipaddress.ip_network(net, strict=False) for net in allow_networks]
        self.resolve = resolve

    def allowed(self, address):
        if self.allow_private:
            return True
        ip = ipaddress.ip_address(address)
        return not address_kind(ip) or any(ip in network for network in self.allow_networks)

    def addresses(self, host, port):
        """The addresses to connect to for ``host``; BlockedAddress if any of them is not allowed.

        One bad answer refuses the host: a name that resolves to both a public and a private
        address is either misconfigured or an attack.
        """
        host = host.strip("[]")
        try:
            infos = self.resolve(host, port, type=socket.SOCK_STREAM)
        except OSError as error:
            raise httpcore.ConnectError(f"{host}: host not found ({error})") from error
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        for address in addresses:
            if not self.allowed(address):
                raise BlockedAddress(host, address, address_kind(address))
        return addresses


class GuardedBackend(httpcore.NetworkBackend):
    """A network backend (``backend``: httpcore's sockets) connecting only to addresses the guard has checked."""

    def __init__(self, guard, backend=None):
        self.guard = guard
        self.backend = backend or httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        last_error = None
        for address in self.guard.addresses(host, port):
            try:
                return self.backend.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as error:
                last_error = error
        raise last_error or httpcore.ConnectError(f"{host}: no address")


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport connecting through the guard, every socket keeping the file's deadline
    (``deadlines.py``); no proxies from the environment."""

    def __init__(self, guard, *, limits):
        super().__init__(limits=limits, trust_env=False)
        # httpx (0.28) offers no way to pass a network backend, so the pool is built again with one.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(guard, DeadlineBackend()),
        )
