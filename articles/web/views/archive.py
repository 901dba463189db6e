"""The date archive: years, the months of a year, the articles of a month."""

from datetime import date
from functools import lru_cache

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.core import periods
from articles.counts import reading as counts
from articles.counts.keeping import ARCHIVE
from articles.counts.months import month_number, split, years
from articles.models import Article
from articles.web import charts
from articles.web.caching import cache_public_page
from articles.web.params import PAGE

from .listing import render_article_list


def archive_months():
    """[(month number, public articles)] of the whole archive, oldest first: one query of kept counts."""
    return counts.months(ARCHIVE)


def month_link(year, month):
    """A timeline bar's page: its month's (or, for a bar of a year, its year's)."""
    year_url, month_url = _archive_urls()
    return year_url.format(year=year) if month is None else month_url.format(year=year, month=month)


@lru_cache(maxsize=1)
def _archive_urls():
    """The year's and month's URLs as format strings: ``reverse`` once, not for each of 300 bars."""
    year = reverse("articles:archive-year", kwargs={"year": 1}).replace("/0001/", "/{year:04d}/")
    month = reverse("articles:archive-month", kwargs={"year": 1, "month": "02"})
    return year, month.replace("/0001/02/", "/{year:04d}/{month:02d}/")


def _checked(year, month=1):
    if not (1 <= year <= 9999 and 1 <= month <= 12):
        raise Http404("No such date.")


@require_safe
@cache_public_page()
def archive_index(request):
    months = archive_months()
    context = {"years": years(months), "timeline": charts.timeline(months, month_link)}
    return render(request, "articles/archive_index.html", context)


@require_safe
@cache_public_page()
def archive_year(request, year):
    _checked(year)
    months = [(number, count) for number, count in archive_months() if split(number)[0] == year]
    if not months:
        raise Http404("No articles in this year.")
    context = {
        "year": year,
        "months": [(date(year, split(number)[1], 1), count) for number, count in months],
        "total": sum(count for _, count in months),
        "timeline": charts.timeline(months, month_link),
    }
    return render(request, "articles/archive_year.html", context)


@require_safe
@cache_public_page(PAGE)
def archive_month(request, year, month):
    _checked(year, month)
    size = dict(archive_months()).get(month_number(year, month), 0)
    return render_article_list(
        request,
        Article.objects.published(*periods.month(year, month)),
        cache_key=f"month:{year}-{month}",
        context={"month": date(year, month, 1)},
        allow_empty=False,  # like a year without articles: no page for every month since year 1
        count=size,
    )
