"""Which remote images an article shows: every ``img`` of its body (figures included) and its lead image.

Bodies are stored sanitized (``importer.clean``): lazy-loading attributes and ``srcset`` were
already folded into each image's ``src``, so ``src`` is the one attribute to read. Relative
addresses are resolved against the article's original URL; ``data:`` images need no archiving.
"""

from urllib.parse import urljoin, urlsplit

import lxml.html

WEB_SCHEMES = ("http", "https")


def parse_body(html):
    """A stored body as an lxml tree inside a ``<div>`` (lxml, the sanitizer's own parser)."""
    return lxml.html.fragment_fromstring(html or "", create_parent="div")


def serialize_body(root):
    """The HTML inside a tree from ``parse_body``."""
    return lxml.html.tostring(root, encoding="unicode")[len("<div>") : -len("</div>")].strip()


def resolve(url, base=""):
    """``url`` as an absolute http(s) address (relative ones against ``base``), or "" if it is none."""
    url = (url or "").strip()
    if not url or url[:5].lower() == "data:":
        return ""
    if url.startswith("//"):
        url = "https:" + url
    try:
        scheme = urlsplit(url).scheme.lower()
        if not scheme and base and urlsplit(base).scheme.lower() in WEB_SCHEMES:
            url, scheme = urljoin(base, url), urlsplit(base).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in WEB_SCHEMES else ""


def body_images(root, base=""):
    """``(img element, absolute URL)`` for each remote image in a parsed body."""
    found = []
    for img in root.iter("img"):
        url = resolve(img.get("src"), base)
        if url:
            found.append((img, url))
    return found


def image_urls(body_html, lead_image_url="", base=""):
    """The distinct remote image URLs an article shows, lead image first."""
    urls = [resolve(lead_image_url, base)]
    if "<img" in (body_html or ""):
        urls += [url for _img, url in body_images(parse_body(body_html), base)]
    return [url for url in dict.fromkeys(urls) if url]
