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


class TaxonomyFilter(TopValuesFilter):
    """Tags or categories: the most used ones, or any one typed by name or slug."""

    model = None
    count_through = ""  # the relation to count articles through

    def top(self):
        rows = self.model.objects.annotate(n=Count(self.count_through)).order_by("-n", "name")[:TOP]
        return [(row.slug, f"{row.name} ({row.n})") for row in rows]

    def label_for(self, value):
        found = self.model.objects.filter(slug=value).first() or self.model.objects.filter(name=value).first()
        return found.name if found else value

    def article_ids(self, matching):
        """A subquery of the ids of the articles linked to the ``matching`` tags or categories."""
        raise NotImplementedError

    def queryset(self, request, queryset):
        value = self.value()
        if value:
            matching = self.model.objects.filter(Q(slug=value) | Q(name=value))
            return queryset.filter(pk__in=self.article_ids(matching))
        return queryset


class TagFilter(TaxonomyFilter):
    title = _("tag")
    parameter_name = "tag"
    input_label = _("Tag name or slug")
    model = Tag
    count_through = "articles_taggedarticle_items"

    def article_ids(self, matching):
        return TaggedArticle.objects.filter(tag__in=matching).values("content_object_id")


class CategoryFilter(TaxonomyFilter):
    title = _("category")
    parameter_name = "category"
    input_label = _("Category name or slug")
    model = Category
    count_through = "articles"

    def article_ids(self, matching):
        return Article.categories.through.objects.filter(category__in=matching).values("article_id")


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
