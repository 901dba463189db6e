"""How article versions are stored: the first version is kept in the article itself until it first
changes. (Bodies are compressed there and in the history alike: ``fields.CompressedTextField``.)

An import writes no history row: an article nobody changed is its own first version. Every path
that changes an article (``Article.save()``, the bulk edits of ``curation.history``, a re-import)
first calls ``record_first_versions``, which copies the articles that have no row yet, as they
are before the change, into a "+" row dated when they were imported (or created). From then on
the history reads as before: the first version, then one row per change.
"""

from django.conf import settings
from django.db import router
from django.db.models import Q

from .batches import chunked

# What the first import of a post records as the reason of its first version.
IMPORT_REASON = "import"


def record_first_versions(articles):
    """Write the "+" row of each of ``articles`` (ids or instances) that has no history row yet,
    from the database's values (the primary's): call it before writing a change."""
    from .models import Article

    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return 0
    using = router.db_for_write(Article)
    history = Article.history.model
    ids = sorted({getattr(article, "pk", article) for article in articles} - {None})
    written = 0
    for chunk in chunked(ids):
        recorded = set(history.objects.using(using).filter(id__in=chunk).values_list("id", flat=True).distinct())
        missing = [pk for pk in chunk if pk not in recorded]
        if not missing:
            continue
        first = list(Article.objects.using(using).filter(pk__in=missing))
        importers = _importers([article.first_imported_at for article in first if article.first_imported_at], using)
        for article in first:
            article._history_date = article.first_imported_at or article.created_at
            article._history_user = importers.get(article.first_imported_at)
            article._change_reason = IMPORT_REASON if article.first_imported_at else ""
        Article.history.bulk_history_create(first)
        written += len(first)
    return written


def _importers(times, using):
    """{import time: the user of the import run that was running then}, in one query."""
    from .importer.models import ImportRun

    if not times:
        return {}
    runs = (
        ImportRun.objects.using(using)
        .filter(dry_run=False, started_at__lte=max(times))
        .filter(Q(finished_at__gte=min(times)) | Q(finished_at=None))
        .select_related("user")
        .order_by("-started_at")
    )
    runs = list(runs)
    users = {}
    for time in set(times):
        run = next((r for r in runs if r.started_at <= time and (r.finished_at or time) >= time), None)
        users[time] = run.user if run else None
    return users
