"""Signal receivers that move the content version (see ``version``) for writes made through the ORM:
article saves and deletions, the article queryset's bulk writes, tag and category links, and tags
and categories renamed or deleted."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import Tag

from articles.models import Article, Category, TaggedArticle
from articles.models.article import articles_written
from articles.models.taxonomy import stored_label

from .version import bump

LINK_CHANGES = frozenset({"post_add", "post_remove", "post_clear"})


def written(sender, using=None, **kwargs):
    """An article saved or deleted, or rows written by ``update()``, ``bulk_update()`` or ``bulk_create()``."""
    bump(using)


def links_changed(sender, action, pk_set=None, using=None, **kwargs):
    if action in LINK_CHANGES and (pk_set or action == "post_clear"):
        bump(using)


def label_saved(sender, instance, created=False, raw=False, using=None, **kwargs):
    """A tag or category renamed (its name or slug, which facets show and link by). A new one has no
    articles yet; a fixture's (``raw``) is not known."""
    if raw or (not created and stored_label(instance) != (instance.name, instance.slug)):
        bump(using)


def connect():
    post_save.connect(written, sender=Article, dispatch_uid="facets_article_saved")
    post_delete.connect(written, sender=Article, dispatch_uid="facets_article_deleted")
    articles_written.connect(written, sender=Article, dispatch_uid="facets_articles_written")
    for through in (TaggedArticle, Article.categories.through):
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"facets_links_{through.__name__}")
    for model in (Tag, Category):
        post_save.connect(label_saved, sender=model, dispatch_uid=f"facets_saved_{model.__name__}")
        post_delete.connect(written, sender=model, dispatch_uid=f"facets_deleted_{model.__name__}")
