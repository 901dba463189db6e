"""Sources in the admin: each with its status, last commit, last sync, counts and next due time;
"Sync now" (queued for the worker); the source's runs. Articles removed from their sources get a
filter and, on their page, where and when they were removed."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles.core.locations import redact
from articles.models import ImportRun, Source, SourceRemoval, SyncedFile
from articles.sources.status import describe
from articles.sources.tasks import request_sync

from .inputs import SafeModelAdmin, checked_id

RUNS_SHOWN = 20


class SourceForm(forms.ModelForm):
    """The folders one a line; the secret write-only (empty keeps it)."""

    folders = forms.CharField(
        label=gettext_lazy("folders"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One a line, such as _posts or news/_posts; . for the whole repository. Empty: _posts, _drafts "
            "and collections (top-level folders starting with _)."
        ),
    )
    new_secret = forms.CharField(
        label=gettext_lazy("push hook secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("The secret the push hook is signed with. Leave empty to keep the current one."),
    )
    clear_secret = forms.BooleanField(
        label=gettext_lazy("remove the secret (the hook then refuses every push)"), required=False
    )

    class Meta:
        model = Source
        fields = ("name", "location", "branch", "folders", "every_minutes", "hide_removed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["folders"] = "\n".join(self.instance.folders or [])

    def save(self, commit=True):
        if self.cleaned_data.get("clear_secret"):
            self.instance.secret = ""
        elif self.cleaned_data.get("new_secret"):
            self.instance.secret = self.cleaned_data["new_secret"]
        return super().save(commit)


@admin.register(Source)
class SourceAdmin(SafeModelAdmin):
    form = SourceForm
    list_display = ("name", "status", "last_commit_display", "last_synced_at", "counts", "next_due", "location_shown")
    list_per_page = 100
    actions = ["sync_now"]
    change_form_template = "admin/articles/source/change_form.html"
    readonly_fields = ("status", "last_commit_display", "last_synced_at", "counts", "next_due", "hook", "runs")
    fieldsets = (
        (None, {"fields": ("name", "location", "branch", "folders", ("every_minutes", "hide_removed"))}),
        (gettext_lazy("Push hook"), {"fields": ("hook", "new_secret", "clear_secret")}),
        (
            gettext_lazy("Status"),
            {"fields": ("status", "last_commit_display", "last_synced_at", "next_due", "counts", "runs")},
        ),
    )

    def get_queryset(self, request):
        live = Q(files__removed_at=None, files__article__isnull=False)
        return (
            super()
            .get_queryset(request)
            .annotate(
                article_count=Count("files__article", filter=live, distinct=True),
                removed_count=Count("removals", distinct=True),
                failed_count=Count("files", filter=Q(files__failed=True, files__removed_at=None), distinct=True),
            )
        )

    def get_urls(self):
        return [
            path("<path:object_id>/sync/", self.admin_site.admin_view(self.sync_view), name="articles_source_sync"),
            *super().get_urls(),
        ]

    @admin.action(description=gettext_lazy("Sync now (in the background)"), permissions=["change"])
    def sync_now(self, request, queryset):
        queued = sum(request_sync(pk) for pk in queryset.values_list("pk", flat=True))
        message = ngettext("%(n)d sync queued for the worker.", "%(n)d syncs queued for the worker.", queued)
        self.message_user(request, message % {"n": queued}, messages.SUCCESS)

    def sync_view(self, request, object_id):
        """The change page's "Sync now" button (POST): one sync queued for the worker."""
        checked_id(self.opts.pk, object_id)
        source = self.get_object(request, object_id)
        if source is None or request.method != "POST":
            return HttpResponseRedirect(reverse("admin:articles_source_changelist"))
        if not self.has_change_permission(request, source):
            raise PermissionDenied
        if request_sync(source.pk):
            self.message_user(request, _("Sync queued: the worker runs it in a moment."), messages.SUCCESS)
        else:
            self.message_user(request, _("A sync of this source is queued already."), messages.INFO)
        return HttpResponseRedirect(reverse("admin:articles_source_change", args=[source.pk]))

    @admin.display(description=gettext_lazy("location"))
    def location_shown(self, source):
        return redact(source.location)

    @admin.display(description=gettext_lazy("status"))
    def status(self, source):
        if source.pk is None:
            return "—"
        now = describe(source)
        if now.name == "failing":
            return format_html('<span class="errornote-inline">{}: {}</span>', now.label, source.last_error)
        return now.label

    @admin.display(description=gettext_lazy("last commit"))
    def last_commit_display(self, source):
        if not source.last_commit:
            return "—"
        return format_html("<code>{}</code> {}", source.last_commit[:7], source.last_commit_message)

    @admin.display(description=gettext_lazy("next sync"))
    def next_due(self, source):
        due = source.next_due_at
        if due is None:
            return _("not scheduled")
        if due <= timezone.now():
            return _("due now")
        return timezone.localtime(due).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=gettext_lazy("articles"))
    def counts(self, source):
        if source.pk is None:
            return "—"
        return _("%(articles)s articles, %(removed)s removed, %(failed)s files failing") % {
            "articles": getattr(source, "article_count", 0),
            "removed": getattr(source, "removed_count", 0),
            "failed": getattr(source, "failed_count", 0),
        }

    @admin.display(description=gettext_lazy("push hook"))
    def hook(self, source):
        if source.pk is None:
            return _("Save the source first.")
        url = reverse("articles:source-hook", args=[source.name])
        state = _("a secret is set") if source.secret else _("no secret: the hook refuses every push")
        return format_html("<code>POST {}</code> ({}; content type application/json)", url, state)

    @admin.display(description=gettext_lazy("runs"))
    def runs(self, source):
        if source.pk is None:
            return "—"
        runs = ImportRun.objects.filter(source_sync__source=source).select_related("source_sync")[:RUNS_SHOWN]
        rows = format_html_join(
            "\n",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>',
            (
                (
                    reverse("admin:articles_importrun_change", args=[run.pk]),
                    timezone.localtime(run.started_at).strftime("%Y-%m-%d %H:%M"),
                    run.state.label,
                    f"{run.source_sync.from_commit[:7] or '∅'}..{run.source_sync.to_commit[:7]}",
                    _run_counts(run),
                )
                for run in runs
            ),
        )
        if not rows:
            return _("No run yet.")
        every = reverse("admin:articles_importrun_changelist") + f"?sync_source={source.pk}"
        return format_html(
            '<table><tbody>{}</tbody></table><p><a href="{}">{}</a></p>', rows, every, _("Every run of this source")
        )


def _run_counts(run):
    sync = run.source_sync
    return _(
        "%(created)d created, %(updated)d updated, %(failed)d failed, %(renamed)d renamed, %(removed)d removed"
    ) % {
        "created": run.created,
        "updated": run.updated,
        "failed": run.failed,
        "renamed": sync.renamed,
        "removed": sync.removed,
    }


class SyncSourceFilter(admin.SimpleListFilter):
    """Import runs of one source's syncs (the source page's "Every run of this source")."""

    title = gettext_lazy("synced source")
    parameter_name = "sync_source"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Source.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(source_sync__source_id=int(value))
        return queryset


class RemovedFilter(admin.SimpleListFilter):
    """Articles whose every source file was deleted (kept, or hidden as their source says)."""

    title = gettext_lazy("removed from its source")
    parameter_name = "removed"

    def lookups(self, request, model_admin):
        return [("yes", _("Removed")), ("no", _("Still in its source"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(source_removal__isnull=False)
        if self.value() == "no":
            return queryset.filter(synced_files__isnull=False, source_removal__isnull=True).distinct()
        return queryset


def article_sources(article):
    """The article change form's "Sources" field: the files that give it, and its removal's commit."""
    if not article.pk:
        return "—"
    files = SyncedFile.objects.filter(article=article).select_related("source").order_by("source__name", "path")
    rows = format_html_join(
        "\n",
        "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                row.source.name,
                row.path,
                _("removed in commit %(commit)s on %(day)s")
                % {"commit": row.removed_commit[:12], "day": timezone.localtime(row.removed_at).strftime("%Y-%m-%d")}
                if row.removed_at
                else _("in the source"),
            )
            for row in files[:50]
        ),
    )
    removal = SourceRemoval.objects.filter(article=article).first()
    note = (
        format_html(
            "<p>{}</p>",
            _("Removed from its source %(source)s on %(day)s (commit %(commit)s, %(path)s).")
            % {
                "source": removal.source_name,
                "day": timezone.localtime(removal.removed_at).strftime("%Y-%m-%d"),
                "commit": removal.commit[:12],
                "path": removal.path,
            },
        )
        if removal
        else ""
    )
    if not rows:
        return note or "—"
    return format_html("{}<table><tbody>{}</tbody></table>", note, rows)
