"""Query conditions that matching and ranking share: the token index and the substring test."""

from django.db.models import IntegerField, Q
from django.db.models.expressions import RawSQL

TITLE, TEXT = "search_document__title", "search_document__text"
FIELDS = (TITLE, TEXT)
DOCUMENT_FIELDS = ("title", "text")  # the same, from the search document


def in_index(backend, terms, field="all"):
    """Articles whose ``field`` ("all" or "title") may have every term, by the index alone (see ``candidates``)."""
    sql, params = backend.candidates(terms, field)
    return Q(pk__in=RawSQL(sql, params, output_field=IntegerField()))  # noqa: S611 (values are bound parameters)


def contains(term, paths=FIELDS):
    """Articles whose canonical text (in any of ``paths``) holds the term's pattern."""
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}__contains": term.pattern})
    return condition
