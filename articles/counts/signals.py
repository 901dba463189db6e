"""Signal receivers that keep the counts through the ORM: saves, deletions, tag and category links,
the article queryset's ``update()`` and ``bulk_update()``, and deleted tags and categories."""

import threading

from django.db import router
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete, pre_save
from taggit.models import Tag

from articles.models import Article, Category, TaggedArticle
from articles.models.article import counted_fields_changed, counted_fields_changing

from . import keeping, reading, records

# Brackets opened by a "before" signal and closed by its "after" signal, by what they are about (an
# instance, or the ids of an update). A write that fails between the two leaves its bracket here
# until the next write of the same thing replaces it.
_open = threading.local()


def _brackets():
    if not hasattr(_open, "brackets"):
        _open.brackets = {}
    return _open.brackets


def _start(token, ids, using):
    _brackets()[token] = keeping.Keeping(ids, using or router.db_for_write(Article), cover=False).start()


def _finish(token, added=()):
    bracket = _brackets().pop(token, None)
    if bracket is not None:
        bracket.add(added)
        bracket.finish()


def article_saving(sender, instance, raw=False, using=None, **kwargs):
    if not raw:
        _start(("save", id(instance)), [] if instance._state.adding else [instance.pk], using)


def article_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw:
        _finish(("save", id(instance)), [instance.pk] if created else ())


def rows_changing(sender, ids, using=None, **kwargs):
    _start(("rows", id(ids)), ids, using)


def rows_changed(sender, ids, **kwargs):
    _finish(("rows", id(ids)))


def article_deleting(sender, instance, origin=None, using=None, **kwargs):
    """Take the article's counts away before it goes (once for a whole queryset's deletion)."""
    if isinstance(origin, QuerySet) and origin.model is Article:
        if getattr(origin, "_counts_taken", False):
            return
        origin._counts_taken = True  # every article of the queryset gets this signal before any goes
        keeping.subtract(origin.order_by().exclude(pk__in=keeping.covered_ids()), using)
    else:
        keeping.subtract(keeping.uncovered([instance.pk]), using)


def links_changing(sender, instance, action, reverse, pk_set, using=None, **kwargs):
    if action not in {"pre_add", "pre_remove", "pre_clear"}:
        return
    if not reverse:
        ids = [instance.pk]
    elif action == "pre_clear":
        ids = _article_ids(instance)
    else:
        ids = pk_set or ()
    _start(("links", sender, id(instance)), ids, using)


def links_changed(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        _finish(("links", sender, id(instance)))


def _article_ids(label):
    if isinstance(label, Tag):
        return list(TaggedArticle.objects.filter(tag=label).values_list("content_object_id", flat=True))
    return list(label.articles.values_list("pk", flat=True))


def label_deleted(sender, instance, using=None, **kwargs):
    kind = keeping.TAG if isinstance(instance, Tag) else keeping.CATEGORY
    keeping.forget(kind, instance.pk, using or router.db_for_write(sender))


def record_deleting(sender, instance, using=None, **kwargs):
    """An archived image or a source check goes (deleted, or with its article)."""
    records.forget_one(sender, instance.status, using)


def migrated(sender, using=None, **kwargs):
    """A new database, or counts kept in another time zone: count everything (once)."""
    if sender.name == "articles" and not reading.zone_is_current(using):
        keeping.rebuild(using)
        records.rebuild(using)


def connect():
    pre_save.connect(article_saving, sender=Article, dispatch_uid="counts_article_saving")
    post_save.connect(article_saved, sender=Article, dispatch_uid="counts_article_saved")
    pre_delete.connect(article_deleting, sender=Article, dispatch_uid="counts_article_deleting")
    counted_fields_changing.connect(rows_changing, sender=Article, dispatch_uid="counts_rows_changing")
    counted_fields_changed.connect(rows_changed, sender=Article, dispatch_uid="counts_rows_changed")
    for through in (TaggedArticle, Article.categories.through):
        name = through.__name__
        m2m_changed.connect(links_changing, sender=through, dispatch_uid=f"counts_links_changing_{name}")
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"counts_links_changed_{name}")
    for model in (Tag, Category):
        post_delete.connect(label_deleted, sender=model, dispatch_uid=f"counts_deleted_{model.__name__}")
    for model in records.KINDS:
        pre_delete.connect(record_deleting, sender=model, dispatch_uid=f"counts_deleting_{model.__name__}")
    post_migrate.connect(migrated, dispatch_uid="counts_migrated")
