"""The intermediate page of an admin action that needs input (a reason, tags, which one to keep)."""

from django.contrib.admin import helpers
from django.template.response import TemplateResponse

PREVIEW = 20


def action_form_data(request):
    """The POST data when the intermediate form was submitted, else None (first visit)."""
    return request.POST if request.POST.get("apply") else None


def render_action_page(modeladmin, request, queryset, form, *, title, action, intro="", button=""):
    opts = modeladmin.model._meta
    select_across = request.POST.get("select_across") == "1"
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "button": button or title,
        "form": form,
        "media": modeladmin.media + form.media,
        "opts": opts,
        "action": action,
        "select_across": select_across,
        "selected_ids": [] if select_across else request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "preview": list(queryset[:PREVIEW]),
        "count": queryset.count(),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/articles/action_form.html", context)
