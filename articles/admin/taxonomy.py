"""Admin for tags, categories and their aliases: counts, search, merge, and renames that keep old URLs."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag

from articles.curation.taxonomy import merge, remember_name
from articles.models import CATEGORIES, TAGS, Category, CategoryAlias, TagAlias

from .forms import KeepChoiceForm
from .inputs import SafeModelAdmin
from .intermediate import action_form_data, render_action_page


def merge_action(kind, noun):
    @admin.action(description=_("Merge selected %(noun)s…") % {"noun": noun}, permissions=["change"])
    def action(modeladmin, request, queryset):
        queryset = queryset.order_by("name")
        if queryset.count() < 2:
            modeladmin.message_user(request, _("Select at least two to merge."), messages.WARNING)
            return None
        form = KeepChoiceForm(action_form_data(request), queryset=queryset)
        if form.is_bound and form.is_valid():
            keep = form.cleaned_data["keep"]
            others = [item for item in queryset if item.pk != keep.pk]
            changed = merge(kind, keep, others, user=request.user)
            message = ngettext(
                "Merged %(names)s into “%(keep)s”; %(count)d article changed.",
                "Merged %(names)s into “%(keep)s”; %(count)d articles changed.",
                changed,
            ) % {"names": ", ".join(f"“{item}”" for item in others), "keep": keep, "count": changed}
            modeladmin.message_user(request, message, messages.SUCCESS)
            return None
        return render_action_page(
            modeladmin,
            request,
            queryset,
            form,
            title=_("Merge %(noun)s") % {"noun": noun},
            action="merge",
            intro=_(
                "Choose the one to keep. The articles of the others move to it, in one step; their names "
                "become aliases, so old links and future imports lead to the kept one."
            ),
            button=_("Merge"),
        )

    action.__name__ = "merge"
    return action


class TagAliasInline(admin.TabularInline):
    model = TagAlias
    extra = 0
    fields = ("name", "slug")


admin.site.unregister(Tag)


class TaxonomyAdmin(SafeModelAdmin):
    """A tag's or category's admin: a rename keeps the old name and slug as an alias."""

    taxonomy = None  # TAGS or CATEGORIES

    def save_model(self, request, obj, form, change):
        old = self.taxonomy.model.objects.filter(pk=obj.pk).values("name", "slug").first() if change else None
        super().save_model(request, obj, form, change)
        if old:
            remember_name(self.taxonomy, obj, old["name"], old["slug"])


@admin.register(Tag)
class TagAdmin(TaxonomyAdmin):
    list_display = ("name", "slug", "article_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name",)
    list_per_page = 100
    show_full_result_count = False
    taxonomy = TAGS
    actions = [merge_action(TAGS, _("tags"))]
    inlines = [TagAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles_taggedarticle_items"))

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, tag):
        return tag.article_count


class CategoryAliasInline(admin.TabularInline):
    model = CategoryAlias
    extra = 0
    fields = ("name", "slug")


@admin.register(Category)
class CategoryAdmin(TaxonomyAdmin):
    list_display = ("name", "slug", "article_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    list_per_page = 100
    taxonomy = CATEGORIES
    actions = [merge_action(CATEGORIES, _("categories"))]
    inlines = [CategoryAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, category):
        return category.article_count


@admin.register(TagAlias)
class TagAliasAdmin(SafeModelAdmin):
    list_display = ("name", "slug", "tag")
    search_fields = ("name", "slug", "tag__name")
    autocomplete_fields = ("tag",)
    list_select_related = ("tag",)


@admin.register(CategoryAlias)
class CategoryAliasAdmin(SafeModelAdmin):
    list_display = ("name", "slug", "category")
    search_fields = ("name", "slug", "category__name")
    autocomplete_fields = ("category",)
    list_select_related = ("category",)
