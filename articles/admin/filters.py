"""Change-list filters that stay small on huge archives: the most used values plus a typed one.

A sidebar listing 50,000 tags is useless and slow; these filters list the top values (one grouped
query) and offer a small form to filter by any other value.
"""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles.models import Article, Category, TaggedArticle

TOP = 12


class TopValuesFilter(admin.SimpleListFilter):
    template = "admin/articles/top_values_filter.html"
    input_label = ""

    def __init__(self, request, params, model, model_admin):
        # The typed-value form must carry the change list's other filters along.
        self.other_params = [
            (key, value)
            for key, values in request.GET.lists()
            if key not in (self.parameter_name, "p", "e")
            for value in values
        ]
        super().__init__(request, params, model, model_admin)

    def top(self):
        """(value, label) pairs of the most used values."""
        raise NotImplementedError

    def label_for(self, value):
        return value

    def lookups(self, request, model_admin):
        choices = list(self.top())
        current = self.value()
        if current and current not in {value for value, _label in choices}:
            choices.append((current, self.label_for(current)))
        return choices


class TagFilter(TopValuesFilter):
    title = _("tag")
    parameter_name = "tag"
    input_label = _("Tag name or slug")

    def top(self):
        tags = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n", "name")[:TOP]
        return [(tag.slug, f"{tag.name} ({tag.n})") for tag in tags]

    def label_for(self, value):
        tag = Tag.objects.filter(slug=value).first() or Tag.objects.filter(name=value).first()
        return tag.name if tag else value

    def queryset(self, request, queryset):
        value = self.value()
        if value:
            tags = Tag.objects.filter(Q(slug=value) | Q(name=value))
            return queryset.filter(pk__in=TaggedArticle.objects.filter(tag__in=tags).values("content_object_id"))
        return queryset


class CategoryFilter(TopValuesFilter):
    title = _("category")
    parameter_name = "category"
    input_label = _("Category name or slug")

    def top(self):
        categories = Category.objects.annotate(n=Count("articles")).order_by("-n", "name")[:TOP]
        return [(category.slug, f"{category.name} ({category.n})") for category in categories]

    def label_for(self, value):
        category = Category.objects.filter(slug=value).first() or Category.objects.filter(name=value).first()
        return category.name if category else value

    def queryset(self, request, queryset):
        value = self.value()
        if value:
            categories = Category.objects.filter(Q(slug=value) | Q(name=value))
            links = Article.categories.through.objects.filter(category__in=categories)
            return queryset.filter(pk__in=links.values("article_id"))
        return queryset


class AuthorFilter(TopValuesFilter):
    title = _("author")
    parameter_name = "author"
    input_label = _("Author")

    def top(self):
        rows = (
            Article.objects.exclude(author="").values("author").annotate(n=Count("pk")).order_by("-n", "author")[:TOP]
        )
        return [(row["author"], f"{row['author']} ({row['n']})") for row in rows]

    def queryset(self, request, queryset):
        value = self.value()
        if value:
            return queryset.filter(author=value)
        return queryset
