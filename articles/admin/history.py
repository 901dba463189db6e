"""The article's history pages: each version's tags and categories, and reverts that restore them."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from articles.curation.history import split_reason, with_relations
from articles.models import CATEGORIES, TAGS
from articles.search import update_index

from .inputs import checked_id


def form_relations(form):
    """The tag and category names a valid article form is about to save."""
    return {
        "tags": [str(tag) for tag in form.cleaned_data.get("tags") or []],
        "categories": [str(category) for category in form.cleaned_data.get("categories") or []],
    }


def relation_changes(newer, older):
    """["tags +台海 −旧闻", "categories +国际"] between two recorded versions."""
    changes = []
    for kind, label in (("tags", _("tags")), ("categories", _("categories"))):
        added = sorted(set(newer[kind]) - set(older[kind]))
        removed = sorted(set(older[kind]) - set(newer[kind]))
        if added or removed:
            changes.append(" ".join([label, *(f"+{n}" for n in added), *(f"−{n}" for n in removed)]))
    return changes


class RelationsHistoryAdmin(SimpleHistoryAdmin):
    """History list and revert page aware of the tag and category names recorded with each version."""

    object_history_form_template = "admin/articles/article/object_history_form.html"

    def history_view(self, request, object_id, extra_context=None):
        checked_id(self.opts.pk, object_id)  # simple-history filters on it as it is: "abc" was a 500
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        history = self.model.history
        checked_id(self.opts.pk, object_id)
        checked_id(history.model._meta.pk, version_id)
        record = get_object_or_404(
            history.only("history_id", "history_date", "history_change_reason"), id=object_id, history_id=version_id
        )
        _text, relations = split_reason(record.history_change_reason)
        revert = None
        if relations is not None:
            tags, new_tags = TAGS.find_by_names(relations["tags"])
            categories, lost = CATEGORIES.find_by_names(relations["categories"])
            revert = {"tags": tags, "new_tags": new_tags, "categories": categories, "lost_categories": lost}
        request.revert_initial = revert
        request.reverting_to = record
        context = {**(extra_context or {}), "version_relations": relations, "revert": revert}
        response = super().history_form_view(request, object_id, version_id, context)
        if request.method == "POST" and response.status_code == 302:
            update_index([int(object_id)])  # the form saved tags and categories too
        return response

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        revert = getattr(request, "revert_initial", None)
        if revert is None:
            return form
        return type(form.__name__, (form,), {"revert_initial": revert})

    def revert_reason(self, request):
        """ "Reverted to the version of 2026-11-26 07:50" while a revert form is saved, else None."""
        record = getattr(request, "reverting_to", None)
        if record is None:
            return None
        when = timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M:%S")
        return _("Reverted to the version of %(when)s") % {"when": when}

    def change_reason_with_relations(self, request, reason, form):
        """The row's reason ("Reverted to …" during a revert) with the names the form saves."""
        return with_relations(self.revert_reason(request) or reason, form_relations(form))

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Field changes (simple-history's), then each row's reason, names and tag/category changes."""
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        records = list(historical_records)
        for record in records:
            record.reason_text, record.relations = split_reason(record.history_change_reason)
        for newer, older in zip(records, records[1:], strict=False):
            if newer.relations is not None and older.relations is not None:
                newer.relation_changes = relation_changes(newer.relations, older.relations)
