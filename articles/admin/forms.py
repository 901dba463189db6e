"""Forms of the curation admin: the article form and the intermediate pages of bulk actions."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles.importer.clean import clean_html
from articles.importer.files import POST_SUFFIXES
from articles.models import TAGS, Article, Category, max_length
from articles.text.spaces import one_line

from .choices import CheckedModelMultipleChoiceField, SafeAutocompleteSelect, SafeAutocompleteSelectMultiple

TAG_NAME_MAX = max_length(Tag, "name")


def _tag_autocomplete(multiple=True):
    widget = SafeAutocompleteSelectMultiple if multiple else SafeAutocompleteSelect
    return widget(Article._meta.get_field("tags"), admin.site)


class TagChoiceField(CheckedModelMultipleChoiceField):
    """Existing tags, picked with the admin's autocomplete (it only renders the selected ones)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Tag.objects.all())
        kwargs.setdefault("widget", _tag_autocomplete())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class NewTagsField(forms.CharField):
    """Comma-separated names of tags, created when they do not exist yet."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("help_text", _("Comma-separated; tags that do not exist yet are created."))
        super().__init__(**kwargs)

    def clean(self, value):
        names = TAGS.parse_names(super().clean(value) or "")
        too_long = [name for name in names if len(name) > TAG_NAME_MAX]
        if too_long:
            raise forms.ValidationError(
                _("Tag names have at most %(max)s characters: %(name)s"),
                params={"max": TAG_NAME_MAX, "name": too_long[0]},
            )
        return names


def https_urls(field, **kwargs):
    """Model form fields, with URLs typed without a scheme read as https://."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ArticleAdminForm(forms.ModelForm):
    tags = TagChoiceField(label=_("Tags"))
    new_tags = NewTagsField(label=_("New tags"))
    revert_initial = None  # on the revert page: the tags and categories of that version

    class Meta:
        model = Article
        formfield_callback = https_urls
        fields = [
            "title",
            "slug",
            "status",
            "hidden_reason",
            "published_at",
            "featured",
            "author",
            "categories",
            "tags",
            "excerpt",
            "body_html",
            "lead_image_url",
            "lead_image_caption",
            "reading_time",
            "original_url",
            "legacy_slug",
        ]
        widgets = {
            "title": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "body_html": forms.Textarea(attrs={"rows": 24, "class": "vLargeTextField"}),
            "excerpt": forms.Textarea(attrs={"rows": 3}),
            "lead_image_caption": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "tags" in self.fields:
            self.initial["tags"] = list(self.instance.tags.all())
        if self.revert_initial is not None and not self.is_bound:
            self.initial["tags"] = self.revert_initial["tags"]
            self.initial["new_tags"] = ", ".join(self.revert_initial["new_tags"])
            self.initial["categories"] = self.revert_initial["categories"]

    def clean_title(self):
        return one_line(self.cleaned_data.get("title"))

    def clean_author(self):
        return one_line(self.cleaned_data.get("author"))

    def clean_hidden_reason(self):
        return one_line(self.cleaned_data.get("hidden_reason"))

    def clean_body_html(self):
        return clean_html(self.cleaned_data.get("body_html") or "")

    def clean(self):
        cleaned = super().clean()
        if "tags" in cleaned:
            # Typed names: existing tags (or aliases) are linked; the others reach taggit as
            # strings and are created when the form saves.
            found, missing = TAGS.find_by_names(cleaned.get("new_tags") or [])
            tags = list(cleaned.get("tags") or [])
            cleaned["tags"] = tags + [tag for tag in found if tag not in tags] + missing
        if "hidden_reason" in cleaned:
            try:
                cleaned["hidden_reason"] = Article.hidden_reason_for(cleaned.get("status"), cleaned["hidden_reason"])
            except ValueError:
                self.add_error("hidden_reason", _("Say why the article is hidden; staff see the reason."))
        return cleaned


class ActionForm(forms.Form):
    """The part every intermediate action page posts back: which action, and ``apply``."""

    apply = forms.BooleanField(widget=forms.HiddenInput, initial=True)


class HideForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=max_length(Article, "hidden_reason"),
        help_text=_("Shown to staff on the article; readers only get “not found”."),
        widget=forms.TextInput(attrs={"class": "vLargeTextField"}),
    )

    def clean_reason(self):
        reason = one_line(self.cleaned_data["reason"])
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason


class TagsActionForm(ActionForm):
    tags = TagChoiceField(label=_("Tags"))
    new_tags = NewTagsField(label=_("Or type tag names"))

    def __init__(self, *args, create=True, **kwargs):
        self.create = create
        super().__init__(*args, **kwargs)
        if not create:
            self.fields["new_tags"].help_text = _("Comma-separated names of existing tags.")

    def clean(self):
        cleaned = super().clean()
        found, missing = TAGS.find_by_names(cleaned.get("new_tags") or [])
        if missing and not self.create:
            self.add_error("new_tags", _("No such tag: %(names)s") % {"names": ", ".join(missing)})
        tags = list(cleaned.get("tags") or [])
        tags += [tag for tag in found if tag not in tags]
        if not tags and not missing:
            raise forms.ValidationError(_("Choose at least one tag."))
        cleaned["tag_list"] = tags
        cleaned["missing_names"] = missing
        return cleaned

    def tag_list(self):
        """The chosen tags, creating the typed names that are new (call after is_valid)."""
        return self.cleaned_data["tag_list"] + TAGS.resolve(self.cleaned_data["missing_names"])


class CategoryActionForm(ActionForm):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        widget=SafeAutocompleteSelect(Article._meta.get_field("categories"), admin.site),
    )
    replace = forms.BooleanField(
        label=_("Replace their other categories"),
        required=False,
        initial=True,
        help_text=_("Unticked, the category is added to the ones they have."),
    )


class KeepChoiceForm(ActionForm):
    """Merging: which of the selected objects survives."""

    keep = forms.ModelChoiceField(label=_("Keep"), queryset=None, widget=forms.RadioSelect, empty_label=None)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = queryset


class DuplicateMergeForm(forms.Form):
    keep = forms.ModelChoiceField(queryset=Article.objects.all(), widget=forms.HiddenInput)
    other = forms.ModelChoiceField(queryset=Article.objects.all(), widget=forms.HiddenInput)
    delete = forms.BooleanField(required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep") and cleaned.get("keep") == cleaned.get("other"):
            raise forms.ValidationError(_("An article cannot be merged into itself."))
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join([*sorted(POST_SUFFIXES), ".zip"])}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Post files or a .zip"),
        help_text=_("Markdown or HTML posts with front matter, or a .zip of a Jekyll folder (_posts, _drafts…)."),
    )
    dry_run = forms.BooleanField(label=_("Dry run: check and report, write nothing"), required=False)
    overwrite = forms.BooleanField(
        label=_("Overwrite curators' edits with the source values"),
        required=False,
        help_text=_("Recorded in each article's history, so it can be reverted."),
    )
