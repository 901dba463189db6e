"""Facets: narrowing a search or a list by year, category, author or tag, and counting each way.

- ``Narrowing.from_query(request.GET)`` reads the ``year``, ``category``, ``author`` and ``tag``
  parameters (``BadNarrowing`` for a year that cannot be one); ``narrowing.condition()`` narrows
  a queryset (``search(..., narrow=...)`` takes it too)
- ``search_facets(found, narrowing)`` counts a search's matches by each, kept in the cache per
  query and content version; a search matching most of the archive as the whole minus the rest
- ``year_counts(queryset)`` counts a list's articles by year, ``year_facet(counts, narrowing)`` lists them
- ``version.content_version(using)`` is the stamp search facets are cached under; writers that bypass
  the ORM's signals call ``version.bump()``, and bulk writers open ``version.bumped_once()``
"""

from .counting import Facets, Item, count_facets, year_counts, year_facet
from .narrowing import DIMENSIONS, BadNarrowing, Narrowing
from .subtraction import search_facets

__all__ = [
    "DIMENSIONS",
    "BadNarrowing",
    "Facets",
    "Item",
    "Narrowing",
    "count_facets",
    "search_facets",
    "year_counts",
    "year_facet",
]
