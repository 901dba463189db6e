"""The address a request comes from, for the search limit and the login lockout.

By default the peer's address (REMOTE_ADDR): a header such as X-Forwarded-For can be written by
any client, so it is never trusted unless ``CLIENT_IP_HEADER`` says a proxy sets it. Proxies append
the address they saw to X-Forwarded-For, so behind ``TRUSTED_PROXY_COUNT`` proxies the client's
address is that many entries from the right; anything left of it may be forged.
"""

import ipaddress

from django.conf import settings

# Without a usable address (a Unix socket and no CLIENT_IP_HEADER), every client shares this one.
UNKNOWN = "0.0.0.0"  # noqa: S104 (a placeholder address, never bound)


def meta_key(header):
    """``X-Forwarded-For`` -> ``HTTP_X_FORWARDED_FOR``, the key Django's request.META uses."""
    return "HTTP_" + header.strip().upper().replace("-", "_")


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The client's IP address: the trusted proxies' report when configured, else the peer's."""
    if settings.CLIENT_IP_HEADER:
        reported = [part for part in request.META.get(meta_key(settings.CLIENT_IP_HEADER), "").split(",") if part]
        if reported:
            address = _valid(reported[max(0, len(reported) - settings.TRUSTED_PROXY_COUNT)])
            if address:
                return address
    return _valid(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
