"""How article versions are stored: the first version is kept in the article itself until it first
changes. (Bodies are compressed there and in the history alike: ``fields.CompressedTextField``.)

An import writes no history row: an article nobody changed is its own first version. Every path
that changes an article (``Article.save()``, the bulk edits of ``curation``, a re-import) first
calls ``record_first_versions``, which copies the articles that have no row yet, as they are
before the change, into a "+" row dated when they were imported (or created). From then on the
history reads as before: the first version, then one row per change. ``update_with_history`` is
the one bulk write that keeps the history: curators' bulk edits and re-imports both use it.
"""

from django.conf import settings
from django.db import models, router, transaction
from django.db.models import Q

from articles.core.batches import BATCH_SIZE, chunked

from .imports import ImportRun

# What the first import of a post records as the reason of its first version.
IMPORT_REASON = "import"


class VersionedQuerySet(models.QuerySet):
    """The history writes of a model with ``history = HistoricalRecords(...)`` (the article's)."""

    def record_first_versions(self, articles):
        """Write the "+" row of each of ``articles`` (ids or instances) that has no history row yet,
        from the database's values (the primary's): call it before writing a change."""
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return 0
        model = self.model
        using = router.db_for_write(model)
        history = model.history.model
        ids = sorted({getattr(article, "pk", article) for article in articles} - {None})
        written = 0
        for chunk in chunked(ids):
            recorded = set(history.objects.using(using).filter(id__in=chunk).values_list("id", flat=True).distinct())
            missing = [pk for pk in chunk if pk not in recorded]
            if not missing:
                continue
            first = list(model._default_manager.using(using).filter(pk__in=missing))
            importers = _importers([article.first_imported_at for article in first if article.first_imported_at], using)
            for article in first:
                article._history_date = article.first_imported_at or article.created_at
                article._history_user = importers.get(article.first_imported_at)
                article._change_reason = IMPORT_REASON if article.first_imported_at else ""
            model.history.bulk_history_create(first)
            written += len(first)
        return written

    def update_with_history(self, articles, fields, *, user=None, reason="", reindex=True):
        """Bulk-update ``fields`` of ``articles`` (changed in memory) with one "~" history row each (the
        reason an article carries in ``_change_reason``, else ``reason``), after the first version of
        those that had none; as ``simple_history``'s ``bulk_update_with_history``. ``reindex``: as
        ``bulk_update`` takes it (the importer indexes after writing the tags and categories)."""
        articles = list(articles)
        if not articles:
            return 0
        self.record_first_versions(articles)
        with transaction.atomic(using=router.db_for_write(self.model), savepoint=False):
            self.bulk_update(articles, fields, batch_size=BATCH_SIZE, reindex=reindex)
            self.model.history.bulk_history_create(
                articles, batch_size=BATCH_SIZE, update=True, default_user=user, default_change_reason=reason
            )
        return len(articles)


def _importers(times, using):
    """{import time: the user of the import run that was running then}, in one query."""
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
