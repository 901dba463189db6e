"""Keeping the counts: what each article adds to them, and the one place that writes them.

Every write that changes what is counted wraps itself in ``kept(ids)``: the counts of those
articles are read before and after, in the same transaction, and the difference is added to
the ``Tally`` rows with one upsert. Reading both sides from the database, rather than guessing
from the values written, keeps every path right whatever it changes (a status, a date, an author,
tags, categories). Saves, deletions and tag and category changes through the ORM are wrapped by
the signal receivers (``signals``); bulk writers (the importer, the admin's bulk actions, merges)
wrap themselves. ``bulk_create()``, fixtures and raw SQL are not seen: ``rebuild()`` counts
everything again (``manage.py rebuild_counts``; ``rebuild_search_index`` runs it too).

What is counted per month (``months.LocalMonth``, site time zone) and in total (month 0):

- ``archive``: published articles by publication month; ``author``, ``tag``, ``category``: the
  same for each author (by name), tag and category (by id). Scheduled articles (published, their
  time still to come) are counted too: readers take away what is not public yet (``reading``).
- ``status``: every article by status and publication month (the dashboard's chart of the archive).
"""

import threading
from collections import Counter
from contextlib import contextmanager

from django.db import connections, router, transaction
from django.db.models import CharField, Count, F, QuerySet, Value
from django.db.models.functions import Cast

from articles.core.batches import chunked
from articles.models import Article, TaggedArticle, Tally
from articles.models.rows import insert_values

from .months import LocalMonth, zone_name

ARCHIVE, AUTHOR, TAG, CATEGORY, STATUS, ZONE = "archive", "author", "tag", "category", "status", "zone"
ARTICLE_KINDS = (ARCHIVE, AUTHOR, TAG, CATEGORY, STATUS)
TOTAL = 0  # the month of a total
CategoryLink = Article.categories.through

_state = threading.local()


def _grouped(rows, key, month):
    return rows.annotate(tally_key=key, tally_month=month).values("tally_key", "tally_month").annotate(n=Count("pk"))


def _parts(articles):
    """{kind: grouped queryset of (key, month, count)} for ``articles`` (a queryset)."""
    published = articles.filter(status=Article.Status.PUBLISHED)
    ids = articles.values("pk")
    public = Article.Status.PUBLISHED
    return {
        ARCHIVE: _grouped(published, Cast(Value(""), CharField()), LocalMonth()),
        AUTHOR: _grouped(published.exclude(author=""), F("author"), LocalMonth()),
        TAG: _grouped(
            TaggedArticle.objects.filter(content_object__in=ids, content_object__status=public),
            Cast("tag_id", CharField()),
            LocalMonth("content_object__published_at"),
        ),
        CATEGORY: _grouped(
            CategoryLink.objects.filter(article__in=ids, article__status=public),
            Cast("category_id", CharField()),
            LocalMonth("article__published_at"),
        ),
        STATUS: _grouped(articles, F("status"), LocalMonth()),
    }


def contributions(articles, using=None):
    """Counter {(kind, key, month): count} of what ``articles`` (ids, or a queryset) add to the counts.

    One query (a UNION ALL of grouped counts) per ``BATCH_SIZE`` ids; totals are added here.
    """
    using = using or router.db_for_write(Article)
    if isinstance(articles, QuerySet):
        batches = [articles.using(using)]
    else:
        batches = [Article.objects.using(using).filter(pk__in=chunk) for chunk in chunked(articles)]
    counts = Counter()
    connection = connections[using]
    for batch in batches:
        parts, params = [], []
        for kind, part in _parts(batch).items():
            sql, part_params = part.using(using).query.sql_with_params()
            parts.append(f"SELECT %s, tally.* FROM ({sql}) tally")  # noqa: S608 (Django's SQL)
            params += [kind, *part_params]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for kind, key, month, count in cursor.fetchall():
                counts[kind, key, month] += count
                counts[kind, key, TOTAL] += count
    return counts


def apply(changes, using=None):
    """Add ``changes`` ({(kind, key, month): difference}) to the counts: one upsert per 500 rows."""
    rows = [(kind, key, month, value) for (kind, key, month), value in changes.items() if value]
    if not rows:
        return
    connection = connections[using or router.db_for_write(Tally)]
    table = connection.ops.quote_name(Tally._meta.db_table)
    value = connection.ops.quote_name("value")
    for chunk in chunked(rows):
        sql = (
            f"INSERT INTO {table} (kind, {connection.ops.quote_name('key')}, month, {value}) VALUES "  # noqa: S608
            + ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            + f" ON CONFLICT (kind, {connection.ops.quote_name('key')}, month)"
            f" DO UPDATE SET {value} = {table}.{value} + excluded.{value}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [item for row in chunk for item in row])


def _covered():
    """Ids whose counts an enclosing ``kept`` block keeps already (nested writes leave them to it)."""
    if not hasattr(_state, "covered"):
        _state.covered = Counter()
    return _state.covered


def covered_ids():
    return [pk for pk, n in _covered().items() if n]


def uncovered(ids):
    covered = _covered()
    return sorted({pk for pk in ids if pk is not None and not covered[pk]})


def _lock(ids, using):
    """On PostgreSQL, lock the rows first: two writers of one article then read its counts in turn."""
    connection = connections[using]
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        for chunk in chunked(ids):
            list(Article.objects.using(using).filter(pk__in=chunk).select_for_update().values_list("pk", flat=True))


class Keeping:
    """The articles one write counts: ``start`` before it, ``finish`` after it (same transaction).

    ``cover``: nested writes of these articles leave them to this one (``kept`` blocks, which
    always ``release``); the signal receivers' brackets do not cover, so a write that fails
    between its two signals leaves nothing behind.
    """

    def __init__(self, ids, using, *, cover=True):
        self.ids, self.using, self.cover = uncovered(ids), using, cover
        self.before = Counter()

    def start(self):
        _lock(self.ids, self.using)
        self.before = contributions(self.ids, self.using) if self.ids else Counter()
        if self.cover:
            _covered().update(self.ids)
        return self

    def add(self, ids):
        """Count these articles too (new ones: nothing to take away)."""
        ids = uncovered(ids)
        self.ids += ids
        if self.cover:
            _covered().update(ids)

    def finish(self):
        if self.ids:
            changes = contributions(self.ids, self.using)
            changes.subtract(self.before)
            apply(changes, self.using)

    def release(self):
        if self.cover:
            _covered().subtract(self.ids)


@contextmanager
def kept(ids=(), using=None):
    """Keep the counts of the articles ``ids`` (and those ``add``-ed) right across the block's writes."""
    using = using or router.db_for_write(Article)
    keeping = Keeping(ids, using)
    try:
        with transaction.atomic(using=using):
            yield keeping.start()
            keeping.finish()
    finally:
        keeping.release()


def subtract(articles, using=None):
    """Take what ``articles`` (ids or a queryset) count away, before they are deleted."""
    changes = Counter()
    changes.subtract(contributions(articles, using))
    apply(changes, using)


def forget(kind, key, using=None):
    """Drop every count of one tag or category (being deleted)."""
    Tally.objects.using(using or router.db_for_write(Tally)).filter(kind=kind, key=str(key)).delete()


def rebuild(using=None):
    """Count every article again, in one transaction (after ``bulk_create()``, raw SQL, a restore or a
    change of ``TIME_ZONE``); returns the number of rows written."""
    using = using or router.db_for_write(Tally)
    with transaction.atomic(using=using):
        Tally.objects.using(using).filter(kind__in=[*ARTICLE_KINDS, ZONE]).delete()
        counts = contributions(Article.objects.all(), using)
        counts[ZONE, zone_name(), TOTAL] = 0
        rows = [(kind, key, month, value) for (kind, key, month), value in counts.items()]
        for chunk in chunked(rows, 5000):
            insert_values(Tally, ["kind", "key", "month", "value"], chunk, using=using)
    return len(counts)
