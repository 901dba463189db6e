"""Narrowing a search or a list to a year, category, author or tag: the parameters and their conditions.

Each way to narrow is one query parameter (``year``, ``category`` and ``tag`` by slug, ``author``
by exact name) and one condition, written once here and used both to narrow the results and
to count facets, so a facet's count is always the count its link gives.
"""

from dataclasses import dataclass, fields

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Cast, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import periods
from ..models import Article, TaggedArticle
from ..params import AUTHOR, CATEGORY, TAG, YEAR, parse_year

# The order facets are listed in, and the parameters that narrow to each.
DIMENSIONS = ("year", "category", "author", "tag")
PARAMS = {"year": YEAR, "category": CATEGORY, "author": AUTHOR, "tag": TAG}
# Years bucketed by comparing the publication time with their first instant (cheap on any
# database); older ones are extracted row by row, which on SQLite is a Python call per row.
RECENT_YEARS = 40


class BadNarrowing(ValueError):
    """A narrowing parameter with a value that names nothing; the message names the parameter."""


@dataclass(frozen=True)
class Narrowing:
    """The narrowings of one request; an empty string (or None for the year) narrows nothing."""

    year: int | None = None
    category: str = ""
    author: str = ""
    tag: str = ""

    @classmethod
    def from_query(cls, query, dimensions=DIMENSIONS):
        """The narrowings ``query`` (a QueryDict) asks for among ``dimensions``; BadNarrowing for a bad year."""
        values = {name: query.get(name, "") for name in dimensions if name != "year"}
        if "year" in dimensions and query.get("year", "").strip():
            values["year"] = parse_year(query["year"])
            if values["year"] is None:
                raise BadNarrowing(
                    _("“year” must be a year from 1 to 9999, not “%(value)s”.") % {"value": query["year"]}
                )
        return cls(**values)

    def __bool__(self):
        return any(getattr(self, item.name) for item in fields(self))

    def params(self):
        """{parameter: value} of the narrowings in force, as links write them."""
        return {name: str(value) for name in DIMENSIONS if (value := getattr(self, name))}

    def conditions(self):
        """{dimension: condition on articles} for each narrowing in force, in ``DIMENSIONS`` order.

        Subqueries rather than joins, so a condition is a plain filter or a per-article flag alike.
        """
        conditions = {}
        if self.year:
            conditions["year"] = Q(**periods.lookups("published_at", *periods.year(self.year)))
        if self.category:
            links = Article.categories.through.objects.filter(category__slug=self.category)
            conditions["category"] = Q(pk__in=links.values("article_id"))
        if self.author:
            conditions["author"] = Q(author=self.author)
        if self.tag:
            conditions["tag"] = Q(pk__in=TaggedArticle.objects.filter(tag__slug=self.tag).values("content_object_id"))
        return conditions

    def condition(self, without=None):
        """Every narrowing in force but ``without`` (a dimension), as one condition (``Q()`` for none)."""
        combined = Q()
        for dimension, condition in self.conditions().items():
            if dimension != without:
                combined &= condition
        return combined


def year_of(field="published_at"):
    """The calendar year of ``field`` in the site time zone, as ``Narrowing.year`` bounds it.

    Recent years are found by comparing with each year's first instant, newest first, so most
    rows take a comparison or two; older (and future) ones are extracted.
    """
    extracted = Cast(ExtractYear(field), IntegerField())
    this_year = timezone.localdate().year
    future = periods.year(this_year)[1]
    whens = [When(**{f"{field}__gte": future}, then=extracted)] if future else []
    for year in range(this_year, max(0, this_year - RECENT_YEARS), -1):
        start = periods.year(year)[0]
        if start is None:
            break
        whens.append(When(**{f"{field}__gte": start}, then=Value(year)))
    return Case(*whens, default=extracted, output_field=IntegerField())
