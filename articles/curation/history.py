"""History records for changes that bypass ``Article.save()`` (bulk updates, tag and category links)."""

from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from articles.models import Article

BATCH_SIZE = 500


def save_with_history(articles, fields, *, user=None, reason=""):
    """Bulk-update ``fields`` of ``articles`` (already changed in memory), one history row each."""
    articles = list(articles)
    if not articles:
        return 0
    now = timezone.now()
    for article in articles:
        article.updated_at = now
    bulk_update_with_history(
        articles,
        Article,
        [*fields, "updated_at"],
        batch_size=BATCH_SIZE,
        default_user=user,
        default_change_reason=reason,
    )
    return len(articles)


def record_relation_change(article_ids, *, user=None, reason=""):
    """Record a history row for articles whose tags or categories changed.

    simple-history does not track taggit's links, so the change is written into the change
    reason ("Tags added: 台海") of a new history row, and ``updated_at`` moves on so feeds,
    sitemaps and caches see the article changed.
    """
    article_ids = list(article_ids)
    if not article_ids:
        return 0
    now = timezone.now()
    Article.objects.filter(pk__in=article_ids).update(updated_at=now)
    for start in range(0, len(article_ids), BATCH_SIZE):
        chunk = Article.objects.filter(pk__in=article_ids[start : start + BATCH_SIZE])
        Article.history.bulk_history_create(
            list(chunk),
            update=True,
            default_user=user,
            default_change_reason=reason,
            default_date=now,
        )
    return len(article_ids)
