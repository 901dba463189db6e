"""System checks: settings that would break imports are reported when Django starts, not mid-import."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def strip_selectors_check(app_configs, **kwargs):
    from articles.importer.strip import compile_rules

    try:
        compile_rules(settings.IMPORT_STRIP_SELECTORS)
    except ImproperlyConfigured as exc:
        return [
            Error(
                str(exc),
                hint='Write a CSS selector list, e.g. ":--placeholders, .share-bar" (see the README).',
                id="articles.E001",
            )
        ]
    return []
