"""Column rules every model and writer shares: lengths read from the models, and URL slugs."""

from django.utils.text import slugify

SLUG_MAX_LENGTH = 200


def max_length(model, field_name):
    """The length of a model's text column: read from the model, never repeated."""
    return model._meta.get_field(field_name).max_length


def fit(model, field_name, value):
    """Cut a string to its column's length (PostgreSQL refuses longer ones)."""
    length = max_length(model, field_name)
    return value[:length] if length and isinstance(value, str) else value


def unicode_slug(text, max_length=SLUG_MAX_LENGTH, fallback="article"):
    """A URL slug that keeps Chinese characters and always fits its column."""
    slug = slugify(text, allow_unicode=True)[:max_length].strip("-_")
    return slug or fallback
