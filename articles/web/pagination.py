"""Pagination that does not COUNT(*) the archive on every request."""

from django.core.cache import cache
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from articles.core.cache import cache_key, count_seconds

from .params import parse_page_number

PER_PAGE = 20


class CachedCountPaginator(Paginator):
    """A Paginator whose count is kept in the cache for a short while.

    The count only decides how many page links to show, so a few seconds of
    staleness is harmless, while counting 100,000 rows on every request is not.
    """

    def __init__(self, object_list, per_page=PER_PAGE, *, cache_key, timeout=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cache_key = cache_key
        self.timeout = count_seconds() if timeout is None else timeout

    @cached_property
    def count(self):
        return cache.get_or_set(cache_key("count", self.cache_key), self.object_list.count, self.timeout)


class KnownCountPaginator(Paginator):
    """A Paginator told its count, which a query that counted more already gave (see ``facets``)."""

    def __init__(self, object_list, per_page=PER_PAGE, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


def get_page_or_404(paginator, value):
    """The requested page, or a friendly 404 for page=abc, page=0 or a page past the end."""
    number = parse_page_number(value)
    if number is None:
        raise Http404(_("There is no page “%(page)s”.") % {"page": value})
    try:
        return paginator.page(number)
    except InvalidPage as exc:
        raise Http404(_("There is no page %(page)s.") % {"page": number}) from exc
