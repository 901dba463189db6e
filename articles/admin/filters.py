"""Change-list filters that stay small on huge archives: the most used values plus a typed one.

A sidebar listing 50,000 tags is useless and slow; these filters list the values most used by the
newest ``RECENT`` articles and offer a small form to filter by any other value. Only those articles'
rows are read (one index range), and counted here: counting every link took seconds at 100,000
articles, and SQLite grouped in SQL by walking the whole tag index whatever the range.
"""

from collections import Counter

from django.contrib import admin
from django.db.models import Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles.models import Article, Category, TaggedArticle

TOP = 12
RECENT = 10_000  # newest articles (by id) whose values are listed


def oldest_recent_id():
    """The id of the ``RECENT``-th newest article (0 in a smaller archive), as a subquery: ids from it
    on are one index range of the articles and of their links."""
    nth = Article.objects.order_by("-pk").values("pk")[RECENT - 1 : RECENT]
    return Coalesce(Subquery(nth), 0)


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
        """(value, label) pairs of the values most used by the newest articles."""
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
    links = None  # the link model: the article's id and the tag's or category's
    article_field, value_field = "", ""

    def top(self):
        links = self.links.objects.filter(**{f"{self.article_field}__gte": oldest_recent_id()})
        used = Counter(links.values_list(f"{self.value_field}_id", flat=True))
        rows = self.model.objects.filter(pk__in=[pk for pk, _n in used.most_common(TOP)]).only("name", "slug")
        return [(row.slug, row.name) for row in sorted(rows, key=lambda row: (-used[row.pk], row.name))]

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
    links, article_field, value_field = TaggedArticle, "content_object_id", "tag"

    def article_ids(self, matching):
        return TaggedArticle.objects.filter(tag__in=matching).values("content_object_id")


class CategoryFilter(TaxonomyFilter):
    title = _("category")
    parameter_name = "category"
    input_label = _("Category name or slug")
    model = Category
    links, article_field, value_field = Article.categories.through, "article_id", "category"

    def article_ids(self, matching):
        return Article.categories.through.objects.filter(category__in=matching).values("article_id")


class AuthorFilter(TopValuesFilter):
    title = _("author")
    parameter_name = "author"
    input_label = _("Author")

    def top(self):
        recent = Article.objects.filter(pk__gte=oldest_recent_id()).order_by().values_list("author", flat=True)
        used = Counter(author for author in recent if author)
        return [(author, author) for author, _n in sorted(used.items(), key=lambda item: (-item[1], item[0]))[:TOP]]

    def queryset(self, request, queryset):
        value = self.value()
        if value:
            return queryset.filter(author=value)
        return queryset
