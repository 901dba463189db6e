"""System checks: settings that would break imports are reported when Django starts, not mid-import."""

from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured

from .strip import compile_rules


def strip_selectors_check(app_configs, **kwargs):
    """``IMPORT_STRIP_SELECTORS`` is a selector list soupsieve can compile (registered by ``apps``)."""
    try:
        compile_rules(settings.IMPORT_STRIP_SELECTORS)
    except ImproperlyConfigured as exc:
        return [
            Error(
                str(exc),
                hint='Write a CSS selector list, e.g. ":--placeholders, .share-bar" (see docs/importing.md).',
                id="articles.E001",
            )
        ]
    return []
