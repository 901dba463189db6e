"""The query parameters each public view reads, declared once, with their canonical values.

``@query_params(PAGE, ...)`` (or ``@cache_public_page(PAGE, ...)``) rebuilds ``request.GET`` from
the declared parameters only, in their declared order, each written as the site's own links write
it (``page=1`` left out, ``page=02`` as ``page=2``). The view, its templates and the links they
build never see anything else, so a junk parameter cannot reach a pagination link, and every
spelling of a page shares one entry in the page cache. A value a view refuses (``page=abc``) is
passed on as it came, for the view to answer 400 or 404.
"""

from datetime import date
from functools import wraps
from typing import NamedTuple

from django.http import QueryDict

from articles.core.periods import parse_year
from articles.search.orders import DEFAULT_ORDER, chosen_order


class Param(NamedTuple):
    name: str
    canonical: callable  # the value as links write it; "" leaves the parameter out


def parse_page_number(value):
    """The page number from a query string value; None when it is not a positive integer."""
    if value in (None, ""):
        return 1
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 1 else None


def _as_sent(value):
    return value


def _stripped(value):
    return value.strip()


def _page(value):
    number = parse_page_number(value)
    if number is None:
        return value  # the view answers that with its error
    return "" if number == 1 else str(number)


def _date(value):
    try:
        return date.fromisoformat(value.strip()).isoformat() if value.strip() else ""
    except ValueError:
        return value


def _year(value):
    number = parse_year(value)
    if number is None:
        return value.strip() and value  # the view answers that with its error
    return str(number)


def _order(value):
    """The search engine's orders; its default and anything unknown are left out."""
    order = chosen_order(value)
    return "" if order == DEFAULT_ORDER else order


PAGE = Param("page", _page)
SITEMAP_PAGE = Param("p", _page)
QUERY = Param("q", _stripped)
ORDER = Param("order", _order)
TAG = Param("tag", _as_sent)
CATEGORY = Param("category", _as_sent)
AUTHOR = Param("author", _as_sent)  # matched exactly: stored names may keep their spaces
YEAR = Param("year", _year)
FROM = Param("from", _date)
TO = Param("to", _date)


def canonical_query(query, params):
    """A QueryDict holding only ``params``, each with its last value in canonical form."""
    canonical = QueryDict(mutable=True)
    for param in params:
        if param.name in query:
            value = param.canonical(query[param.name])
            if value:
                canonical[param.name] = value
    canonical._mutable = False
    return canonical


def query_params(*params):
    """Declares the parameters a view reads: it gets ``request.GET`` with those alone, canonical."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            request.GET = canonical_query(request.GET, params)
            request.query_params = params  # for the links the page builds (archive_tags)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
