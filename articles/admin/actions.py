"""Bulk actions on the article change list. Each reports how many articles it changed."""

from functools import partial

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from articles.curation import bulk
from articles.models import Article

from .forms import CategoryActionForm, HideForm, TagsActionForm
from .intermediate import action_form_data, render_action_page


def _apply(modeladmin, request, queryset, done, change):
    """Run ``change()`` and report how many of the selected articles it changed."""
    selected = queryset.count()
    _report(modeladmin, request, change(), done, selected)


def _report(modeladmin, request, changed, done, selected=None):
    message = ngettext("%(count)d article %(done)s.", "%(count)d articles %(done)s.", changed) % {
        "count": changed,
        "done": done,
    }
    if selected is not None and selected != changed:
        message += " " + _("The other %(n)d already were.") % {"n": selected - changed}
    modeladmin.message_user(request, message, messages.SUCCESS if changed else messages.WARNING)


def _at_once(name, description, done, change):
    """An action that changes the selected articles without asking anything: ``change(queryset, user=...)``."""

    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        _apply(modeladmin, request, queryset, done, lambda: change(queryset, user=request.user))

    action.__name__ = name
    return action


publish = _at_once(
    "publish",
    _("Publish selected articles"),
    pgettext_lazy("done to articles", "published"),
    partial(bulk.set_status, status=Article.Status.PUBLISHED),
)
return_to_draft = _at_once(
    "return_to_draft",
    _("Return selected articles to draft"),
    pgettext_lazy("done to articles", "returned to draft"),
    partial(bulk.set_status, status=Article.Status.DRAFT),
)
feature = _at_once(
    "feature",
    _("Feature selected articles"),
    pgettext_lazy("done to articles", "featured"),
    partial(bulk.set_featured, featured=True),
)
unfeature = _at_once(
    "unfeature",
    _("Unfeature selected articles"),
    pgettext_lazy("done to articles", "unfeatured"),
    partial(bulk.set_featured, featured=False),
)


@admin.action(description=_("Hide selected articles (with a reason)…"), permissions=["change"])
def hide(modeladmin, request, queryset):
    form = HideForm(action_form_data(request))
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"]
        _apply(
            modeladmin,
            request,
            queryset,
            pgettext_lazy("done to articles", "hidden"),
            lambda: bulk.set_status(queryset, Article.Status.HIDDEN, reason=reason, user=request.user),
        )
        return None
    return render_action_page(
        modeladmin,
        request,
        queryset,
        form,
        title=_("Hide articles"),
        action="hide",
        intro=_("Hidden articles disappear from the public site; staff still see them, with this reason."),
    )


@admin.action(description=_("Add tags to selected articles…"), permissions=["change"])
def add_tags(modeladmin, request, queryset):
    form = TagsActionForm(action_form_data(request))
    if form.is_bound and form.is_valid():
        tags = form.tag_list()
        _apply(
            modeladmin,
            request,
            queryset,
            pgettext_lazy("done to articles", "got new tags"),
            lambda: bulk.add_tags(queryset, tags, user=request.user),
        )
        return None
    return render_action_page(modeladmin, request, queryset, form, title=_("Add tags"), action="add_tags")


@admin.action(description=_("Remove tags from selected articles…"), permissions=["change"])
def remove_tags(modeladmin, request, queryset):
    form = TagsActionForm(action_form_data(request), create=False)
    if form.is_bound and form.is_valid():
        _apply(
            modeladmin,
            request,
            queryset,
            pgettext_lazy("done to articles", "lost tags"),
            lambda: bulk.remove_tags(queryset, form.tag_list(), user=request.user),
        )
        return None
    return render_action_page(modeladmin, request, queryset, form, title=_("Remove tags"), action="remove_tags")


@admin.action(description=_("Set category of selected articles…"), permissions=["change"])
def set_category(modeladmin, request, queryset):
    form = CategoryActionForm(action_form_data(request))
    if form.is_bound and form.is_valid():
        category = form.cleaned_data["category"]
        _apply(
            modeladmin,
            request,
            queryset,
            pgettext_lazy("done to articles", "moved to %(category)s") % {"category": category},
            lambda: bulk.set_category(queryset, category, replace=form.cleaned_data["replace"], user=request.user),
        )
        return None
    return render_action_page(modeladmin, request, queryset, form, title=_("Set category"), action="set_category")


ARTICLE_ACTIONS = [publish, hide, return_to_draft, feature, unfeature, add_tags, remove_tags, set_category]
