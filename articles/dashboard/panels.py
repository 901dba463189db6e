"""The dashboard's built-in panels: articles, the last imports, archived images, source links, storage.

Every number comes from the kept counts (``articles.counts``) or a few indexed rows, and links to
the admin list it counts. A panel the user may not see (no view permission) is left out.
"""

from urllib.parse import urlencode

from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.counts import reading as counts
from articles.counts.keeping import TOTAL
from articles.counts.records import ASSET, MEDIA, SOURCE
from articles.models import Article, Asset, ImportRun, Source, SourceCheck, Tally
from articles.sources.status import describe
from articles.web import charts

from . import sizes
from .registry import Panel, panel

LAST_RUNS = 5
SOURCES_SHOWN = 8


def _may_view(request, model):
    opts = model._meta
    return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or request.user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def _list_url(model, **params):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _month_link(year, month):
    return _list_url(Article, published_at__year=year, published_at__month=month) if month else None


@panel(10)
def articles(request):
    if not _may_view(request, Article):
        return None
    totals, by_month = counts.statuses()
    months = {}
    for rows in by_month.values():
        for number, count in rows:
            months[number] = months.get(number, 0) + count
    statuses = [
        (label, totals.get(value, 0), _list_url(Article, status__exact=value))
        for value, label in Article.Status.choices
    ]
    context = {
        "total": sum(totals.values()),
        "all_url": _list_url(Article),
        "statuses": statuses,
        "timeline": charts.timeline(sorted(months.items()), _month_link),
    }
    return Panel(_("Articles"), "admin/dashboard/articles.html", context, width=4)


@panel(20)
def imports(request):
    if not _may_view(request, ImportRun):
        return None
    runs = list(ImportRun.objects.order_by("-started_at", "-pk")[:LAST_RUNS])
    context = {"runs": runs, "all_url": _list_url(ImportRun)}
    return Panel(_("Last imports"), "admin/dashboard/imports.html", context, width=2)


@panel(30)
def sources(request):
    """Each git source's sync state (the first ``SOURCES_SHOWN``, failing ones first): one query."""
    if not _may_view(request, Source):
        return None
    rows = list(Source.objects.order_by("-failures", "name")[: SOURCES_SHOWN + 1])
    context = {
        "sources": [(source, describe(source)) for source in rows[:SOURCES_SHOWN]],
        "more": len(rows) > SOURCES_SHOWN,
        "all_url": _list_url(Source),
        "removed_url": _list_url(Article, removed="yes"),
    }
    return Panel(_("Sources"), "admin/dashboard/git_sources.html", context, width=2)


def _kept(kinds):
    """{(kind, key): value} of the totals of ``kinds``: one query."""
    rows = Tally.objects.filter(kind__in=kinds, month=TOTAL).values_list("kind", "key", "value")
    return {(kind, key): value for kind, key, value in rows}


@panel(40)
def images(request):
    if not _may_view(request, Asset):
        return None
    kept = _kept([ASSET])
    statuses = [
        (label, kept.get((ASSET, value), 0), _list_url(Asset, status__exact=value))
        for value, label in Asset.Status.choices
    ]
    total = sum(count for _label, count, _url in statuses)
    archived = kept.get((ASSET, Asset.Status.FETCHED), 0)
    context = {"statuses": statuses, "total": total, "remote": total - archived, "all_url": _list_url(Asset)}
    return Panel(_("Archived images"), "admin/dashboard/images.html", context)


@panel(50)
def source_links(request):
    if not _may_view(request, Article):
        return None
    kept = _kept([SOURCE])
    statuses = [
        (label, kept.get((SOURCE, value), 0), _list_url(Article, source=value))
        for value, label in SourceCheck.Status.choices
    ]
    return Panel(_("Source links"), "admin/dashboard/sources.html", {"statuses": statuses})


@panel(60)
def storage(request):
    if not request.user.is_superuser and not _may_view(request, Asset):
        return None
    context = {
        "database": sizes.database_bytes(),
        "search_index": sizes.search_index_bytes(),
        "media": _kept([MEDIA]).get((MEDIA, ""), 0),
        "media_url": _list_url(Asset, status__exact=Asset.Status.FETCHED),
    }
    return Panel(_("Storage"), "admin/dashboard/storage.html", context)


@panel(70)
def recent_actions(request):
    """The user's own last changes (Django's index shows them in a sidebar; here they are a panel)."""
    entries = LogEntry.objects.filter(user=request.user).select_related("content_type")[:10]
    return Panel(_("Recent actions"), "admin/dashboard/actions.html", {"entries": list(entries)})
