"""Signal receivers that keep the index current for edits made through the ORM (saves, tags and
categories, deletes, and the article queryset's ``update()`` and ``bulk_update()``)."""

from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from taggit.models import Tag

from articles.models import Article, Category, TaggedArticle
from articles.models.article import search_fields_updated
from articles.models.taxonomy import stored_label

from .backends import prepare_connection
from .indexing import update_index


def article_saved(sender, instance, raw=False, using=None, **kwargs):
    update_index([instance.pk], using=using)


def rows_updated(sender, ids, using=None, **kwargs):
    """``Article.objects.update()`` or ``bulk_update()`` changed what these articles' documents read."""
    update_index(ids, using=using)


def connection_opened(sender, connection, **kwargs):
    """SQLite's index triggers call a Python function; every connection needs it."""
    prepare_connection(connection)


def links_changed(sender, instance, action, reverse, pk_set, using=None, **kwargs):
    """Tags or categories of an article (or articles of a tag or category) changed."""
    if action == "pre_clear" and reverse:
        instance._search_article_ids = _article_ids(instance)
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        update_index([instance.pk], using=using)
    elif action == "post_clear":
        update_index(getattr(instance, "_search_article_ids", ()), using=using)
    else:
        update_index(pk_set or (), using=using)


def _article_ids(label):
    if isinstance(label, Tag):
        return list(TaggedArticle.objects.filter(tag=label).values_list("content_object_id", flat=True))
    return list(label.articles.values_list("pk", flat=True))


def label_saved(sender, instance, created=False, raw=False, using=None, **kwargs):
    """A renamed tag or category changes what its articles match."""
    stored = stored_label(instance)
    if not created and stored is not None and stored[0] != instance.name:
        update_index(_article_ids(instance), using=using)


def label_deleting(sender, instance, **kwargs):
    instance._search_article_ids = _article_ids(instance)


def label_deleted(sender, instance, using=None, **kwargs):
    update_index(getattr(instance, "_search_article_ids", ()), using=using)


def connect():
    post_save.connect(article_saved, sender=Article, dispatch_uid="search_article_saved")
    search_fields_updated.connect(rows_updated, sender=Article, dispatch_uid="search_rows_updated")
    connection_created.connect(connection_opened, dispatch_uid="search_connection_opened")
    for through in (TaggedArticle, Article.categories.through):
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"search_links_{through.__name__}")
    for model in (Tag, Category):
        post_save.connect(label_saved, sender=model, dispatch_uid=f"search_saved_{model.__name__}")
        pre_delete.connect(label_deleting, sender=model, dispatch_uid=f"search_deleting_{model.__name__}")
        post_delete.connect(label_deleted, sender=model, dispatch_uid=f"search_deleted_{model.__name__}")
