"""Which URLs a cleaned body and an article may keep."""

import re
from urllib.parse import urlsplit

DATA_IMAGE_MAX = 64 * 1024
DATA_IMAGE_RE = re.compile(r"^data:image/(?:png|gif|jpe?g|webp|avif);base64,[a-z0-9+/=\s]+$", re.IGNORECASE)
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def is_data_image(value):
    """A small inline raster image (``data:image/png;base64,...``): the only ``data:`` URL kept."""
    return len(value) <= DATA_IMAGE_MAX and DATA_IMAGE_RE.match(value) is not None


def safe_url(url, *, allow_data_image=False):
    """``url`` if it is http(s), protocol-relative (made https) or relative; else ""."""
    url = (url or "").strip()
    if not url or CONTROL_RE.search(url):
        return ""
    if url.startswith("//"):
        return "https:" + url
    if url[:5].lower() == "data:":
        return url if allow_data_image and is_data_image(url) else ""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in ("", "http", "https") else ""
