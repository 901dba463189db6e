"""Running a search: candidates from the token index, confirmed by substring, then ranked.

The result is an ordinary queryset of the caller's queryset (so its filters, such as
``published()``, a tag or a date range, always apply), which Django's Paginator counts
and slices in SQL.
"""

from dataclasses import dataclass, field

from django.db import connections
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Replace

from . import highlight as highlighting
from .backends import get_backend
from .query import ParsedQuery, parse_query

ORDERS = ("relevance", "newest", "oldest")
# Counting every occurrence means reading every matching text; above this many candidates
# (articles with all the query's tokens) relevance ranks title matches first and then the
# newest, so common words stay fast.
RANK_LIMIT = 3000
FIELDS = ("search_document__title", "search_document__text")


@dataclass
class SearchResults:
    query: str
    results: object  # a queryset of Article in rank order: count() and slicing work in SQL
    terms: list = field(default_factory=list)  # the Terms searched for (each has .text and .segments)
    message: str = ""  # a user-facing note for empty or odd queries
    order: str = "relevance"
    excluded: list = field(default_factory=list)

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


def _contains(term):
    return Q(**{f"{FIELDS[0]}__contains": term.pattern}) | Q(**{f"{FIELDS[1]}__contains": term.pattern})


def _occurrences(path, pattern):
    removed = Length(F(path)) - Length(Replace(F(path), Value(pattern), Value("")))
    return removed / Value(len(pattern))


def _in_index(backend, tokens, field="all"):
    sql, params = backend.candidates(tokens, field)
    return Q(pk__in=RawSQL(sql, params, output_field=IntegerField()))  # noqa: S611 (values are bound parameters)


def _in_title(backend, term):
    in_title = _in_index(backend, term.tokens, "title")
    return in_title if term.exact else in_title & Q(**{f"{FIELDS[0]}__contains": term.pattern})


def _probe_index(queryset, backend, tokens):
    """Filter by many candidates, checked row by row against a hashed set (see ``PROBE_TEMPLATE``)."""
    sql, params = backend.candidates(tokens)
    candidates = RawSQL(sql, params, output_field=IntegerField())  # noqa: S611 (values are bound parameters)
    probe = Func(F("pk"), candidates, arg_joiner=" IN ", template=backend.PROBE_TEMPLATE, output_field=BooleanField())
    return queryset.filter(probe)


def _few_candidates(connection, backend, tokens, limit):
    """The ids of the articles having every token, or None when there are more than ``limit``."""
    sql, params = backend.candidates(tokens)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT {int(limit) + 1}", params)
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= limit else None


def _ranked(queryset, terms, backend, count_matches):
    """Title matches first, then more matches (when counted), then newer: the same on every database."""
    title_hits = sum(
        (Case(When(_in_title(backend, term), then=Value(1)), default=Value(0)) for term in terms), start=Value(0)
    )
    queryset = queryset.annotate(search_title_hits=title_hits)
    if not count_matches:
        return queryset.order_by("-search_title_hits", "-published_at", "-pk")
    hits = sum((_occurrences(path, term.pattern) for term in terms for path in FIELDS), start=Value(0))
    return queryset.annotate(search_hits=hits).order_by("-search_title_hits", "-search_hits", "-published_at", "-pk")


def search(queryset, query, order="relevance"):
    """Articles of ``queryset`` that match ``query``; never raises on odd input."""
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    order = order if order in ORDERS else "relevance"
    results = SearchResults(parsed.text, queryset.none(), list(parsed.terms), parsed.message, order, parsed.excluded)
    if not parsed.terms:
        return results
    connection = connections[queryset.db]
    backend = get_backend(connection)
    tokens = sorted(set().union(*(term.tokens for term in parsed.terms)))
    # A short list of ids lets the database start from the matches rather than scan the articles.
    few = _few_candidates(connection, backend, tokens, RANK_LIMIT)
    matches = queryset.filter(pk__in=few) if few is not None else _probe_index(queryset, backend, tokens)
    for term in parsed.terms:
        if not term.exact:
            matches = matches.filter(_contains(term))
    for term in parsed.excluded:
        matches = matches.exclude(_in_index(backend, term.tokens) if term.exact else _contains(term))
    if order == "relevance":
        matches = _ranked(matches, parsed.terms, backend, count_matches=few is not None)
    elif order == "newest":
        matches = matches.order_by("-published_at", "-pk")
    else:
        matches = matches.order_by("published_at", "pk")
    results.results = matches
    return results
