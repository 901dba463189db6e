"""Push notifications signed as GitHub signs them: ``X-Hub-Signature-256: sha256=<hex>``, the
HMAC-SHA256 of the raw request body with the source's secret (Gitea and Forgejo send it too)."""

import hashlib
import hmac

PREFIX = "sha256="


def sign(secret, body):
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def valid(secret, body, header):
    """Whether ``header`` signs ``body`` with ``secret``, compared in constant time; never without a secret."""
    if not secret or not header:
        return False
    return hmac.compare_digest(sign(secret, body).encode(), header.strip().encode("ascii", "replace"))
