"""Facet counts: how many of a search's matches each year, category, author and tag narrows to.

All of them, the months (for the search's timeline) and the narrowed total come from one query
whatever the number of matches: the matches are read once into a materialized CTE (their ids,
years, months and a flag per narrowing in force), which the total and five grouped counts then
read. Each facet counts the matches narrowed by every narrowing but its own, so following a
facet replaces that narrowing (switching years, say) and its count is the count the search then
gives. ``facet_rows`` gives the rows, complete (every author and tag) or capped, for
``subtraction`` to count the whole archive minus the rest.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, Count, ExpressionWrapper, F
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from ..counts.months import LocalMonth
from ..models import Article, Category, TaggedArticle
from ..models.taxonomy import NO_URL_SQL
from .narrowing import DIMENSIONS, LocalYear, Narrowing

TOP = 10  # authors and tags listed, the most frequent first
# Typed NULLs: PostgreSQL resolves the types of a UNION's columns pair by pair.
NO_KEY, NO_TEXT = "CAST(NULL AS BIGINT)", "CAST(NULL AS TEXT)"


@dataclass(frozen=True)
class Item:
    name: str  # what readers see
    param: dict  # the query parameters that narrow to it
    count: int
    current: bool = False  # the narrowing in force

    def as_json(self):
        return {"name": self.name, "param": self.param, "count": self.count}


# Each dimension's heading, and the link that takes its narrowing away.
LABELS = {
    "year": (_("Year"), _("Any year")),
    "category": (_("Category"), _("Any category")),
    "author": (_("Author"), _("Any author")),
    "tag": (_("Tag"), _("Any tag")),
}


class Group(NamedTuple):
    name: str  # the dimension, which is also its query parameter
    label: str
    any_label: str
    items: list
    narrowed: bool  # a narrowing of this dimension is in force


@dataclass
class Facets:
    total: int = 0  # the matches, narrowed by every narrowing in force
    year: list = field(default_factory=list)
    category: list = field(default_factory=list)
    author: list = field(default_factory=list)
    tag: list = field(default_factory=list)
    narrowing: Narrowing = field(default_factory=Narrowing)
    months: list = field(default_factory=list)  # [(month number, count)], counted as the years are

    def groups(self):
        """The ``Group`` of each dimension that has items or a narrowing in force, in ``DIMENSIONS`` order."""
        groups = []
        for name in DIMENSIONS:
            items, narrowed = getattr(self, name), bool(getattr(self.narrowing, name))
            if items or narrowed:
                groups.append(Group(name, *LABELS[name], items, narrowed))
        return groups

    def as_json(self):
        return {name: [item.as_json() for item in getattr(self, name)] for name in DIMENSIONS}


def _where(flags, *extra):
    conditions = [*extra, *(f"m.{flag}" for flag in flags)]
    return f"WHERE {' AND '.join(conditions)}" if conditions else ""


def _facet_sql(connection, cte, flags, narrowing, many, top, most):
    """The query and its params after the CTE's: ``flags`` maps each dimension narrowed to its column in ``m``.

    ``top``: authors and tags listed (None: all of them). ``most``: with more rows than that in
    ``m``, only the total and size are counted (both databases test the constant condition once).

    The author and tag in force (if any) are always among the top ones listed. ``many`` matches
    have their authors counted from the author index (``+`` keeps the database from looking
    rows up by id), whose cost does not grow with the matches, rather than from each match's
    row; a few matches are looked up by id, where the whole index would cost too much
    (``bench/search_bench.py`` times both, with a common word's facets among its queries). Tags and
    categories are counted by id, the matches first (SQLite keeps a CROSS JOIN's order; else it
    read every link for a few matches), and only the listed ones joined for their names.
    """

    fits = () if most is None else (f"(SELECT COUNT(*) FROM m) <= {int(most)}",)  # noqa: S608 (a number)

    def where(dimension, *extra):
        return _where([flag for name, flag in flags.items() if name != dimension], *fits, *extra)

    def table(model):
        return connection.ops.quote_name(model._meta.db_table)

    articles, categories, category_links = table(Article), table(Category), table(Article.categories.through)
    tags, tag_links = table(Tag), table(TaggedArticle)
    if many:
        authors = f"{articles} a WHERE +a.id IN (SELECT m.facet_id FROM m {where('author')}) AND"  # noqa: S608
    else:  # each match's row by its id: as a join, SQLite may scan every article for a Bloom filter
        author = f"(SELECT b.author FROM {articles} b WHERE b.id = m.facet_id)"  # noqa: S608 (no values)
        authors = f"(SELECT {author} AS author FROM m {where('author')}) AS a WHERE"  # noqa: S608
    limit = "" if top is None else f"LIMIT {int(top)}"
    linked = f"l.tag_id NOT IN (SELECT e.id FROM {tags} e WHERE e.slug = {NO_URL_SQL})"  # noqa: S608 (no page)
    sql = f"""
        WITH m AS MATERIALIZED ({cte})
        SELECT 'total', {NO_KEY}, {NO_TEXT}, {NO_TEXT}, COUNT(*) FROM m {_where(flags.values())}
        UNION ALL
        SELECT 'size', {NO_KEY}, {NO_TEXT}, {NO_TEXT}, COUNT(*) FROM m
        UNION ALL
        SELECT 'year', m.facet_year, {NO_TEXT}, {NO_TEXT}, COUNT(*) FROM m {where("year")} GROUP BY m.facet_year
        UNION ALL
        SELECT 'month', m.facet_month, {NO_TEXT}, {NO_TEXT}, COUNT(*) FROM m {where("year")} GROUP BY m.facet_month
        UNION ALL
        SELECT * FROM (
            SELECT 'author', {NO_KEY}, a.author, {NO_TEXT}, COUNT(*) AS n FROM {authors} a.author <> ''
            GROUP BY a.author ORDER BY a.author = %s DESC, n DESC, a.author {limit}
        ) AS authors
        UNION ALL
        SELECT 'category', c.id, c.name, c.slug, counted.n FROM (
            SELECT l.category_id AS id, COUNT(*) AS n FROM m CROSS JOIN {category_links} l
            {where("category", "l.article_id = m.facet_id")} GROUP BY l.category_id
        ) AS counted JOIN {categories} c ON c.id = counted.id WHERE c.slug <> {NO_URL_SQL}
        UNION ALL
        SELECT 'tag', t.id, t.name, t.slug, top.n FROM (
            SELECT l.tag_id AS id, COUNT(*) AS n FROM m CROSS JOIN {tag_links} l
            {where("tag", "l.content_object_id = m.facet_id", linked)}
            GROUP BY l.tag_id
            ORDER BY l.tag_id IN (SELECT f.id FROM {tags} f WHERE f.slug = %s) DESC, n DESC, l.tag_id {limit}
        ) AS top JOIN {tags} t ON t.id = top.id
    """  # noqa: S608 (table names from the models; every value is a bound parameter)
    return sql, [narrowing.author, narrowing.tag]


def _matches_sql(matches, narrowing, most=None):
    """SQL and params of the matches' id, year and one flag per narrowing in force (at most ``most`` + 1)."""
    flags = {
        f"facet_in_{name}": ExpressionWrapper(condition, output_field=BooleanField())
        for name, condition in narrowing.conditions().items()
    }
    rows = (
        matches.order_by()
        .annotate(facet_id=F("pk"), facet_year=LocalYear(), facet_month=LocalMonth(), **flags)
        .values("facet_id", "facet_year", "facet_month", *flags)
    )
    if most is not None:
        rows = rows[: most + 1]
    sql, params = rows.query.get_compiler(using=matches.db).as_sql()
    return sql, params, {name.removeprefix("facet_in_"): name for name in flags}


def facet_rows(matches, narrowing, many=True, top=TOP, most=None):
    """[(dimension, key, name, slug, count)] of ``matches`` under ``narrowing``: one query.

    ``many``: there may be more than a few thousand matches (see ``_facet_sql``); ``top`` and
    ``most`` as there. Besides the dimensions' rows, "total" counts the narrowed matches and
    "size" all of them (up to ``most`` + 1).
    """
    try:
        cte, params, flags = _matches_sql(matches, narrowing, most)
    except EmptyResultSet:  # no candidates at all (``pk__in=[]``): nothing to count
        return []
    connection = connections[matches.db]
    sql, more_params = _facet_sql(connection, cte, flags, narrowing, many, top, most)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *more_params])
        return cursor.fetchall()


def count_facets(matches, narrowing, many=True):
    """The ``Facets`` of ``matches`` (a queryset of articles) under ``narrowing``: one query."""
    return facets_from_rows(facet_rows(matches, narrowing, many), narrowing)


def facets_from_rows(rows, narrowing):
    """``Facets`` from ``facet_rows`` (authors and tags already the top ones)."""
    facets = Facets(narrowing=narrowing)
    for dimension, key, name, slug, count in rows:
        if dimension == "total":
            facets.total = count
        elif dimension == "year":
            facets.year.append(year_item(int(key), count, narrowing))
        elif dimension == "month":
            facets.months.append((int(key), count))
        elif dimension != "size":
            value = name if dimension == "author" else slug
            current = getattr(narrowing, dimension) == value
            getattr(facets, dimension).append(Item(name, {dimension: value}, count, current))
    facets.year.sort(key=lambda item: -int(item.name))
    facets.months.sort()
    facets.category.sort(key=lambda item: (-item.count, item.name))
    facets.author.sort(key=lambda item: (-item.count, item.name))
    facets.tag.sort(key=lambda item: (-item.count, item.name))
    return facets


def year_item(year, count, narrowing):
    return Item(str(year), {"year": str(year)}, count, narrowing.year == year)


def year_counts(queryset):
    """[(year, count)] of ``queryset``'s articles in the site time zone, newest first: one grouped query."""
    rows = queryset.order_by().annotate(facet_year=LocalYear()).values_list("facet_year").annotate(count=Count("pk"))
    return sorted(((int(year), count) for year, count in rows), reverse=True)


def year_facet(counts, narrowing):
    """The year items of a list from its ``year_counts`` (counted without its year narrowing)."""
    return [year_item(year, count, narrowing) for year, count in counts]
