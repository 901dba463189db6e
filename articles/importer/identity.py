"""Import keys: what makes two files the same article across runs."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from articles.models import Article, fit

DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMS = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "spm", "ref_src"}


def is_tracking_param(name):
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMS


def normalize_url(url):
    """A canonical form of ``url`` for comparisons, or "" when it is not an http(s) URL.

    Scheme and host are lowercased, the default port, the fragment and tracking parameters
    (``utm_*``, ``fbclid``...) dropped, a trailing slash removed (except for the root), and the
    meaningful query kept in its original order.
    """
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in DEFAULT_PORTS or not host:
        return ""
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k)],
        doseq=True,
    )
    return urlunsplit((scheme, netloc, path, query, ""))


def import_key(original_url, relative_path):
    """The normalized original URL if there is one, else the POSIX path relative to the import root."""
    key = normalize_url(original_url) or relative_path.replace("\\", "/").lstrip("/")
    return fit(Article, "import_key", key)
