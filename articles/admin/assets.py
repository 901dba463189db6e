"""Archived images in the admin: each article's images with status, thumbnail and size, totals,
"retry failed", the "archive images now" bulk action, and the articles' source-check filter.

Archiving from the admin is a background task (``articles.assets.tasks``): a click answers at once.
"""

from django.contrib import admin, messages
from django.db.models import Count, Q, Sum
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.assets import storage
from articles.assets.tasks import archive_in_background
from articles.models import Asset, SourceCheck

from .inputs import SafeModelAdmin
from .readonly import RecordAdminMixin

THUMB_WIDTH = 360  # the smallest WebP copy


def thumbnail_url(asset):
    if asset.status != Asset.Status.FETCHED:
        return ""
    if THUMB_WIDTH in asset.variants:
        return storage.url(storage.variant_name(asset.sha256, THUMB_WIDTH))
    return storage.url(storage.original_name(asset.sha256, asset.kind))


def thumbnail(asset, width=80):
    url = thumbnail_url(asset)
    return format_html('<img src="{}" alt="" width="{}" loading="lazy">', url, width) if url else "—"


def human_size(n):
    return filesizeformat(n) if n is not None else "—"


def totals(assets):
    """Counts per status and archived bytes, in one query."""
    counts = assets.aggregate(
        images=Count("pk"),
        size=Sum("size", filter=Q(status=Asset.Status.FETCHED)),
        **{status: Count("pk", filter=Q(status=status)) for status in Asset.Status.values},
    )
    return {
        "images": counts["images"],
        "size": human_size(counts["size"] or 0),
        "by_status": [(label, counts[value]) for value, label in Asset.Status.choices if counts[value]],
    }


def enqueue(modeladmin, request, what, **scope):
    """Queue an archiving task for the worker and say so."""
    archive_in_background.enqueue(**scope)
    message = _("Archiving %(what)s in the background: refresh the archived images to follow it.")
    modeladmin.message_user(request, message % {"what": what}, messages.SUCCESS)


@admin.action(description=_("Archive images now"), permissions=["change"])
def archive_images_now(modeladmin, request, queryset):
    """Find and fetch the selected articles' images, failed ones included: a curator asked for them now."""
    ids = list(queryset.values_list("pk", flat=True))
    what = ngettext("the images of %(n)d article", "the images of %(n)d articles", len(ids)) % {"n": len(ids)}
    enqueue(modeladmin, request, what, article_ids=ids)


class ArticleFilter(admin.SimpleListFilter):
    """Only the images of one article (``?article=ID``, the link on the article's page)."""

    title = _("article")
    parameter_name = "article"

    def lookups(self, request, model_admin):
        value = self.value()
        return [(value, _("Article %(id)s") % {"id": value})] if value else []

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(article_links__article_id=int(value))
        return queryset


@admin.register(Asset)
class AssetAdmin(RecordAdminMixin, SafeModelAdmin):
    list_display = (
        "thumb",
        "url_link",
        "status",
        "file_size",
        "dimensions",
        "http_status",
        "error",
        "tries",
        "next_try_at",
    )
    list_filter = ("status", "kind", ArticleFilter)
    search_fields = ("url",)
    list_per_page = 100
    show_full_result_count = False
    actions = ["retry_now"]
    change_list_template = "admin/articles/asset/change_list.html"
    fields = (
        "thumb_large",
        "url_link",
        ("status", "http_status", "tries"),
        "error",
        ("fetched_at", "next_try_at"),
        ("kind", "file_size", "dimensions"),
        "sha256",
        "variants",
        "article_list",
    )

    def has_delete_permission(self, request, obj=None):
        return False  # a file may be shared by many URLs and articles

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context and "cl" in context:
            context["totals"] = totals(context["cl"].queryset)
        return response

    @admin.action(description=_("Retry the selected images now (failed ones too)"), permissions=["change"])
    def retry_now(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        enqueue(self, request, ngettext("%(n)d image", "%(n)d images", len(ids)) % {"n": len(ids)}, asset_ids=ids)

    @admin.display(description=_("thumbnail"))
    def thumb(self, asset):
        return thumbnail(asset)

    @admin.display(description=_("archived copy"))
    def thumb_large(self, asset):
        return thumbnail(asset, width=360)

    @admin.display(description=_("original URL"), ordering="url")
    def url_link(self, asset):
        return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', asset.url, asset.url)

    @admin.display(description=_("size"), ordering="size")
    def file_size(self, asset):
        return human_size(asset.size)

    @admin.display(description=_("width × height"))
    def dimensions(self, asset):
        return f"{asset.width} × {asset.height}" if asset.width else "—"

    @admin.display(description=_("articles"))
    def article_list(self, asset):
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:articles_article_change", args=[a.pk]), a.title) for a in asset.articles.all()[:50]),
        )


class SourceFilter(admin.SimpleListFilter):
    """What the last source check found (``archive_assets --check-sources``)."""

    title = _("source")
    parameter_name = "source"
    UNCHECKED = "unchecked"

    def lookups(self, request, model_admin):
        return [*SourceCheck.Status.choices, (self.UNCHECKED, _("Not checked"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.UNCHECKED:
            return queryset.exclude(original_url="").filter(source_check__isnull=True)
        if value in SourceCheck.Status.values:
            return queryset.filter(source_check__status=value)
        return queryset


def article_images(article):
    """The article change form's "Images" field: each image's thumbnail, status and size, and totals."""
    if not article.pk:
        return "—"
    assets = Asset.objects.filter(article_links__article=article).order_by("id")
    rows = format_html_join(
        "\n",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        ((thumbnail(a), a.get_status_display(), human_size(a.size), a.error or "", a.url[:120]) for a in assets[:100]),
    )
    summary = totals(assets)
    if not summary["images"]:
        return _("No remote images found yet (run “Archive images now”).")
    counts = ", ".join(f"{label}: {n}" for label, n in summary["by_status"])
    link = reverse("admin:articles_asset_changelist") + f"?article={article.pk}"
    return format_html(
        '<p>{} · {} · {} · <a href="{}">{}</a></p><table class="archived-images">{}</table>',
        ngettext("%(n)d image", "%(n)d images", summary["images"]) % {"n": summary["images"]},
        counts,
        summary["size"],
        link,
        _("Manage and retry"),
        rows,
    )
