"""Running a search: candidates from the token index, confirmed by substring, then ranked.

The result is an ordinary queryset of the caller's queryset (so its filters, such as
``published()``, a tag or a date range, always apply), which Django's Paginator counts
and slices in SQL.
"""

from dataclasses import dataclass, field

from django.db import connections
from django.db.models import BooleanField, F, Func, IntegerField
from django.db.models.expressions import RawSQL

from articles.models import SearchDocument

from . import highlight as highlighting
from .backends import get_backend
from .conditions import DOCUMENT_FIELDS, contains, in_index
from .orders import DEFAULT_ORDER, chosen_order
from .query import ParsedQuery, parse_query
from .ranking import order_by_relevance, should_count

# Up to this many candidates (articles with all the query's tokens) are fetched as a list of ids,
# which lets the database start from the matches rather than scan the articles; above it they
# are probed as a set while the articles are read.
LIST_LIMIT = 3000


@dataclass
class SearchResults:
    query: str
    results: object  # a queryset of Article in rank order: count() and slicing work in SQL
    terms: list = field(default_factory=list)  # the Terms searched for (each has .text and .segments)
    message: str = ""  # a user-facing note for empty or odd queries
    order: str = DEFAULT_ORDER
    excluded: list = field(default_factory=list)
    matches: object = None  # every match before ``narrow`` and ordering: what facets count
    many: bool = False  # over LIST_LIMIT candidates, so ``matches`` probes the index as a set

    def __len__(self):
        return self.count()

    def count(self):
        return self.results.count()

    def snippet(self, article, length=160):
        """A short, HTML-escaped extract of the body around the first match, with <mark>s."""
        return highlighting.snippet(article.body_text or article.excerpt, self.terms, length)

    def highlight(self, text):
        """Any text (a title, say), escaped, with <mark> around the matches."""
        return highlighting.highlight(text, self.terms)


def _probe_index(queryset, backend, terms):
    """Filter by many candidates, checked row by row against a hashed set (see ``PROBE_TEMPLATE``)."""
    sql, params = backend.candidates(terms)
    candidates = RawSQL(sql, params, output_field=IntegerField())  # noqa: S611 (values are bound parameters)
    probe = Func(F("pk"), candidates, arg_joiner=" IN ", template=backend.PROBE_TEMPLATE, output_field=BooleanField())
    return queryset.filter(probe)


def _few_candidates(connection, backend, terms, limit):
    """The ids of the candidates for every term, or None when there are more than ``limit``."""
    sql, params = backend.candidates(terms)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT {int(limit) + 1}", params)
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= limit else None


def _confirmed(queryset, matches, candidates, parsed, backend):
    """The ids of ``matches`` whose text holds each term that needs a substring check (and no excluded one).

    The checks read the candidates' whole text (200 ms for 2,775 of the real corpus's mix, most
    of them long), so they run once, not again for the count and for the page, and on the
    candidates' documents alone: joined to the articles, PostgreSQL checked all 28,800 (1 s), or
    compared each row with the whole list of candidates (1.5 s).
    """
    documents = SearchDocument.objects.using(queryset.db).filter(article_id__in=candidates)
    for term in parsed.terms:
        if not backend.exact(term):
            documents = documents.filter(contains(term, DOCUMENT_FIELDS))
    for term in parsed.excluded:
        if not backend.exact(term):
            documents = documents.exclude(contains(term, DOCUMENT_FIELDS))
    confirmed = list(documents.values_list("article_id", flat=True))
    return list(matches.filter(pk__in=confirmed).order_by().values_list("pk", flat=True))


def search(queryset, query, order=DEFAULT_ORDER, narrow=None):
    """Articles of ``queryset`` that match ``query``; never raises on odd input.

    ``narrow`` (a condition, such as ``articles.facets.Narrowing.condition()``) narrows the
    results further; ``results.matches`` keeps every match of ``queryset``, unordered, so facets
    can count the other ways to narrow without matching again.
    """
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    order = chosen_order(order)
    results = SearchResults(parsed.text, queryset.none(), list(parsed.terms), parsed.message, order, parsed.excluded)
    results.matches = results.results
    if not parsed.terms:
        return results
    connection = connections[queryset.db]
    backend = get_backend(connection)
    # A short list of ids lets the database start from the matches rather than scan the articles.
    few = _few_candidates(connection, backend, parsed.terms, LIST_LIMIT)
    if few is None:
        results.many = True
        matches = _probe_index(queryset, backend, parsed.terms)
        for term in parsed.terms:
            if not backend.exact(term):
                matches = matches.filter(contains(term))
    else:
        matches = queryset.filter(pk__in=few)
    for term in parsed.excluded:
        if backend.exact(term) or few is None:
            matches = matches.exclude(in_index(backend, [term]) if backend.exact(term) else contains(term))
    if few is not None and not all(backend.exact(term) for term in (*parsed.terms, *parsed.excluded)):
        few = _confirmed(queryset, matches, few, parsed, backend)
        matches = queryset.filter(pk__in=few)
    results.matches = matches
    if narrow:
        matches = matches.filter(narrow)
        if few is not None:  # relevance's budget is for the articles it ranks (one query of at most LIST_LIMIT ids)
            few = list(matches.order_by().values_list("pk", flat=True))
            matches = queryset.filter(pk__in=few)
    if order == "relevance":
        counted = few if should_count(parsed.terms, None if few is None else len(few)) else None
        matches = order_by_relevance(matches, parsed.terms, backend, counted)
    elif order == "newest":
        matches = matches.order_by("-published_at", "-pk")
    else:
        matches = matches.order_by("published_at", "pk")
    results.results = matches
    return results
