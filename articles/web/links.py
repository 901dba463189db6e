"""Links built from stored text: a value that has no URL gives no link, never an error page."""

import logging
from functools import lru_cache
from urllib.parse import quote

from django.urls import NoReverseMatch, reverse

from .converters import Segment

logger = logging.getLogger(__name__)


def link(viewname, *args):
    """``reverse(viewname, args=args)``, or "" (logged) when there is no such URL, e.g. for an empty slug.

    The URL converters (converters.Segment) give every non-empty text a URL; an empty slug or
    name stored by hand has none, and one such row must not take a list or an article down.
    """
    try:
        return reverse(viewname, args=args)
    except NoReverseMatch:
        logger.warning("No URL for %s%r", viewname, args)
        return ""


def article_link(article):
    """The article's own URL, or "" when its slug is empty."""
    try:
        return article.get_absolute_url()
    except NoReverseMatch:
        logger.warning("No URL for article %s", article.pk)
        return ""


@lru_cache(maxsize=16)
def _pattern(viewname):
    """The URL of ``viewname`` around a marker standing for its one text argument, split there."""
    before, _marker, after = reverse(viewname, args=[MARKER]).partition(quote(MARKER))
    return before, after


MARKER = "\ue000"  # a private-use character: no converter escapes it differently from the text around it
# What ``reverse`` leaves unquoted in a path (Django's RFC 3986 sub-delimiters and "/~:@").
QUOTE_SAFE = "!$&'()*+,;=/~:@"


def segment_links(viewname, values):
    """{value: URL} of a view taking one stored text (a slug, a name): ``reverse`` once, not per value.

    Each value goes through its converter (``converters.Segment``) and the same quoting ``reverse``
    applies, so the URLs are ``link``'s (a test compares them); a value without a URL gives "".
    For pages listing thousands of tags, where ``reverse`` per tag cost about 50 µs each.
    """
    before, after = _pattern(viewname)
    converter = Segment()
    links = {}
    for value in values:
        try:
            segment = converter.to_url(value)
        except ValueError:
            links[value] = ""
            continue
        links[value] = before + quote(segment, safe=QUOTE_SAFE) + after
    return links
