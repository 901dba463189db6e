"""Which URLs the fetcher will request: read once, strictly, and refused with a reason when odd.

httpx, urllib and the C resolver each read an address their own way: ``0177.0.0.1`` is an error to
httpx and 127.0.0.1 (octal) to ``getaddrinfo``; ``127.1`` and ``2130706433`` are host names to
httpx and loopback to the resolver; port 99999 is a number to httpx and port 34463 to the socket; a
64-character label makes the resolver raise UnicodeError. So a URL is requested only when all of
them must agree on it: a host that is an IP address in its plain form, or a name made of DNS
labels whose last label is not a number, and a port from 1 to 65535. Anything else is refused
before any lookup, and for good: a URL that cannot be read will not read better next time.
"""

import ipaddress
import re

import httpx

WEB_SCHEMES = ("http", "https")
LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")  # as httpx hands it on: lower case, IDNA-encoded
NUMBER = re.compile(r"[0-9]+|0x[0-9a-f]*")  # a label the resolver reads as part of an IPv4 address
NAME_MAX = 253


def url_problem(url):
    """Why ``url`` will not be requested ("not a valid URL: ..."), or "" when it is fine."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as error:  # idna's errors are UnicodeErrors, so ValueErrors
        return _invalid(str(error))
    if parsed.scheme not in WEB_SCHEMES or not parsed.raw_host:
        return f"not an http(s) URL: {url[:100]}"
    if parsed.port is not None and not 0 < parsed.port < 65536:
        return _invalid(f"port {parsed.port} out of range")
    return host_problem(parsed.raw_host.decode("ascii"))


def host_problem(host):
    """Why ``host`` (as httpx sends it: lower case, IDNA-encoded, IPv6 without brackets) is refused, or ""."""
    if ":" in host:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return _invalid(f"{host[:100]} is not an IPv6 address")
        return _invalid(f"{host[:100]}: zone identifiers are not allowed") if "%" in host else ""
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        pass
    else:
        return ""
    labels = host.removesuffix(".").split(".")
    if len(host) > NAME_MAX or not all(LABEL.fullmatch(label) for label in labels):
        return _invalid(f"{host[:100]} is not a host name")
    if NUMBER.fullmatch(labels[-1]):
        return _invalid(f"{host[:100]} is neither a plain IPv4 address nor a host name")
    return ""


def _invalid(reason):
    return f"not a valid URL: {reason}"[:300]
