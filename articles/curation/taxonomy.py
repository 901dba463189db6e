"""Merging and renaming tags and categories without breaking old URLs or future imports.

A merged (or renamed) name becomes an alias of the kept tag or category: the importer maps the
alias to it, and the public site redirects the alias's old slug to the kept tag's or category's page.
"""

from django.db import transaction
from taggit.models import Tag

from articles.batches import BATCH_SIZE
from articles.models import Article, Category, CategoryAlias, TagAlias, TaggedArticle
from articles.search import update_index

from .history import record_relation_change


def remember_tag_name(tag, old_name, old_slug):
    """After a rename, keep the old name and slug as an alias of ``tag`` so old links still work."""
    if old_name == tag.name and old_slug == tag.slug:
        return None
    # The tag's new name and slug are live: no alias may take them over.
    TagAlias.objects.filter(name=tag.name).exclude(tag=tag).delete()
    TagAlias.objects.filter(slug=tag.slug).delete()
    slug = old_slug if old_slug != tag.slug else ""
    alias, _ = TagAlias.objects.update_or_create(name=old_name, defaults={"tag": tag, "slug": slug})
    return alias


def merge_tags(keep, others, *, user=None):
    """Move every article of ``others`` to ``keep`` and delete them; returns the articles changed."""
    others = [tag for tag in others if tag.pk != keep.pk]
    if not others:
        return 0
    other_ids = [tag.pk for tag in others]
    with transaction.atomic():
        links = TaggedArticle.objects.filter(tag_id__in=other_ids)
        changed = sorted(set(links.values_list("content_object_id", flat=True)))
        already = set(
            TaggedArticle.objects.filter(tag=keep, content_object_id__in=changed).values_list(
                "content_object_id", flat=True
            )
        )
        TaggedArticle.objects.bulk_create(
            [
                TaggedArticle(tag=keep, content_object_id=article_id)
                for article_id in changed
                if article_id not in already
            ],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )
        links.delete()
        TagAlias.objects.filter(tag_id__in=other_ids).update(tag=keep)
        TagAlias.objects.filter(name=keep.name).delete()
        for tag in others:
            TagAlias.objects.update_or_create(name=tag.name, defaults={"tag": keep, "slug": tag.slug})
        Tag.objects.filter(pk__in=other_ids).delete()
        names = ", ".join(tag.name for tag in others)
        record_relation_change(changed, user=user, reason=f"Tags merged: {names} → {keep.name}")
        update_index(changed)
    return len(changed)


def remember_category_name(category, old_name, old_slug):
    """After a rename, keep the old name and slug as an alias: imports and old links still find it."""
    if old_name == category.name and old_slug == category.slug:
        return None
    # The category's new name and slug are live: no alias may take them over.
    CategoryAlias.objects.filter(name=category.name).delete()
    CategoryAlias.objects.filter(slug=category.slug).delete()
    slug = old_slug if old_slug != category.slug else ""
    alias, _ = CategoryAlias.objects.update_or_create(name=old_name, defaults={"category": category, "slug": slug})
    return alias


def find_by_names(model, alias_model, field, names):
    """(tags or categories for these names, in order, following aliases of renamed or merged ones;
    the names found neither way)."""
    found = {item.name: item for item in model.objects.filter(name__in=names)}
    missing = [name for name in names if name not in found]
    for alias in alias_model.objects.filter(name__in=missing).select_related(field):
        found[alias.name] = getattr(alias, field)
    items = []
    for name in names:
        if name in found and found[name] not in items:
            items.append(found[name])
    return items, [name for name in names if name not in found]


def find_categories(names):
    return find_by_names(Category, CategoryAlias, "category", names)


def merge_categories(keep, others, *, user=None):
    """Move every article of ``others`` into ``keep`` and delete them; returns the articles changed."""
    others = [category for category in others if category.pk != keep.pk]
    if not others:
        return 0
    other_ids = [category.pk for category in others]
    through = Article.categories.through
    with transaction.atomic():
        links = through.objects.filter(category_id__in=other_ids)
        changed = sorted(set(links.values_list("article_id", flat=True)))
        already = set(
            through.objects.filter(category=keep, article_id__in=changed).values_list("article_id", flat=True)
        )
        through.objects.bulk_create(
            [through(category=keep, article_id=article_id) for article_id in changed if article_id not in already],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )
        links.delete()
        CategoryAlias.objects.filter(category_id__in=other_ids).update(category=keep)
        CategoryAlias.objects.filter(name=keep.name).delete()
        CategoryAlias.objects.filter(slug=keep.slug).delete()
        for category in others:
            CategoryAlias.objects.update_or_create(
                name=category.name, defaults={"category": keep, "slug": category.slug}
            )
        Category.objects.filter(pk__in=other_ids).delete()
        names = ", ".join(category.name for category in others)
        record_relation_change(changed, user=user, reason=f"Categories merged: {names} → {keep.name}")
        update_index(changed)
    return len(changed)
