"""The date archive: years, the months of a year, the articles of a month."""

from datetime import date

from django.core.cache import cache
from django.db.models import CharField, Count, Value
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.core import periods
from articles.core.cache import cache_key, index_seconds
from articles.facets import year_counts
from articles.models import Article
from articles.web.caching import cache_public_page
from articles.web.params import PAGE

from .listing import render_article_list


def _counts_between(bounds):
    """{label: number of public articles in [start, end)} for each (label, start, end), in one query.

    A UNION ALL of one COUNT per period: each is a range scan of the (status, published_at)
    index, twice as fast on SQLite as extracting the month of every row.
    """
    parts = [
        Article.objects.published(start, end)
        .annotate(label=Value(label, output_field=CharField()))
        .values("label")
        .annotate(count=Count("id"))
        .values_list("label", "count")
        .order_by()
        for label, start, end in bounds
    ]
    if not parts:
        return {}
    counts = dict(parts[0].union(*parts[1:], all=True)) if len(parts) > 1 else dict(parts[0])
    return {label: counts.get(label, 0) for label, _, _ in bounds}


def archive_years():
    """[(year, count)] of the public articles, newest first, in the site time zone (cached for minutes).

    Imported archives have outliers (a post dated 1899), so the years are read from the
    data rather than enumerated between the first and last date.
    """
    return cache.get_or_set(cache_key("years"), lambda: year_counts(Article.objects.published()), index_seconds())


def month_counts(year):
    """[(first day of month, count)] for one year, oldest first (one indexed query, cached)."""

    def build():
        counts = _counts_between([(f"m{month}", *periods.month(year, month)) for month in range(1, 13)])
        return [(date(year, month, 1), counts[f"m{month}"]) for month in range(1, 13) if counts[f"m{month}"]]

    return cache.get_or_set(cache_key("months", year), build, index_seconds())


def _checked(year, month=1):
    if not (1 <= year <= 9999 and 1 <= month <= 12):
        raise Http404("No such date.")


@require_safe
@cache_public_page()
def archive_index(request):
    return render(request, "articles/archive_index.html", {"years": archive_years()})


@require_safe
@cache_public_page()
def archive_year(request, year):
    _checked(year)
    months = month_counts(year)
    if not months:
        raise Http404("No articles in this year.")
    return render(
        request,
        "articles/archive_year.html",
        {"year": year, "months": months, "total": sum(count for _, count in months)},
    )


@require_safe
@cache_public_page(PAGE)
def archive_month(request, year, month):
    _checked(year, month)
    return render_article_list(
        request,
        Article.objects.published(*periods.month(year, month)),
        cache_key=f"month:{year}-{month}",
        context={"month": date(year, month, 1)},
        allow_empty=False,  # like a year without articles: no page for every month since year 1
    )
