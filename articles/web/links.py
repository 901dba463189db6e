"""Links built from stored text: a value that has no URL gives no link, never an error page."""

import logging

from django.urls import NoReverseMatch, reverse

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
