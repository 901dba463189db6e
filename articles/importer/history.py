"""History rows ("created by import") for bulk-created articles, written straight from the articles.

The rows are those ``simple_history``'s ``bulk_create_with_history`` writes, without building a
historical model instance per article and preparing each field through the ORM (a third of the
importer's writing time).
"""

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from articles.models import Article

# Fields whose Python value is already what the database driver takes.
_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def insert_history(articles, *, user=None, reason=""):
    """Write one "+" history row per saved article in ``articles``, by ``user`` (else the request's)."""
    if not articles or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = Article.history.model
    fields = [field for field in history._meta.concrete_fields if not field.primary_key]
    if user is None:
        user = history.get_default_history_user(articles[0])
    fixed = {
        "history_date": timezone.now(),
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": getattr(user, "pk", None),
    }
    converters = [_converter(field) for field in fields]
    rows = []
    for article in articles:
        values = (fixed[f.attname] if f.attname in fixed else getattr(article, f.attname) for f in fields)
        rows.append(tuple(v if convert is None else convert(v) for v, convert in zip(values, converters, strict=True)))
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {history._meta.db_table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


def _converter(field):
    if isinstance(field, _AS_IS) and not isinstance(field, models.ForeignKey):
        return None
    return lambda value: field.get_db_prep_save(value, connection)
