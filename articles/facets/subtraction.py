"""Search facets kept per content version, and counted as the whole archive minus the non-matches.

A search matching most of the archive (``的``: 97,528 of 100,000) cost seconds to count by
matches. Its facets are the whole archive's counts (every author and tag, kept in the cache)
minus the counts of the few published articles it does not match: exact, since both sides
are counted by the same query under the same narrowings, and the top authors and tags are
chosen from the subtracted complete counts. Both the whole archive's counts and each search's
facets are kept under a key holding the content version, so a publish, hide, edit or deletion,
and a tag or category renamed, merged or deleted, is counted at once (see ``version``).
"""

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.utils import timezone

from articles.core.cache import cache_key, index_seconds

from ..models import Article
from .counting import TOP, Facets, facet_rows, facets_from_rows
from .version import content_version


def search_facets(found, narrowing, scope=None):
    """The ``Facets`` of a search's matches (``found``, a ``SearchResults``) under ``narrowing``.

    Kept in the cache per normalized query (its terms, in any order), narrowing and content
    version. ``scope``: None when the search was of every published article; else what else
    limited it (such as the API's dates), for the key, and then the matches are counted directly.
    """
    try:
        found.matches.query.sql_with_params()
    except EmptyResultSet:  # no candidates at all (``pk__in=[]``): nothing to count
        return Facets(narrowing=narrowing)
    version = content_version(found.matches.db)
    terms = [sorted({(term.segments, term.phrase) for term in terms}) for terms in (found.terms, found.excluded)]
    zone = timezone.get_current_timezone_name()
    # "facets-2": Facets gained its months; a cached one from before has none (a deploy must not read it).
    key = cache_key("facets-2", found.matches.db, version, zone, terms, narrowing, scope)
    return cache.get_or_set(key, lambda: count_search_facets(found, narrowing, scope, version), index_seconds())


def count_search_facets(found, narrowing, scope=None, version=None):
    """``search_facets`` without its cache: most of the archive's as the whole minus the rest."""
    matches = found.matches
    if found.many and scope is None:
        whole = whole_archive_rows(matches.db, narrowing, version or content_version(matches.db))
        half = _size(whole) // 2
        rest = Article.objects.using(matches.db).published().exclude(pk__in=matches.order_by().values("pk"))
        rows = facet_rows(rest, narrowing, many=False, top=None, most=half)
        if _size(rows) <= half:  # most articles match: the rest's rows are complete
            return facets_from_rows(subtract(whole, rows, narrowing), narrowing)
    return facets_from_rows(facet_rows(matches, narrowing, found.many), narrowing)


def whole_archive_rows(using, narrowing, version):
    """``facet_rows`` of every published article, every author and tag, kept per content version."""
    key = cache_key("facets-archive-2", using, version, timezone.get_current_timezone_name(), narrowing)
    published = Article.objects.using(using).published()
    return cache.get_or_set(key, lambda: facet_rows(published, narrowing, many=True, top=None), index_seconds())


def _size(rows):
    return next((count for dimension, *_, count in rows if dimension == "size"), 0)


def subtract(whole, rest, narrowing, top=TOP):
    """``whole`` rows minus ``rest`` rows (both complete), keeping the ``top`` authors and tags as SQL orders them.

    Authors are told apart by name, the rest by id; those left with nothing are dropped.
    """

    def identity(row):
        return (row[0], row[2] if row[0] == "author" else row[1])

    taken = {identity(row): row[4] for row in rest}
    left = [(*row[:4], row[4] - taken.get(identity(row), 0)) for row in whole]
    left = [row for row in left if row[4] > 0 or row[0] == "total"]
    kept = [row for row in left if row[0] not in ("author", "tag")]
    # As _facet_sql orders them: the one in force (author by name, tag by slug) first, then the most
    # frequent, then by name or id.
    for dimension, current, value, tiebreak in (("author", narrowing.author, 2, 2), ("tag", narrowing.tag, 3, 1)):
        rows = [row for row in left if row[0] == dimension]
        rows.sort(key=lambda row: (not current or row[value] != current, -row[4], row[tiebreak]))
        kept += rows[:top]
    return kept
