"""History rows for the articles an import changes.

An import writes no row for the articles it creates: each is its own first version until it
changes (see ``articles.history``).
"""

from articles.batches import BATCH_SIZE
from articles.history import record_first_versions
from articles.models import Article


def update_with_history(articles, fields, *, user=None, reason=""):
    """Bulk-update ``fields`` of ``articles`` (changed in memory) with one "~" history row each, as
    ``simple_history``'s ``bulk_update_with_history`` does, after the first version of those that
    had none; the search index is left to the caller (the writer indexes after the tags and
    categories are written)."""
    record_first_versions(articles)
    Article.objects.bulk_update(articles, fields, batch_size=BATCH_SIZE, reindex=False)
    Article.history.bulk_history_create(
        articles, batch_size=BATCH_SIZE, update=True, default_user=user, default_change_reason=reason
    )
