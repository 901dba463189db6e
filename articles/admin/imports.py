"""Import runs: the upload page that queues an import, and the read-only list and pages of runs."""

import json

from django.contrib import admin, messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.curation.upload_runs import LIVE_STATES, queue_upload
from articles.curation.uploads import UploadError, UploadLimits
from articles.models import ImportRun

from .forms import ImportUploadForm
from .inputs import SafeModelAdmin
from .readonly import RecordAdminMixin
from .sources import SyncSourceFilter

RUN_IMPORT = "articles.run_import"
REFRESH_SECONDS = 2


@admin.register(ImportRun)
class ImportRunAdmin(RecordAdminMixin, SafeModelAdmin):
    list_display = (
        "started_at",
        "state_display",
        "user",
        "source",
        "dry_run",
        "overwrite",
        "created",
        "updated",
        "unchanged",
        "skipped",
        "failed",
        "conflict_count",
    )
    list_filter = ("source", SyncSourceFilter, "dry_run", "overwrite", "started_at")
    list_select_related = ("user",)
    date_hierarchy = "started_at"
    list_per_page = 100
    show_full_result_count = False
    change_list_template = "admin/articles/importrun/change_list.html"
    change_form_template = "admin/articles/importrun/change_form.html"
    fields = (
        "state_display",
        ("started_at", "finished_at"),
        ("user", "source"),
        ("dry_run", "overwrite"),
        ("created", "updated", "unchanged", "skipped", "failed"),
        "paths",
        "error_table",
        "conflict_table",
        "note_table",
        ("host", "pid", "heartbeat_at"),
    )

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("state"))
    def state_display(self, run):
        state = run.state
        if state == ImportRun.State.RUNNING and run.files_total:
            return format_html(
                '{}: <progress value="{}" max="{}"></progress> {}',
                state.label,
                run.files_done,
                run.files_total,
                _("%(done)s of %(total)s files")
                % {"done": intcomma(run.files_done), "total": intcomma(run.files_total)},
            )
        if state == ImportRun.State.FAILED:
            return f"{state.label}: {run.failure}"
        if state == ImportRun.State.INTERRUPTED:
            return _("interrupted: its process stopped before the end")
        if state == ImportRun.State.QUEUED:
            return _("queued: waiting for the import worker")
        if run.dry_run:
            return _("finished: a dry run, nothing was written")
        return state.label

    @admin.display(description=gettext_lazy("conflicts"))
    def conflict_count(self, run):
        return len(run.conflicts or [])

    @admin.display(description=gettext_lazy("errors"))
    def error_table(self, run):
        return _pairs_table(run.errors, _("File"), _("Reason"))

    @admin.display(description=gettext_lazy("conflicts"))
    def conflict_table(self, run):
        return _pairs_table(run.conflicts, _("File"), _("Field kept from the curator"))

    @admin.display(description=gettext_lazy("notes"))
    def note_table(self, run):
        return _pairs_table(run.notes, _("File"), _("Note"))

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="articles_importrun_upload"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_run_import": request.user.has_perm(RUN_IMPORT)}
        return super().changelist_view(request, extra_context)

    def upload_view(self, request):
        if not request.user.has_perm(RUN_IMPORT):
            raise PermissionDenied
        limits = UploadLimits.from_settings()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import posts"),
            "opts": self.opts,
            "limits": limits,
        }
        form = ImportUploadForm()
        if request.method == "POST":
            try:
                form = ImportUploadForm(request.POST, request.FILES)
                valid = form.is_valid()
            except TooManyFilesSent:
                messages.error(request, _("Too many files in one upload: send a .zip of the folder instead."))
                valid = False
            except RequestDataTooBig:
                messages.error(request, _("The upload is too large for the server."))
                valid = False
            if valid:
                try:
                    run = queue_upload(
                        form.cleaned_data["files"],
                        user=request.user,
                        dry_run=form.cleaned_data["dry_run"],
                        overwrite=form.cleaned_data["overwrite"],
                    )
                except UploadError as exc:
                    form.add_error("files", str(exc))
                else:
                    messages.success(request, _("Upload received: the import runs in the background."))
                    return HttpResponseRedirect(reverse("admin:articles_importrun_change", args=[run.pk]))
        context["form"] = form
        return TemplateResponse(request, "admin/articles/importrun/upload.html", context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The run page reloads itself (a meta refresh: no script) while the run is queued or running."""
        if obj is not None and obj.state in LIVE_STATES:
            context["refresh_seconds"] = REFRESH_SECONDS
        context["can_run_import"] = request.user.has_perm(RUN_IMPORT)
        return super().render_change_form(request, context, add, change, form_url, obj)


def _pairs_table(pairs, *headers):
    if not pairs:
        return "—"
    rows = [
        [item if isinstance(item, str) else json.dumps(item, ensure_ascii=False) for item in pair] for pair in pairs
    ]
    head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
    body = format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", (tuple(row[:2]) for row in rows))
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body)
