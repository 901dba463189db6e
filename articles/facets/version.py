"""The content version: a stamp that moves whenever what searches and facets count may have changed.

Each search's facets are cached under it (see ``subtraction``), so it is read on every search and
must cost the same at a million articles as at a thousand: one query of three index lookups
(the writes counted in ``ContentWrites``, the last ``updated_at``, the next scheduled publication).

- The count moves in the transaction of every write that changes what is counted: an article's
  save or deletion, the article queryset's ``update()``, ``bulk_update()`` and ``bulk_create()``,
  tag and category links added or removed, a tag or category renamed or deleted (merges delete),
  the importer's batches and a rebuilt search index. ``signals`` connects the ORM's; bulk writers
  that bypass it call ``bump()``. An UPDATE of ``n + 1`` (an upsert) holds the row until commit, so
  two writers never lose a bump, and the count never returns to an earlier value, as a number of
  articles did when one was deleted and another added.
- ``updated_at`` catches writers that know nothing of the count but move it (raw SQL, say).
- The next scheduled publication moves once its time has come: that article is public from then.
"""

import threading
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from articles.models import ContentWrites

from ..models import Article

ROW = 1  # the one row of ``ContentWrites``
_deferred = threading.local()  # {database alias: whether a bump is due} inside ``bumped_once``


def content_version(using):
    """(writes counted, the last change, the next scheduled publication): one query of three index lookups."""
    connection = connections[using]
    quote = connection.ops.quote_name
    articles, writes = quote(Article._meta.db_table), quote(ContentWrites._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT writes FROM {writes} WHERE id = %s), (SELECT MAX(updated_at) FROM {articles}),"  # noqa: S608
            f" (SELECT MIN(published_at) FROM {articles} WHERE published_at > %s)",  # (models' tables, bound values)
            [ROW, now],
        )
        return cursor.fetchone()


def _due():
    if not hasattr(_deferred, "aliases"):
        _deferred.aliases = {}
    return _deferred.aliases


def bump(using=None):
    """Count a write on the database ``using``, in the caller's transaction (at the end of it
    inside ``bumped_once``)."""
    using = using or DEFAULT_DB_ALIAS
    due = _due()
    if using in due:
        due[using] = True
        return
    connection = connections[using]
    table = connection.ops.quote_name(ContentWrites._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, writes) VALUES (%s, 1)"  # noqa: S608 (a model's table)
            f" ON CONFLICT (id) DO UPDATE SET writes = {table}.writes + 1",
            [ROW],
        )


@contextmanager
def bumped_once(using=None):
    """A transaction whose writes count once, as its last statement: a bulk writer's many writes
    cost one bump, and the row is held only from then to the commit, so concurrent bulk writers
    (two imports) wait on each other there only for that moment, not for a whole batch."""
    using = using or DEFAULT_DB_ALIAS
    due = _due()
    outer = using not in due
    if outer:
        due[using] = False
    try:
        with transaction.atomic(using=using):
            yield
            if outer and due.pop(using):
                bump(using)
    finally:
        if outer:
            due.pop(using, None)
