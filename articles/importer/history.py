"""History rows for the articles an import writes: "created by import" and "changed by import".

The rows of new articles are those ``simple_history``'s ``bulk_create_with_history`` writes, made
by one ``INSERT ... SELECT`` per batch: the database copies each article's columns itself, so no
value is built, converted or sent a second time.
"""

from django.conf import settings
from django.db import connection
from django.utils import timezone

from articles.batches import BATCH_SIZE
from articles.models import Article


def insert_history(articles, *, user=None, reason=""):
    """Write one "+" history row per saved article in ``articles``, by ``user`` (else the request's)."""
    if not articles or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = Article.history.model
    if user is None:
        user = history.get_default_history_user(articles[0])
    fixed = {
        "history_date": timezone.now(),
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": getattr(user, "pk", None),
    }
    quote = connection.ops.quote_name
    targets, sources, params = [], [], []
    for field in history._meta.concrete_fields:
        if field.primary_key:
            continue
        targets.append(quote(field.column))
        if field.attname in fixed:
            sources.append("%s")
            params.append(field.get_db_prep_save(fixed[field.attname], connection))
        else:
            sources.append(quote(Article._meta.get_field(field.name).column))
    ids = [article.pk for article in articles]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(targets)}) "  # noqa: S608 (names from the models)
            f"SELECT {', '.join(sources)} FROM {quote(Article._meta.db_table)} "
            f"WHERE {quote(Article._meta.pk.column)} IN ({', '.join(['%s'] * len(ids))})",
            [*params, *ids],
        )


def update_with_history(articles, fields, *, user=None, reason=""):
    """Bulk-update ``fields`` of ``articles`` (changed in memory) with one "~" history row each, as
    ``simple_history``'s ``bulk_update_with_history`` does, leaving the search index to the caller
    (the writer indexes after the tags and categories are written)."""
    Article.objects.bulk_update(articles, fields, batch_size=BATCH_SIZE, reindex=False)
    Article.history.bulk_history_create(
        articles, batch_size=BATCH_SIZE, update=True, default_user=user, default_change_reason=reason
    )
