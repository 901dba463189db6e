"""Deep pages of a newest-first list, read from its per-year counts instead of skipping rows.

``OFFSET 980000`` walks 980,000 index entries (about 130 ms on SQLite at a million articles), and
a page number past the end needs the list's size. A list that knows how many articles it has in
each year (``year_counts``: the same numbers its year facet shows) has both: its size is their sum,
and a page's first row lies in a known year. Its rows are read from there, newest first from the
end of that year or, when the page is nearer the year's older end, oldest first from the start of
the year that holds its last row; so no query skips more rows than one year holds, and the first
and last pages skip none.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from articles.core import periods
from articles.counts import reading
from articles.counts.keeping import ARCHIVE
from articles.counts.months import years
from articles.models import Article

from .queries import LIST_ORDER

OLDEST_FIRST = ("published_at", "-id")  # LIST_ORDER reversed


class YearSeekPaginator(Paginator):
    """A Paginator over ``narrow(Article.objects.published(start, end))``, newest first, whose years
    (local, in the site time zone) hold ``year_counts`` articles: [(year, count)], newest first.

    ``narrow`` takes a queryset of the published articles in a span and returns the list's part of
    it (a tag's, an author's); ``fields`` are what each item holds (``values_list``, one field flat).
    Counts a little out of date (they are cached) only shift a page by as many rows.
    """

    def __init__(self, narrow, year_counts, per_page, *, fields=("id",), **kwargs):
        super().__init__([], per_page, **kwargs)
        self.narrow, self.years, self.fields = narrow, [(y, n) for y, n in year_counts if n > 0], fields

    @cached_property
    def count(self):
        return sum(count for _year, count in self.years)

    def page(self, number):
        number = self.validate_number(number)  # past the end: EmptyPage, before any query
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        return self._get_page(self.rows(bottom, top) if top > bottom else [], number, self)

    def rows(self, bottom, top):
        """The items at positions [bottom, top) of the list, newest first."""
        first_year, newer = self._year_at(bottom)
        last_year, newer_than_last = self._year_at(top - 1)
        skipped_forward = bottom - newer
        skipped_backward = newer_than_last + dict(self.years)[last_year] - top
        if skipped_forward <= skipped_backward:
            start, end = None, periods.year(first_year)[1]
            order, skip = LIST_ORDER, skipped_forward
        else:
            start, end = periods.year(last_year)[0], None
            order, skip = OLDEST_FIRST, skipped_backward
        rows = self.narrow(Article.objects.published(start, end)).order_by(*order)
        flat = len(self.fields) == 1
        found = list(rows.values_list(*self.fields, flat=flat)[skip : skip + top - bottom])
        return found if order == LIST_ORDER else found[::-1]

    def _year_at(self, position):
        """(year, articles in newer years) of the year holding the ``position``-th article."""
        newer = 0
        for year, count in self.years:
            if position < newer + count:
                return year, newer
            newer += count
        raise IndexError(position)  # validate_number keeps positions below the count


def published_years():
    """The whole archive's public articles per year, newest first, from the kept counts."""
    return years(reading.months(ARCHIVE))


def list_size(kind, key):
    """How many public articles one tag, category or author (``counts.keeping``'s kinds) has."""
    return sum(count for _month, count in reading.months(kind, key))
