"""The rows of tags and categories: categories, the aliases of both (the names and slugs they had
before a rename or merge), and the tag links with a real foreign key. Tags themselves are taggit's;
``taxonomy`` holds the rules both kinds follow."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag, TaggedItemBase

from .columns import SLUG_MAX_LENGTH, max_length


class Category(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=SLUG_MAX_LENGTH, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})


class CategoryAlias(models.Model):
    """A category name merged into another; the importer maps it to the kept one."""

    name = models.CharField(_("name"), max_length=max_length(Category, "name"), unique=True)
    slug = models.SlugField(_("slug"), max_length=SLUG_MAX_LENGTH, db_index=True, allow_unicode=True, blank=True)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        verbose_name = _("category alias")
        verbose_name_plural = _("category aliases")

    def __str__(self):
        return f"{self.name} → {self.category}"


class TagAlias(models.Model):
    """A tag name merged into (or renamed to) another tag."""

    name = models.CharField(_("name"), max_length=max_length(Tag, "name"), unique=True)
    slug = models.SlugField(
        _("slug"), max_length=max_length(Tag, "slug"), db_index=True, allow_unicode=True, blank=True
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        verbose_name = _("tag alias")
        verbose_name_plural = _("tag aliases")

    def __str__(self):
        return f"{self.name} → {self.tag}"


class TaggedArticle(TaggedItemBase):
    """Tag links with a real foreign key, so tag filters are indexed joins."""

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag"),
        ]
        # A tag's articles by id: related articles are its neighbours there (web/views/detail.py).
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_tag_article_idx")]
        verbose_name = _("article tag")
        verbose_name_plural = _("article tags")
