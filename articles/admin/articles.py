"""The article admin: a change list fast at 100,000 rows, and a change form with provenance."""

import json
from datetime import datetime
from urllib.parse import urlencode

from django.contrib import admin
from django.db import models
from django.db.models import Count, Exists, F, Max, Min, Q
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from articles.core import periods
from articles.models import Article, ArticleQuerySet
from articles.search import search, update_index

from . import duplicates
from .actions import ARTICLE_ACTIONS
from .assets import SourceFilter, archive_images_now, article_images
from .filters import AuthorFilter, CategoryFilter, TagFilter
from .forms import ArticleAdminForm
from .history import RelationsHistoryAdmin
from .inputs import CalendarChangeList, SafeInputsMixin
from .sources import RemovedFilter, article_sources

YEAR_COLUMNS_MAX = 200  # years asked about in one query; wider spans are walked
LIST_DEFERRED = ("body_html", "body_text", "front_matter", "import_snapshot", "lead_image_caption", "excerpt")


class ArticleAdminQuerySet(ArticleQuerySet):
    """Finds the date hierarchy's span and years with a few index seeks.

    Django's default truncates every row's date to its year in SQL (on SQLite a Python function
    per row: about 0.7 s at 100,000 articles), and its first and last dates come from one
    MIN/MAX query, which SQLite answers by reading every row. The whole list asks of each year
    whether it has a row, which stops at the first; a filtered list or a search's matches are read
    once and counted per year instead (each question would run the filter or search again).
    """

    narrowed = False  # set by the change list on its queryset: the list is filtered or a search's results

    def aggregate(self, *args, **kwargs):
        """The date hierarchy's ``aggregate(first=Min(f), last=Max(f))`` as two index seeks."""
        field = self._span_field(args, kwargs)
        if field is None:
            return super().aggregate(*args, **kwargs)
        ordered = self.order_by(field).values_list(field, flat=True)
        return {"first": ordered.first(), "last": ordered.last()}

    def _span_field(self, args, kwargs):
        """The field ``f`` of an ``aggregate(first=Min(f), last=Max(f))`` on the whole list, else None."""
        first, last = kwargs.get("first"), kwargs.get("last")
        if args or self.narrowed or kwargs.keys() != {"first", "last"}:
            return None
        if not (isinstance(first, Min) and isinstance(last, Max)):
            return None
        (source,), (other,) = first.source_expressions, last.source_expressions
        return source.name if isinstance(source, F) and source == other else None

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        if kind != "year" or field_name != "published_at":
            return super().datetimes(field_name, kind, order, tzinfo)
        zone = tzinfo or timezone.get_current_timezone()
        with timezone.override(zone):
            years = [datetime(year, 1, 1, tzinfo=zone) for year in self._years(field_name)]
        return years if order == "ASC" else years[::-1]

    def _years(self, field_name):
        """The local years with rows: the first and last (see ``aggregate``), then one query for the years
        between: whether each has a row (an index seek each), or, for a narrowed list, their counts."""
        bounds = self.aggregate(first=Min(field_name), last=Max(field_name))
        if bounds["first"] is None:
            return []
        first, last = (timezone.localtime(bounds[key]).year for key in ("first", "last"))
        if last - first >= YEAR_COLUMNS_MAX:
            return self._years_by_seeking(field_name, first)
        spans = {f"y{year}": periods.lookups(field_name, *periods.year(year)) for year in range(first, last + 1)}
        if self.narrowed:
            row = self.aggregate(**{name: Count("pk", filter=Q(**span)) for name, span in spans.items()}).values()
        else:
            found = {name: Exists(self.filter(**span)) for name, span in spans.items()}
            row = self.model.objects.order_by().annotate(**found).values_list(*found)[:1].get()
        return [year for year, has_rows in zip(range(first, last + 1), row, strict=True) if has_rows]

    def _years_by_seeking(self, field_name, year):
        """The years with rows from ``year`` on, one index seek each: for outliers such as year 1 next to 2024,
        where a count per year would need thousands of columns (SQLite allows 2,000)."""
        years = []
        while year is not None:
            years.append(year)
            end = periods.year(year)[1]
            later = self.filter(**{f"{field_name}__gte": end}) if end is not None else self.none()
            following = later.aggregate(first=Min(field_name))["first"]
            year = None if following is None else timezone.localtime(following).year
        return years


class ArticleChangeList(CalendarChangeList):
    """Rows without their big text columns, with tags and categories prefetched (two queries)."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        queryset = ArticleAdminQuerySet(model=queryset.model, query=queryset.query, using=queryset.db)
        queryset.narrowed = bool(self.query.strip()) or self.has_active_filters
        return queryset.defer(*LIST_DEFERRED).prefetch_related("tags", "categories")


def filter_links(parameter, items):
    """Links that filter the list by each item's slug (URL-encoded: a slug stored by hand may hold ``&`` or ``#``)."""
    return format_html_join(", ", '<a href="?{}">{}</a>', ((urlencode({parameter: i.slug}), i.name) for i in items))


def safe_href(url):
    """Only http(s) links are clickable; anything else (javascript:, data:) is shown as text."""
    return url if url.lower().startswith(("http://", "https://")) else ""


@admin.register(Article)
class ArticleAdmin(SafeInputsMixin, RelationsHistoryAdmin):
    form = ArticleAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "published_at", "status_label", "featured", "author", "tag_list", "category_list")
    list_display_links = ("title",)
    list_filter = ("status", "featured", CategoryFilter, TagFilter, AuthorFilter, SourceFilter, RemovedFilter)
    date_hierarchy = "published_at"
    search_fields = ("title",)  # shows the search box; the search engine answers it
    search_help_text = _("Searches titles and text with the site's search engine (Chinese-aware).")
    list_per_page = 100
    list_max_show_all = 500
    show_full_result_count = False
    sortable_by = ("title", "published_at", "status_label", "featured", "author")
    actions = [*ARTICLE_ACTIONS, archive_images_now]
    autocomplete_fields = ("categories",)
    prepopulated_fields = {"slug": ("title",)}
    save_on_top = True
    object_history_list_template = "admin/articles/article/history_list.html"
    change_list_template = "admin/articles/article/change_list.html"
    readonly_fields = (
        "public_link",
        "original_link",
        "import_key",
        "source_path",
        "legacy_slug",
        "content_hash",
        "first_imported_at",
        "imported_at",
        "front_matter_json",
        "created_at",
        "updated_at",
        "images",
        "source_files",
    )
    fieldsets = (
        (None, {"fields": ("title", "slug", "public_link", ("status", "featured"), "hidden_reason", "published_at")}),
        (_("Text"), {"fields": ("author", "excerpt", "body_html")}),
        (_("Tags and categories"), {"fields": ("tags", "new_tags", "categories")}),
        (_("Lead image"), {"fields": ("lead_image_url", "lead_image_caption", "reading_time")}),
        (_("Archived images"), {"fields": ("images",)}),
        (
            _("Provenance"),
            {
                "classes": ("collapse",),
                "fields": (
                    "original_link",
                    "source_files",
                    "import_key",
                    "source_path",
                    "legacy_slug",
                    "content_hash",
                    ("first_imported_at", "imported_at"),
                    "front_matter_json",
                    ("created_at", "updated_at"),
                ),
            },
        ),
    )

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "duplicates/",
                self.admin_site.admin_view(duplicates.duplicates_view(self)),
                name="{}_{}_duplicates".format(*info),
            ),
            *super().get_urls(),
        ]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        results = search(self.model.objects.all(), search_term).results
        return queryset.filter(pk__in=results.order_by().values("pk")), False

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            return _("Scheduled")
        return article.get_status_display()

    @admin.display(description=_("tags"))
    def tag_list(self, article):
        return filter_links("tag", article.tags.all())

    @admin.display(description=_("categories"))
    def category_list(self, article):
        return filter_links("category", article.categories.all())

    @admin.display(description=_("public page"))
    def public_link(self, article):
        if not article.pk:
            return "—"
        url = article.get_absolute_url()
        if article.is_public:
            return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open the public page"))
        note = _("Preview (not public yet: only staff can see it)")
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, note)

    @admin.display(description=_("original URL"))
    def original_link(self, article):
        href = safe_href(article.original_url)
        if not href:
            return article.original_url or "—"
        return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', href, article.original_url)

    @admin.display(description=_("images"))
    def images(self, article):
        return article_images(article)

    @admin.display(description=_("git sources"))
    def source_files(self, article):
        return article_sources(article)

    @admin.display(description=_("original front matter"))
    def front_matter_json(self, article):
        if not article.front_matter:
            return "—"
        text = json.dumps(article.front_matter, indent=2, ensure_ascii=False, sort_keys=True, default=str)
        return format_html('<pre class="front-matter">{}</pre>', text)

    def save_model(self, request, obj, form, change):
        obj._change_reason = self.change_reason_with_relations(request, self._change_reason(form, change), form)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        update_index([form.instance.pk])

    @staticmethod
    def _change_reason(form, change):
        """ "Edited in admin: title, body_html; tags +台海 −旧闻" (the tag links are not in the history rows)."""
        if not change:
            return _("Created in admin")
        fields = [name for name in form.changed_data if name not in ("tags", "new_tags")]
        before = {str(tag) for tag in form.initial.get("tags", [])}
        after = {str(tag) for tag in form.cleaned_data.get("tags", [])}
        parts = [", ".join(fields)] if fields else []
        tag_changes = [f"+{name}" for name in sorted(after - before)] + [f"−{name}" for name in sorted(before - after)]
        if tag_changes:
            parts.append("tags " + " ".join(tag_changes))
        return _("Edited in admin: %(changes)s") % {"changes": "; ".join(parts) or _("saved unchanged")}
