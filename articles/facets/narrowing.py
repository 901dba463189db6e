"""Narrowing a search or a list to a year, category, author or tag: the parameters and their conditions.

Each way to narrow is one query parameter (``year``, ``category`` and ``tag`` by slug, ``author``
by exact name) and one condition, written once here and used both to narrow the results and
to count facets, so a facet's count is always the count its link gives.
"""

from dataclasses import dataclass, fields
from functools import lru_cache

from django.db.models import Expression, F, IntegerField, Q
from django.db.models.functions import Cast, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.core import periods

from ..models import Article, TaggedArticle

# The order facets are listed in; each is also the query parameter that narrows to it.
DIMENSIONS = ("year", "category", "author", "tag")
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
            values["year"] = periods.parse_year(query["year"])
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
        if self.author:  # by its index, never reading the articles' rows (see counting._facet_sql)
            conditions["author"] = Q(pk__in=Article.objects.filter(author=self.author).values("pk"))
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


class LocalYear(Expression):
    """The calendar year of a datetime column in the site time zone, as ``Narrowing.year`` bounds it.

    Recent years are found by comparing with each year's first instant, newest first, so most
    rows take a comparison or two; older (and future) ones are extracted. The CASE is written
    here rather than with ``When`` objects: resolving 40 of those took ~30 ms per query.
    """

    output_field = IntegerField()

    def __init__(self, field="published_at"):
        super().__init__()
        self.column, self.extracted = F(field), Cast(ExtractYear(field), IntegerField())

    def get_source_expressions(self):
        return [self.column, self.extracted]

    def set_source_expressions(self, exprs):
        self.column, self.extracted = exprs

    def as_sql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        extracted, extracted_params = compiler.compile(self.extracted)
        future, starts = year_starts(timezone.localdate().year, str(timezone.get_current_timezone()), RECENT_YEARS)
        whens, params = [], []
        if future:
            whens.append(f"WHEN {column} >= %s THEN {extracted}")
            params += [*column_params, connection.ops.adapt_datetimefield_value(future), *extracted_params]
        for year, start in starts:
            whens.append(f"WHEN {column} >= %s THEN {year}")
            params += [*column_params, connection.ops.adapt_datetimefield_value(start)]
        return f"CASE {' '.join(whens)} ELSE {extracted} END", [*params, *extracted_params]


@lru_cache(maxsize=8)
def year_starts(this_year, zone, recent):
    """(the first instant after this year, [(year, its first instant)] of the ``recent`` years, newest first)."""
    starts = []
    for year in range(this_year, max(0, this_year - recent), -1):
        start = periods.year(year)[0]
        if start is None:
            break
        starts.append((year, start))
    return periods.year(this_year)[1], starts
