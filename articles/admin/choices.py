"""Choosing related rows in forms: posted values may be anything, the answer is a form error, not a 500."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


def is_value_of(field, value):
    """True when ``value`` (text from a request) can be stored in ``field``: ``abc`` is no id, and
    neither is 99999999999999999999, which SQLite cannot even compare (OverflowError)."""
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class KnownValuesMixin:
    """Looks up only the posted values that can be ids.

    Django's widget queries the selected values to label them; when a form with errors is shown
    again, a posted ``categories=None`` or ``tags=abc`` made that query a ValueError (500).
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field  # the field Django's widget looks values up by
        target = remote.model._meta.get_field(getattr(remote, "field_name", remote.model._meta.pk.attname))
        return super().optgroups(name, [item for item in value if is_value_of(target, item)], attr)


class SafeAutocompleteSelect(KnownValuesMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(KnownValuesMixin, AutocompleteSelectMultiple):
    pass


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses a value that cannot be an id before Django's ``pk__in`` query, which raised an
    OverflowError (SQLite) or DataError (PostgreSQL) for 99999999999999999999."""

    def _check_values(self, value):
        field = self.queryset.model._meta.get_field(self.to_field_name or self.queryset.model._meta.pk.name)
        for item in value if isinstance(value, list | tuple | set | frozenset) else ():
            if not is_value_of(field, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                )
        return super()._check_values(value)
