"""Malformed input in the admin (ids, dates, selections) gets a 404 or the admin's own error, never a 500."""

import re
from datetime import date
from functools import cache

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import DateTimeField
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.core import periods

from .choices import (
    CheckedModelMultipleChoiceField,
    SafeAutocompleteSelect,
    SafeAutocompleteSelectMultiple,
    is_value_of,
)

PARTS = ("year", "month", "day")
DATETIME_LOOKUPS = ("", "exact", "gt", "gte", "lt", "lte")


def checked_id(field, value):
    """Http404 unless ``value`` from a URL can be one of ``field``'s values (``abc`` is no number)."""
    if not is_value_of(field, unquote(value)):
        raise Http404(f"No such {field.model._meta.verbose_name}.")


def hierarchy_period(values):
    """``(start, end)`` of the date hierarchy's year, month and day values (each None or a list)."""
    year, month, day = (None if value is None else value[-1] for value in values)
    numbers = [part for part in (year, month, day) if part is not None]
    if not all(re.fullmatch(r"[0-9]{1,4}", part) for part in numbers):
        raise IncorrectLookupParameters(f"Not a date: {'-'.join(numbers)}")
    try:
        if day is not None:
            return periods.days(date(int(year), int(month or 1), int(day)))
        if month is not None:
            return periods.month(int(year), int(month))
        return periods.year(int(year))
    except ValueError as exc:
        raise IncorrectLookupParameters(exc) from exc


def aware_lookup(model, key, value):
    """A date-time lookup's value (a list filter's ``started_at__gte``) as the database can take it.

    A value without a time zone is read in the site's (Django would only warn), and one the
    database cannot store (0001-01-01 in Singapore is year 0 in UTC) is the admin's error instead
    of an OverflowError when the list is read. Valid values are returned as sent: list filters
    compare them with their own links.
    """
    name, _, lookup = key.partition("__")
    field = next((field for field in model._meta.concrete_fields if field.name == name), None)
    if not isinstance(field, DateTimeField) or lookup not in DATETIME_LOOKUPS:
        return value
    try:
        moment = field.to_python(value)
    except ValidationError:
        return value  # Django's filters answer that with the admin's error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    elif periods.storable(moment):
        return value
    if not periods.storable(moment):
        raise IncorrectLookupParameters(f"{key}: out of range")
    return moment


class CalendarChangeList(ChangeList):
    """Date filters bounded through ``periods``: the date hierarchy's ``__year``/``__month``/``__day``
    and any date-time lookup (see ``aware_lookup``).

    Django's own bounds overflow at the edges of the calendar (the year after 9999, year 0 in
    UTC for 1 January of year 1 in Singapore) and a huge year is an OverflowError: all 500s.
    """

    def get_filters(self, request):
        params, bounds = self.checked_params()
        everything = self.filter_params
        self.filter_params = params
        try:
            specs, has_filters, remaining, duplicates, active = super().get_filters(request)
        finally:
            self.filter_params = everything  # links keep the query as it was sent
        remaining.update(bounds)
        return specs, has_filters, remaining, duplicates, active

    def checked_params(self):
        """The filter parameters with date-times checked, and the date hierarchy's as bounds."""
        sent = self.filter_params.items()
        params = {key: [aware_lookup(self.model, key, value) for value in values] for key, values in sent}
        field = self.date_hierarchy
        keys = [f"{field}__{part}" for part in PARTS]
        if not field or keys[0] not in params:
            return params, {}
        bounds = periods.lookups(field, *hierarchy_period([params.get(key) for key in keys]))
        return {key: value for key, value in params.items() if key not in keys}, {k: [v] for k, v in bounds.items()}


@cache
def calendar_changelist(base):
    """``base`` (an admin's change list class) with ``CalendarChangeList``'s date filters."""
    if issubclass(base, CalendarChangeList):
        return base
    return type(f"Calendar{base.__name__}", (CalendarChangeList, base), {})


def validate_storable(moment):
    """A date and time the database can store and the site can show: a local time of year 1 before
    the zone's offset (6:55:25 in Singapore, then) is year 0 in UTC, and one late on 9999-12-31 west
    of UTC is year 10000; saving either was an OverflowError."""
    if moment is not None and not periods.storable(moment):
        raise ValidationError(_("Choose a time between the years 1 and 9999."), code="out_of_range")


class SafeInputsMixin:
    """For every model admin: calendar-safe date filters and date-time fields, checked selections and
    related-row choices."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, DateTimeField) and formfield is not None:
            formfield.validators.append(validate_storable)
        return formfield

    def get_changelist(self, request, **kwargs):
        return calendar_changelist(super().get_changelist(request, **kwargs))

    def response_action(self, request, queryset):
        """An action on ``_selected_action=abc`` made Django's ``pk__in`` query a ValueError."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(is_value_of(self.opts.pk, value) for value in selected):
            self.message_user(request, _("The selection names no existing items."), messages.WARNING)
            return None
        return super().response_action(request, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        kwargs.setdefault("form_class", CheckedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class SafeModelAdmin(SafeInputsMixin, admin.ModelAdmin):
    pass


def adopt_every_admin(site):
    """Register every model admin the archive did not write (auth's users and groups, django-axes'
    lockouts, django-tasks' results) again with ``SafeInputsMixin``: their date hierarchies and bulk
    actions had the same 500s. Called once every app has registered its admins."""
    for model, model_admin in list(site._registry.items()):
        if not isinstance(model_admin, SafeInputsMixin):
            base = type(model_admin)
            site.unregister(model)
            site.register(model, type(base.__name__, (SafeInputsMixin, base), {"__module__": base.__module__}))
