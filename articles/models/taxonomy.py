"""Tags and categories: the same kind of thing kept in two sets of tables.

Each has aliases (the names and slugs it had before a rename or merge, which imports and old links
still reach it by) and links to articles (their rows are in ``labels``). ``TAGS`` and ``CATEGORIES``
say where each keeps them, so every lookup, merge and slug rule is written once, as
``admin.filters.TaxonomyFilter`` does for the change-list filters.
"""

from itertools import chain, count

from django.db.models.signals import pre_save
from django.http import Http404
from taggit.models import Tag

from articles.text.spaces import one_line

from .columns import unicode_slug
from .labels import Category, CategoryAlias, TagAlias, TaggedArticle


class Taxonomy:
    model = None  # Tag or Category
    alias_model = None
    field = ""  # the foreign key to ``model``, on its aliases and on its article links
    links = None  # the article links (the many-to-many's through model)
    article_field = ""  # the article links' foreign key to the article
    separator = "-"  # before the number that makes a slug unique
    fallback = ""  # the slug of a name that has no letters or digits
    plural = ""  # in the history of the articles a merge changes

    def slugify(self, name):
        raise NotImplementedError

    def free_slug(self, base, taken):
        """``base``, else ``base_2``, ``base_3``… (with this kind's separator): the first not in ``taken``."""
        candidates = chain([base], (f"{base}{self.separator}{n}" for n in count(2)))
        return next(slug for slug in candidates if slug not in taken)

    def find_by_slug(self, slug):
        """``(item, moved)``: the tag or category with this slug, or the one that a renamed or merged
        slug now belongs to (``moved`` is then True); Http404 when there is neither."""
        found = self.model.objects.filter(slug=slug).first()
        if found is not None:
            return found, False
        alias = self.alias_model.objects.filter(slug=slug).select_related(self.field).first()
        if alias is None:
            raise Http404(f"No such {self.model._meta.verbose_name}.")
        return getattr(alias, self.field), True

    def find_by_names(self, names):
        """(the tags or categories of these names, in order and once each, following aliases of renamed
        or merged ones; the names found neither way)."""
        found = {item.name: item for item in self.model.objects.filter(name__in=names)}
        missing = [name for name in names if name not in found]
        for alias in self.alias_model.objects.filter(name__in=missing).select_related(self.field):
            found[alias.name] = getattr(alias, self.field)
        items = []
        for name in names:
            if name in found and found[name] not in items:
                items.append(found[name])
        return items, [name for name in names if name not in found]

    def alias_names(self):
        """(alias name, name of the tag or category it leads to) pairs, for the importer."""
        return self.alias_model.objects.values_list("name", f"{self.field}__name")


class Tags(Taxonomy):
    model = Tag
    alias_model = TagAlias
    field = "tag"
    links = TaggedArticle
    article_field = "content_object"
    separator = "_"  # as taggit numbers the slugs of the tags it creates
    fallback = "tag"
    plural = "Tags"

    def slugify(self, name):
        return Tag().slugify(name) or self.fallback

    @staticmethod
    def parse_names(text):
        """Typed tag names: "a, b，c" (ASCII or full-width commas, or new lines) as distinct, trimmed names."""
        names = []
        for part in text.replace("，", ",").replace("、", ",").replace("\n", ",").split(","):
            name = one_line(part)
            if name and name not in names:
                names.append(name)
        return names

    def resolve(self, names):
        """Tags for these names, following aliases; names that are new become new tags."""
        found, missing = self.find_by_names(names)
        return found + [Tag.objects.get_or_create(name=name)[0] for name in missing]


class Categories(Taxonomy):
    model = Category
    alias_model = CategoryAlias
    field = "category"
    article_field = "article"
    fallback = "category"
    plural = "Categories"

    @property
    def links(self):
        return Category.articles.through  # made by ``Article.categories``

    def slugify(self, name):
        return unicode_slug(name, fallback=self.fallback)


TAGS = Tags()
CATEGORIES = Categories()


def has_url(slug):
    """Whether a tag or category with this slug has a page: every slug but the empty one has a URL
    (``web.converters.Segment``). Rows stored by hand may hold one, and what links to tags and
    categories leaves such rows out or unlinked (facets' SQL compares with ``NO_URL_SQL``)."""
    return bool(slug)


NO_URL_SQL = "''"  # ``has_url``'s exception, as an SQL literal to compare a slug column with


def tag_slug_never_empty(sender, instance, **kwargs):
    """taggit slugifies a name such as "!!!" to "", which has no URL: such a tag gets "tag", "tag_2"…
    as the importer gives it. (Curators create tags by typing names; taggit makes the row.)"""
    if not has_url(instance.slug):
        taken = set(Tag.objects.filter(slug__startswith=TAGS.fallback).values_list("slug", flat=True))
        instance.slug = TAGS.free_slug(TAGS.fallback, taken)


pre_save.connect(tag_slug_never_empty, sender=Tag, dispatch_uid="articles.tag_slug_never_empty")


def remember_stored_label(sender, instance, raw=False, using=None, **kwargs):
    """Before a tag or category is saved, read its name and slug as stored (one query), so receivers
    after the save can tell a rename: the search index and the facets' content version."""
    stored = None
    if instance.pk is not None and not raw:
        stored = sender._default_manager.using(using).filter(pk=instance.pk).values_list("name", "slug").first()
    instance._stored_label = stored


def stored_label(instance):
    """(name, slug) of a tag or category as stored before its save; None when it was new, or the save
    was a fixture's."""
    return getattr(instance, "_stored_label", None)


for _model in (Tag, Category):
    pre_save.connect(remember_stored_label, sender=_model, dispatch_uid=f"articles.stored_label_{_model.__name__}")
