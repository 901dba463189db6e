"""The "possible duplicates" page: candidate pairs, and merging one into the other."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from articles.curation.duplicates import attach_articles, find_duplicate_pairs, merge_articles
from articles.models import Article

from .forms import DuplicateMergeForm

PAIRS_PER_PAGE = 50
REASONS = {"title": gettext_lazy("same title, close dates"), "text": gettext_lazy("same text")}


def duplicates_view(model_admin):
    def view(request):
        if not model_admin.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            return _merge(model_admin, request)
        pairs = find_duplicate_pairs(Article.objects.exclude(status=Article.Status.HIDDEN))
        page = Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("p"))
        rows = attach_articles(page.object_list)
        for pair in rows:
            pair.reason_labels = [REASONS[reason] for reason in sorted(pair.reasons)]
        context = {
            **model_admin.admin_site.each_context(request),
            "title": _("Possible duplicates"),
            "opts": model_admin.opts,
            "page": page,
            "pairs": rows,
            "can_delete": model_admin.has_delete_permission(request),
        }
        return TemplateResponse(request, "admin/articles/article/duplicates.html", context)

    return view


def _merge(model_admin, request):
    form = DuplicateMergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(request.get_full_path())
    keep, other = form.cleaned_data["keep"], form.cleaned_data["other"]
    delete = form.cleaned_data["delete"]
    if delete and not model_admin.has_delete_permission(request, other):
        raise PermissionDenied
    title = other.title
    merge_articles(keep, other, delete=delete, user=request.user)
    done = pgettext("done to articles", "deleted") if delete else pgettext("done to articles", "hidden")
    messages.success(
        request,
        _("Merged “%(other)s” into “%(keep)s” (tags, categories and URL moved); it was %(done)s.")
        % {"other": title, "keep": keep.title, "done": done},
    )
    return redirect(request.get_full_path())
